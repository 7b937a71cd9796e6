"""What the leaders' and presenters' pages show, built from the analytics frames.

Pure (no streamlit): the small display tables (change arrows, the wide ranking with a column
per field, the maximum-points table of the methodology page, group thresholds, methodology
warnings, key figures) and, per page, one ``build_*`` function that makes every frame the page
needs from a :class:`~reform.snapshot.Snapshot`. Pages call that one function through
``ui.computed`` so it runs once per store state and options, not on every rerun.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from reform.analysis import analytics
from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import format_number, format_percent, has, t
from reform.core.model import TOTAL
from reform.core.text import fold
from reform.present import narrative
from reform.store.snapshot import Snapshot

# The caveats a presenter must state when years are compared (methodology page).
CAVEATS: dict[str, dict[str, str]] = {
    "percent": {
        "vi": "Tổng điểm chỉ so sánh được giữa các năm khi quy về % điểm tối đa: điểm tối đa "
              "của từng lĩnh vực thay đổi theo quyết định phê duyệt phương pháp của mỗi năm.",
        "en": "Totals are comparable across years only as % of the maximum: each field's "
              "maximum points change with each year's methodology decision.",
    },
    "criteria": {
        "vi": "Ngay cả khi quy về %, tiêu chí có thể đã được thêm, bỏ hoặc đổi nội dung: "
              "một đơn vị tăng/giảm điểm có thể do phương pháp thay đổi chứ không do kết quả "
              "thực hiện. Trang Xu hướng đánh dấu các năm có thay đổi.",
        "en": "Even as %, criteria may have been added, dropped or reworded: a unit's rise or "
              "fall can come from the method rather than its work. The Trends page flags the "
              "years where the method changed.",
    },
    "PAPI": {
        "vi": "PAPI: 6 nội dung (tổng 6–60) đến năm 2017, 8 nội dung (tổng tối đa 80) từ 2018; "
              "năm 2016 một số nội dung thành phần được đổi, nên điểm 2016 không hoàn toàn so "
              "sánh được với các năm trước. Nhóm PAPI theo tứ phân vị.",
        "en": "PAPI: 6 dimensions (total 6–60) up to 2017, 8 (total up to 80) from 2018; in 2016 "
              "some sub-dimensions changed, so 2016 scores are not fully comparable with earlier "
              "years. PAPI groups are quartiles.",
    },
    "PCI": {
        "vi": "PCI: tổng điểm là tổng có trọng số của 9–10 chỉ số thành phần (mỗi chỉ số thang "
              "10), không phải tổng cộng đơn giản; trọng số do VCCI công bố từng năm. Xếp hạng "
              "tính lại ở đây có thể khác bảng xếp hạng chính thức.",
        "en": "PCI: the total is a weighted sum of 9–10 sub-indices (each out of 10), not a "
              "plain sum; VCCI publishes the weights each year. Ranks recomputed here may differ "
              "from the official table.",
    },
    "SIPAS": {
        "vi": "SIPAS: chỉ số là trung bình mức hài lòng của 5 yếu tố, tính bằng %; mục tiêu "
              "≥ 80 %.",
        "en": "SIPAS: the index is the mean satisfaction with the 5 elements, in %; the "
              "target is ≥ 80 %.",
    },
    "DISCIPLINE": {
        "vi": "Kỷ cương: điểm bắt đầu từ 100, mỗi lượt vi phạm trừ điểm theo trọng số của "
              "loại vi phạm; điểm được tính từ biên bản kiểm tra, không phải tệp điểm.",
        "en": "Discipline: scores start at 100 and each violation costs points weighted by its "
              "category; they are computed from inspection records, not read from a file.",
    },
}


def _points_text(value: float, lang: str) -> str:
    """Points as printed in methodology decisions: 16, 14,5, 2,25 (no trailing zeros)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for decimals in (0, 1, 2):
        if abs(round(value, decimals) - value) < 1e-9:
            return format_number(value, lang, decimals)
    return format_number(value, lang, 2)


def change_labels(table: pd.DataFrame, *, lang: str = "vi") -> pd.Series:
    """The rank change of a ``rank_units`` table as a short label per row.

    Returns a string Series named ``change_label`` on the table's index: "▲ 3" (moved up 3),
    "▼ 2", "=" (same rank), "mới"/"new" (not ranked in the previous period), "" when there
    is no previous period. Raises KeyError when ``change`` or ``is_new`` is missing.
    """
    change = table["change"].astype("Float64")
    is_new = table["is_new"].astype("boolean").fillna(False).astype(bool)
    steps = change.abs().astype("Int64").astype("str")
    labels = pd.Series("", index=table.index, dtype="str", name="change_label")
    labels = labels.mask(change.eq(0).fillna(False).astype(bool), "=")
    labels = labels.mask(change.gt(0).fillna(False).astype(bool), "▲ " + steps)
    labels = labels.mask(change.lt(0).fillna(False).astype(bool), "▼ " + steps)
    return labels.mask(is_new, t("views.change_new", lang))


def field_labels(components: pd.DataFrame, *, index: str, period: str) -> dict[str, str]:
    """Depth-1 components (fields) of one index and period, in file order: code -> "1. Name"."""
    here = components[(components["index"] == index) & (components["period"] == period)]
    here = here[here["component"].map(analytics.component_depth) == 1].sort_values("order")
    return {code: f"{code}. {name}" for code, name in zip(here["component"], here["name"], strict=True)}


def ranking_with_components(table: pd.DataFrame, scores: pd.DataFrame, components: pd.DataFrame,
                            *, index: str, period: str, lang: str = "vi") -> pd.DataFrame:
    """The ranking table wide: one row per unit (the table's order), one column per field.

    Returns columns ``unit_id, rank, change_label, unit, group, value, percent`` followed by one
    column per field of that index and period labelled "1. Name" (see :func:`field_labels`),
    holding the unit's % of the field maximum, or its points when the maximum is unknown.
    A unit without a score in a field gets NaN there. Never changes its inputs.
    """
    base = table.assign(change_label=change_labels(table, lang=lang))[
        ["unit_id", "rank", "change_label", "unit", "group", "value", "percent"]
    ].reset_index(drop=True)
    labels = field_labels(components, index=index, period=period)
    if not labels:
        return base
    rows = analytics.component_percent(scores, components, index=index, period=period)
    rows = rows[rows["component"].isin(list(labels))]
    share = rows["percent"].where(rows["percent"].notna(), rows["value"])
    wide = (rows.assign(share=share)
            .pivot_table(index="unit_id", columns="component", values="share", aggfunc="first")
            .reindex(columns=list(labels)).rename(columns=labels))
    wide.columns.name = None
    out = base.merge(wide, how="left", left_on="unit_id", right_index=True)
    return out.reset_index(drop=True)


def for_download(wide: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """A ``ranking_with_components`` table with headers in ``lang`` for CSV downloads:
    Mã đơn vị, Hạng, Thay đổi, Đơn vị, Nhóm, Điểm, % tối đa, then the fields as they are."""
    names = {"unit_id": "unit_id", "rank": "rank", "change_label": "change", "unit": "unit",
             "group": "group", "value": "points", "percent": "percent"}
    return wide.rename(columns={column: t(f"views.{key}", lang) for column, key in names.items()})


def filter_ranking(table: pd.DataFrame, *, search: str = "", groups: Iterable[str] = ()) -> pd.DataFrame:
    """Rows whose unit name contains ``search`` (ignoring accents and case: "hang bac" finds
    "Phường Hàng Bạc") and, when ``groups`` is given, whose group is one of them.

    Returns a new frame, same columns and order, index reset.
    """
    keep = pd.Series(True, index=table.index)
    needle = fold(search)
    if needle:
        keep &= table["unit"].map(fold).str.contains(needle, regex=False)
    chosen = list(groups)
    if chosen:
        keep &= table["group"].isin(chosen)
    return table[keep].reset_index(drop=True)


def group_badges(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``group`` as a one-label list ([] when none), the shape
    ``st.column_config.MultiselectColumn`` draws as a coloured badge. Returns a new frame."""
    return table.assign(group=[[g] if isinstance(g, str) and g else [] for g in table["group"]])


def group_order(table: pd.DataFrame) -> list[str]:
    """The group labels present in a ranking, best first (order of their best-ranked unit)."""
    groups = table.dropna(subset=["group"])
    groups = groups[groups["group"] != ""]
    return list(dict.fromkeys(groups.sort_values("rank", na_position="last")["group"]))


def maximum_table(components: pd.DataFrame, *, index: str, lang: str = "vi") -> pd.DataFrame:
    """Maximum points of each field per period, for the methodology page.

    Returns one row per period of ``index`` (oldest first) with columns: the period
    (labelled "Kỳ"/"Period"), one column per field code labelled "1. Name" (the name of the
    latest period using that code), the number of criteria below the fields ("Số tiêu chí"),
    and the sum of the field maxima ("Tổng"). NaN where a field is absent or its maximum
    unknown. Raises UsageError when the index has no components.
    """
    here = components[components["index"] == index]
    if here.empty:
        raise UsageError(f"Chưa có cấu trúc thành phần của chỉ số {index}.",
                         f"No component structure for index {index}.")
    depth = here["component"].map(analytics.component_depth)
    fields = here[depth == 1]
    latest = fields.sort_values(["period", "order"]).drop_duplicates("component", keep="last")
    codes = sorted(latest["component"], key=analytics.component_sort_key)
    names = dict(zip(latest["component"], latest["name"], strict=True))
    wide = fields.pivot_table(index="period", columns="component", values="max_value",
                              aggfunc="first", dropna=False)
    periods = sorted(set(here["period"]))
    wide = wide.reindex(index=periods, columns=codes)
    criteria = here[depth >= 2].groupby("period")["component"].nunique().reindex(periods).fillna(0)
    total = wide.sum(axis=1, min_count=1)
    period_label, criteria_label, total_label = (t(k, lang) for k in
                                                 ("views.period", "views.criteria", "views.total"))
    out = wide.rename(columns={code: f"{code}. {names[code]}" for code in codes})
    out.columns.name = None
    out = out.assign(**{criteria_label: criteria.astype("int64"), total_label: total})
    out.index.name = period_label
    return out.reset_index()


def group_thresholds(index: str, *, lang: str = "vi",
                     schemes: dict[str, dict[str | None, list[tuple[str, float]]]] | None = None,
                     ) -> pd.DataFrame:
    """The group thresholds configured for ``index``, readable: one row per scheme and group.

    Returns columns "Áp dụng"/"Applies to" (default, or "Năm 2023" for a period
    override), "Nhóm"/"Group", "Khoảng (% điểm tối đa)"/"Range" ("≥ 90 %", "80 – 90 %",
    "< 70 %"). When none is configured, the quartile groups Q1 (best) … Q4.
    """
    per_index = (config.GROUP_SCHEMES if schemes is None else schemes).get(index, {})
    applies_label, group_label, range_label = (t(k, lang) for k in
                                               ("views.applies", "views.group", "views.range"))
    rows = []
    if not per_index:
        for n, label in enumerate(config.QUARTILE_LABELS, start=1):
            rows.append({applies_label: t("views.default", lang), group_label: label,
                         range_label: t(f"views.quartile.{n}", lang)})
        return pd.DataFrame(rows, columns=[applies_label, group_label, range_label])
    keys = ([None] if None in per_index else []) + sorted(k for k in per_index if k is not None)
    for key in keys:
        applies = t("views.default", lang) if key is None else t("views.in_period", lang, period=key)
        upper: float | None = None
        for label, lower in per_index[key]:
            if math.isinf(lower):
                text = f"< {_points_text(upper, lang)} %" if upper is not None else "–"
            elif upper is None:
                text = f"≥ {_points_text(lower, lang)} %"
            else:
                text = f"{_points_text(lower, lang)} – {_points_text(upper, lang)} %"
            rows.append({applies_label: applies, group_label: label, range_label: text})
            upper = lower
    return pd.DataFrame(rows, columns=[applies_label, group_label, range_label])


def caveats(index: str | None = None, *, lang: str = "vi") -> list[str]:
    """The caveats of comparing years: the general ones, then those of ``index`` (all when
    ``index`` is None), in ``lang``."""
    keys = ["percent", "criteria"]
    specific = [k for k in CAVEATS if k not in keys]
    keys += specific if index is None else [k for k in specific if k == index]
    return [CAVEATS[k][lang if lang in ("vi", "en") else "vi"] for k in keys]


def methodology_sentences(changes: pd.DataFrame, *, period_from: str, period_to: str,
                          lang: str = "vi") -> list[str]:
    """One sentence per row of an ``analytics.methodology_changes`` frame.

    "Điểm tối đa của lĩnh vực Cải cách thủ tục hành chính thay đổi từ 14,5 lên 16
    (2020 → 2021)." / "Thêm tiêu chí 3.4 … từ 2021." Criteria are named with their code.
    """
    out = []
    for row in changes.itertuples(index=False):
        depth = min(analytics.component_depth(row.component), 3)
        level = t(f"views.level.{depth}", lang)
        name = row.name if depth == 1 else f"{row.component} {row.name}"
        values = {"level": level, "level_cap": level[:1].upper() + level[1:], "name": name,
                  "old": _points_text(row.max_from, lang), "new": _points_text(row.max_to, lang),
                  "start": period_from, "end": period_to}
        if row.change == "max_changed":
            lowered = (not pd.isna(row.max_from) and not pd.isna(row.max_to)
                       and row.max_to < row.max_from)
            out.append(t("views.max_lowered" if lowered else "views.max_changed", lang, **values))
        elif row.change in ("added", "removed"):
            out.append(t(f"views.{row.change}", lang, **values))
    return out


def methodology_notes(components: pd.DataFrame, *, index: str, periods: Sequence[str],
                      lang: str = "vi") -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Methodology changes between each pair of consecutive ``periods``.

    Returns ``(flags, fields, criteria)``: flags are (period, short label) for the trend
    chart's markers, one per period whose method differs from the period before; ``fields``
    the sentences about fields (depth 1), plus one line per pair of periods where only
    criteria changed, to print as a warning; ``criteria`` the sentences about criteria and
    sub-criteria, for a details box (see :func:`methodology_sentences`).
    """
    flags: list[tuple[str, str]] = []
    fields: list[str] = []
    criteria: list[str] = []
    ordered = sorted(periods)
    known = set(components.loc[components["index"] == index, "period"])
    for start, end in zip(ordered, ordered[1:], strict=False):
        if start not in known or end not in known:
            continue
        changes = analytics.methodology_changes(components, index=index, period_from=start,
                                                period_to=end)
        if changes.empty:
            continue
        flags.append((end, t("views.flag", lang)))
        top = changes["component"].map(analytics.component_depth) == 1
        fields += methodology_sentences(changes[top], period_from=start, period_to=end, lang=lang)
        criteria += methodology_sentences(changes[~top], period_from=start, period_to=end,
                                          lang=lang)
        if not top.any():
            fields.append(t("views.criteria_only", lang, start=start, end=end,
                            n=int((~top).sum())))
    return flags, fields, criteria


@dataclass(frozen=True)
class Metric:
    """One key figure for ``st.metric``: label, value and an optional delta line; a
    ``neutral`` delta is a plain note (a unit's name), drawn grey without an arrow; ``help``
    the full text for the metric's tooltip (a long unit name the card would cut)."""

    label: str
    value: str
    delta: str | None = None
    neutral: bool = False
    help: str | None = None


def key_figures(summary: dict, *, lang: str = "vi", percent: bool = True) -> list[Metric]:
    """The Overview's key figures from ``analytics.block_summary``: units, average, best,
    worst, most improved. Values formatted for ``lang`` ("85,32 %"); ``percent`` False shows
    points. The most improved figure is "–" when no unit moved up; its unit is named in its
    ``help`` and in :func:`improved_note`, not in a delta chip that a card cuts at about
    twelve letters ("Phường Chươ…")."""
    def number(value: float | None) -> str:
        if value is None:
            return "–"
        return format_percent(value, lang) if percent else format_number(value, lang)

    improved_unit = summary.get("most_improved_unit")
    improved_change = summary.get("most_improved_change")
    moved = improved_unit is not None and improved_change is not None \
        and not pd.isna(improved_change) and improved_change > 0
    return [
        Metric(t("views.metric.units", lang), str(int(summary.get("units") or 0))),
        Metric(t("views.metric.average", lang), number(summary.get("average"))),
        Metric(t("views.metric.best", lang), number(summary.get("best_value")),
               summary.get("best_unit"), neutral=True, help=summary.get("best_unit")),
        Metric(t("views.metric.worst", lang), number(summary.get("worst_value")),
               summary.get("worst_unit"), neutral=True, help=summary.get("worst_unit")),
        Metric(t("views.metric.improved", lang),
               t("views.places_up", lang, n=int(improved_change)) if moved else "–",
               help=improved_unit if moved else None),
    ]


def improved_note(summary: dict, *, lang: str = "vi") -> str:
    """The most improved unit as a line to print under the key figures ("Tiến bộ nhất:
    **Phường Chương Dương**, tăng 4 bậc so với kỳ trước."); "" when no unit moved up."""
    unit, change = summary.get("most_improved_unit"), summary.get("most_improved_change")
    if unit is None or change is None or pd.isna(change) or change <= 0:
        return ""
    return t("views.improved_note", lang, unit=unit, n=int(change))


def top_units(table: pd.DataFrame, *, n: int = 3) -> list[str]:
    """The unit ids of the ``n`` best-ranked rows of a ``rank_units`` table (ties in the
    table's order; unranked units never). The Compare page's default choice."""
    ranked = table[table["rank"].notna()]
    return list(ranked.sort_values("rank", kind="stable")["unit_id"].head(n))


def role_label(role: str, lang: str = "vi") -> str:
    """A column role of the importer ("code", "rank") as analysts name it in ``lang``
    ("Mã đơn vị", "Xếp hạng"); the code itself when it has no label."""
    key = f"views.role.{role}"
    return t(key, lang) if has(key) else role


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{4,}")


def readable_examples(columns: pd.DataFrame, *, lang: str = "vi", decimals: int = 2) -> pd.DataFrame:
    """The Data page's columns table (``uploads.columns_table``) with long decimals in its
    ``examples`` rounded for reading: "8.351827 | 8.180521" -> "8,35 | 8,18" (vi).

    Only numbers with four decimals or more are touched, as a spreadsheet's floats print;
    "1.000" (a Vietnamese thousand), codes and dates stay as the file has them.
    Returns a new frame; raises KeyError when ``examples`` is missing.
    """
    def shorten(text: object) -> object:
        if not isinstance(text, str):
            return text
        return _LONG_DECIMAL.sub(
            lambda match: _points_text(round(float(match.group()), decimals), lang), text)

    return columns.assign(examples=columns["examples"].map(shorten))


def lost_points(strengths: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """Where a unit lost points: its fields from ``strengths_weaknesses``, most points lost
    first, with headers in ``lang``.

    Returns columns Thành phần, Điểm, Điểm tối đa, Điểm bị trừ, % tối đa, TB khối (%),
    Cao nhất khối (%) (English equivalents when ``lang`` is "en").
    """
    labels = {key: t(f"views.{key}", lang) for key in
              ("component", "points", "maximum", "points_lost", "percent", "block_average", "block_best")}
    keyed = strengths.assign(_code=strengths["component"].map(analytics.component_sort_key))
    ordered = keyed.sort_values("_code", kind="stable").sort_values(
        "points_lost", ascending=False, kind="stable", na_position="last")
    return pd.DataFrame({
        labels["component"]: (ordered["component"] + ". " + ordered["name"]).to_numpy(),
        labels["points"]: ordered["value"].to_numpy(dtype=float),
        labels["maximum"]: ordered["max_value"].to_numpy(dtype=float),
        labels["points_lost"]: ordered["points_lost"].to_numpy(dtype=float),
        labels["percent"]: ordered["percent"].to_numpy(dtype=float),
        labels["block_average"]: ordered["block_average"].to_numpy(dtype=float),
        labels["block_best"]: ordered["block_best"].to_numpy(dtype=float),
    })


def unit_history(series: pd.DataFrame, *, unit_id: str) -> pd.DataFrame:
    """One unit's rows of ``analytics.unit_series``, oldest period first, index reset."""
    return series[series["unit_id"] == unit_id].sort_values("period").reset_index(drop=True)


def matrix_rows(matrix: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """The rows of a component matrix for ``names`` (unit names), in that order; names not
    in the matrix are left out."""
    return matrix.loc[[n for n in names if n in matrix.index]]


# ---- one call per page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    table: pd.DataFrame
    figures: list[Metric]
    sentences: list[str]
    note: str = ""  # the most improved unit, printed under the key figures


def build_overview(data: Snapshot, *, index: str, period: str, level: str | None,
                   lang: str = "vi") -> Overview:
    """The Overview page: the ranking, its key figures and the sentences to read aloud.
    Raises UsageError when the index has no data for that period."""
    table = analytics.rank_units(data.scores, data.units, index=index, period=period, level=level,
                                 published=data.published)
    summary = analytics.block_summary(table)
    percent = summary["basis"] == "percent"
    sentences = narrative.ranking_sentences(table, index=index, lang=lang,
                                            components=data.components, scores=data.scores)
    return Overview(table, key_figures(summary, lang=lang, percent=percent), list(sentences),
                    improved_note(summary, lang=lang))


@dataclass(frozen=True)
class Rankings:
    table: pd.DataFrame
    wide: pd.DataFrame
    fields: list[str]
    groups: list[str]


def build_rankings(data: Snapshot, *, index: str, period: str, level: str | None,
                   component: str = TOTAL, lang: str = "vi") -> Rankings:
    """The Rankings page: ``rank_units`` by ``component`` and the wide table with one column
    per field (``fields`` lists their labels). Raises UsageError when there is no data."""
    table = analytics.rank_units(data.scores, data.units, index=index, period=period, level=level,
                                 component=component, published=data.published)
    wide = ranking_with_components(table, data.scores, data.components, index=index,
                                   period=period, lang=lang)
    fields = list(field_labels(data.components, index=index, period=period).values())
    return Rankings(table, wide, fields, group_order(table))


@dataclass(frozen=True)
class Trends:
    series: pd.DataFrame
    periods: list[str]
    movers: pd.DataFrame | None
    flags: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    top: list[str] = field(default_factory=list)


def build_trends(data: Snapshot, *, index: str, level: str | None, period_from: str | None,
                 period_to: str | None, lang: str = "vi") -> Trends:
    """The Trends page: every unit's series, the movers between two periods (None when they
    are not two different periods of the index), methodology flags, field-level ``warnings``
    and criteria-level ``details`` over all periods, and ``top`` the three best units of the
    latest period (the default highlight). Raises UsageError when the index has no data."""
    series = analytics.unit_series(data.scores, data.units, index=index, level=level)
    periods = sorted(set(series["period"]))
    movers = None
    if period_from and period_to and period_from != period_to \
            and {period_from, period_to} <= set(periods):
        start, end = sorted((period_from, period_to))
        movers = analytics.biggest_movers(data.scores, data.units, data.components, index=index,
                                          period_from=start, period_to=end, level=level)
    flags, warnings, details = methodology_notes(data.components, index=index, periods=periods,
                                                 lang=lang)
    top: list[str] = []
    if periods:
        latest = series[(series["period"] == periods[-1]) & series["rank"].notna()]
        top = list(latest.sort_values(["rank", "unit"])["unit_id"].head(3))
    return Trends(series, periods, movers, flags, warnings, details, top)


@dataclass(frozen=True)
class Profile:
    row: pd.Series
    history: pd.DataFrame
    series: pd.DataFrame
    strengths: pd.DataFrame
    lost: pd.DataFrame
    sentences: list[str]
    rank_text: str | None = None
    change_text: str | None = None


def rank_texts(table: pd.DataFrame, *, unit_id: str, lang: str = "vi") -> tuple[str | None, str | None]:
    """A unit's rank in a ``rank_units`` table as "3/30", and its change for ``st.metric``'s
    delta: "+5 bậc" (up), "-2 bậc" (down, an ASCII minus so the metric turns red), "=",
    "mới"/"new"; None for an unranked unit or when there is no previous period.
    Raises KeyError when the unit is not in the table."""
    mine = table[table["unit_id"] == unit_id]
    if mine.empty:
        raise KeyError(unit_id)
    row = mine.iloc[0]
    ranked = int(table["rank"].notna().sum())
    rank = None if pd.isna(row["rank"]) else f"{int(row['rank'])}/{ranked}"
    if bool(row["is_new"]):
        return rank, t("views.change_new", lang)
    if pd.isna(row["change"]):
        return rank, None
    change = int(row["change"])
    if change == 0:
        return rank, "="
    return rank, t("views.places", lang, n=f"{change:+d}")


def build_profile(data: Snapshot, *, index: str, period: str, level: str | None, unit_id: str,
                  lang: str = "vi") -> Profile:
    """The Unit profile page for ``unit_id``: its ranking row, score and rank history (and
    the block's series for context), its fields against the block and where it lost points
    (empty frames when the index has no field scores), and its sentences.
    Raises UsageError when the unit has no score in that period."""
    table = analytics.rank_units(data.scores, data.units, index=index, period=period, level=level,
                                 published=data.published)
    rows = table[table["unit_id"] == unit_id]
    if rows.empty:
        raise UsageError(f"Đơn vị {unit_id} không có điểm {index} kỳ {period}.",
                         f"Unit {unit_id} has no {index} score for {period}.")
    series = analytics.unit_series(data.scores, data.units, index=index, level=level)
    scores = data.scores
    mine = scores[(scores["index"] == index) & (scores["period"] == period)
                  & (scores["unit_id"] == unit_id)]
    # Discipline scores, for one, are totals only: the profile then shows no field part.
    if mine["component"].map(analytics.component_depth).eq(1).any():
        strengths = analytics.strengths_weaknesses(scores, data.units, data.components,
                                                   index=index, period=period,
                                                   unit_id=unit_id, level=level)
    else:
        strengths = pd.DataFrame(columns=analytics.STRENGTH_COLUMNS)
    previous = analytics.previous_period(data.scores, index, period)
    changes = None
    if previous is not None:
        changes = analytics.field_changes(data.scores, data.components, index=index,
                                          unit_id=unit_id, period_from=previous, period_to=period)
    sentences = narrative.unit_sentences(table, strengths, unit_id=unit_id, lang=lang,
                                         field_changes=changes)
    rank, change = rank_texts(table, unit_id=unit_id, lang=lang)
    return Profile(rows.iloc[0], unit_history(series, unit_id=unit_id), series, strengths,
                   lost_points(strengths, lang=lang), list(sentences), rank, change)


@dataclass(frozen=True)
class Components:
    matrix: pd.DataFrame
    ranking: pd.DataFrame
    correlations: pd.DataFrame


def build_components(data: Snapshot, *, index: str, period: str, level: str | None,
                     component: str = TOTAL) -> Components:
    """The Components page: the unit × field matrix (% of max), the ranking by ``component``
    and the correlations between fields. Raises UsageError when there is no data."""
    matrix = analytics.component_matrix(data.scores, data.units, data.components, index=index,
                                        period=period, level=level)
    ranking = analytics.rank_units(data.scores, data.units, index=index, period=period,
                                   level=level, component=component, published=data.published)
    corr = analytics.correlations(matrix) if matrix.shape[1] >= 2 else pd.DataFrame()
    return Components(matrix, ranking, corr)


@dataclass(frozen=True)
class Comparison:
    matrix: pd.DataFrame
    table: pd.DataFrame
    fields: list[str]
    groups: list[str]


def build_comparison(data: Snapshot, *, index: str, period: str, level: str | None,
                     unit_ids: Sequence[str], lang: str = "vi") -> Comparison:
    """The Compare page for ``unit_ids`` (in that order): their rows of the component matrix
    (for ``charts.compare_units``) and of the wide ranking table."""
    names = [data.unit_names.get(u, u) for u in unit_ids]
    matrix = analytics.component_matrix(data.scores, data.units, data.components, index=index,
                                        period=period, level=level)
    rankings = build_rankings(data, index=index, period=period, level=level, lang=lang)
    wide = rankings.wide.set_index("unit_id")
    table = wide.loc[[u for u in unit_ids if u in wide.index]].reset_index()
    return Comparison(matrix_rows(matrix, names), table, rankings.fields, rankings.groups)


@dataclass(frozen=True)
class Methodology:
    index: str
    maxima: pd.DataFrame | None
    thresholds: pd.DataFrame
    caveats: list[str]
    maxima_text: pd.DataFrame | None = None  # ``maxima`` as printed: "14,5" in Vietnamese


def build_methodology(data: Snapshot, *, lang: str = "vi") -> list[Methodology]:
    """The Methodology page: for each index with data, its field maxima per period (None
    when no component structure was read), its group thresholds and its caveats."""
    out = []
    for index in data.indices():
        has_components = bool((data.components["index"] == index).any())
        maxima = maximum_table(data.components, index=index, lang=lang) if has_components else None
        out.append(Methodology(index, maxima, group_thresholds(index, lang=lang),
                               caveats(index, lang=lang),
                               None if maxima is None else maxima_text(maxima, lang=lang)))
    return out


def maxima_text(maxima: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """A :func:`maximum_table` with its numbers written as methodology decisions print them
    in ``lang``: "14,5" (vi) or "14.5" (en), "16" without decimals, "–" where unknown; the
    first column (the period) unchanged. Returns a new frame of strings."""
    first, *numbers = maxima.columns
    return maxima.assign(**{column: [_points_text(float(v), lang) for v in maxima[column]]
                            for column in numbers})[[first, *numbers]]

