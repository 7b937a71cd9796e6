"""Sentences a presenter reads aloud, built from the frames of ``reform.analytics``.

"Phường Hàng Bạc đứng đầu với 92,15 %", "Phường Đồng Xuân tăng 5 bậc, lên thứ 3": the press
phrasing of results conferences, in Vietnamese first and English second. Functions return
lists of plain strings; pages and exports show them. Templates live here as {"vi", "en"}
dicts; numbers go through ``reform.core.i18n`` (85,32 in Vietnamese, 85.32 in English).

``field_changes`` (a unit's points per field in two periods) is computed in
``reform.analytics`` and re-exported here for convenience.
"""
from __future__ import annotations

import pandas as pd

from reform.analysis import analytics
from reform.analysis.analytics import field_changes
from reform.core.errors import UsageError
from reform.core.i18n import format_number, format_percent, format_signed

TEMPLATES: dict[str, dict[str, str]] = {
    "leader": {"vi": "{unit} đứng đầu với {value}.", "en": "{unit} leads with {value}."},
    "leaders": {"vi": "{units} cùng đứng đầu với {value}.",
                "en": "{units} share first place with {value}."},
    "last": {"vi": "{unit} xếp cuối với {value}.", "en": "{unit} is last with {value}."},
    "lasts": {"vi": "{units} cùng xếp cuối với {value}.",
              "en": "{units} share last place with {value}."},
    "rose": {"vi": "{unit} tăng {places}, lên thứ {rank}.",
             "en": "{unit} rose {places} to {ordinal}."},
    "fell": {"vi": "{unit} giảm {places}, xuống thứ {rank}.",
             "en": "{unit} fell {places} to {ordinal}."},
    "groups": {"vi": "Có {parts}.", "en": "{parts}."},
    "group_first": {"vi": "{units} nhóm {group}", "en": "{units} {verb} in group {group}"},
    "group_next": {"vi": "{units} nhóm {group}", "en": "{units} in group {group}"},
    "average": {"vi": "Điểm trung bình của khối là {value}.",
                "en": "The block average is {value}."},
    "mismatch": {"vi": "{units} có nhóm tính lại khác nhóm đã công bố.",
                 "en": "{units} {verb} a computed group that differs from the published one."},
    "methodology": {
        "vi": "Lưu ý: phương pháp đánh giá {period} khác {previous} ({changes} về tiêu chí), "
              "so sánh thứ hạng giữa hai kỳ chỉ mang tính tham khảo.",
        "en": "Note: the methodology of {period} differs from {previous} ({changes} in the "
              "components); compare ranks between the two periods with care.",
    },
    "unit_rank": {"vi": "{unit} xếp thứ {rank}/{total} với {value}{group}.",
                  "en": "{unit} ranks {ordinal} of {total} with {value}{group}."},
    "unit_group": {"vi": ", nhóm {group}", "en": ", group {group}"},
    "unit_unranked": {"vi": "{unit} chưa có điểm kỳ này.",
                      "en": "{unit} has no score this period."},
    "unit_rose": {"vi": "{unit} tăng {places} so với kỳ trước.",
                  "en": "{unit} rose {places} since the previous period."},
    "unit_fell": {"vi": "{unit} giảm {places} so với kỳ trước.",
                  "en": "{unit} fell {places} since the previous period."},
    "unit_same": {"vi": "{unit} giữ nguyên thứ hạng so với kỳ trước.",
                  "en": "{unit} kept its rank from the previous period."},
    "unit_new": {"vi": "{unit} lần đầu được xếp hạng.",
                 "en": "{unit} is ranked for the first time."},
    "strongest": {
        "vi": "Lĩnh vực mạnh nhất: {name}, đạt {percent} ({gap} điểm phần trăm so với trung "
              "bình khối).",
        "en": "Strongest field: {name}, at {percent} ({gap} percentage points against the "
              "block average).",
    },
    "weakest": {
        "vi": "Lĩnh vực yếu nhất: {name}, đạt {percent} ({gap} điểm phần trăm so với trung "
              "bình khối), mất {lost}.",
        "en": "Weakest field: {name}, at {percent} ({gap} percentage points against the "
              "block average), {lost} lost.",
    },
    "field_up": {"vi": "Lĩnh vực {name} tăng {points} so với kỳ trước.",
                 "en": "The field {name} gained {points} since the previous period."},
    "field_down": {"vi": "Lĩnh vực {name} giảm {points} so với kỳ trước.",
                   "en": "The field {name} lost {points} since the previous period."},
}
"""Sentence templates, Vietnamese first."""

NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "place": {"vi": ("bậc", "bậc"), "en": ("place", "places")},
    "point": {"vi": ("điểm", "điểm"), "en": ("point", "points")},
    "unit": {"vi": ("đơn vị", "đơn vị"), "en": ("unit", "units")},
    "change": {"vi": ("thay đổi", "thay đổi"), "en": ("change", "changes")},
}
"""Counted nouns, (singular, plural); Vietnamese nouns do not inflect."""

UNIT_KINDS: list[tuple[str, str]] = [
    ("Thành phố", "city"), ("Thị xã", "town"), ("Thị trấn", "township"), ("Phường", "ward"),
    ("Xã", "commune"), ("Quận", "district"), ("Huyện", "district"), ("Tỉnh", "province"),
]
"""Vietnamese name prefixes read as an English suffix: "Phường Hàng Bạc" → "Hàng Bạc ward"."""

MOST_MOVERS = 3
"""At most this many units share a "rose most" or "fell most" sentence: more is a list, not
a sentence."""


def _say(key: str, lang: str, **values: object) -> str:
    templates = TEMPLATES[key]
    return (templates.get(lang) or templates["vi"]).format(**values)


def _count(number: int, noun: str, lang: str) -> str:
    """"5 bậc", "1 place", "3 units"."""
    forms = NOUNS[noun].get(lang) or NOUNS[noun]["vi"]
    return f"{number} {forms[0] if number == 1 else forms[1]}"


def ordinal(number: int, lang: str = "vi") -> str:
    """"thứ 3" is written by the templates; in English: 1st, 2nd, 3rd, 11th, 21st."""
    if lang != "en":
        return str(number)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def unit_name(name: str, lang: str = "vi") -> str:
    """The unit's name as read in ``lang``: in English "Phường Hàng Bạc" is "Hàng Bạc ward"."""
    if lang != "en":
        return name
    for prefix, kind in UNIT_KINDS:
        if name.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return f"{name[len(prefix) + 1:]} {kind}"
    return name


def _join(names: list[str], lang: str) -> str:
    """"A, B và C" / "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    last = " và " if lang == "vi" else " and "
    return ", ".join(names[:-1]) + last + names[-1]


def _basis(table: pd.DataFrame) -> str:
    ranked = table[table["rank"].notna()]
    return "percent" if len(ranked) and ranked["percent"].notna().all() else "points"


def _score(row: pd.Series, basis: str, lang: str) -> str:
    if basis == "percent":
        return format_percent(float(row["percent"]), lang)
    return _points(float(row["value"]), lang)


def _points(value: float, lang: str) -> str:
    forms = NOUNS["point"].get(lang) or NOUNS["point"]["vi"]
    return f"{format_number(value, lang)} {forms[0] if value == 1 else forms[1]}"


def _period_label(period: str, lang: str) -> str:
    if lang == "vi":
        return f"năm {period}" if period.isdigit() else f"kỳ {period}"
    return period


def ranking_sentences(table: pd.DataFrame, *, index: str, lang: str = "vi",
                      components: pd.DataFrame | None = None,
                      scores: pd.DataFrame | None = None) -> list[str]:
    """Short sentences on a ``rank_units`` table: leader, last, biggest moves, groups, average.

    Returns, in this order and only when they apply: who leads (ties share first place), who
    is last, who rose most and who fell most (up to ``MOST_MOVERS`` units each), how many
    units are in each group (best group first), the block average, how many computed groups
    differ from the published ones, and — when ``components`` and ``scores`` are given and
    the methodology changed since the previous period — a warning that ranks compare with
    care. Values are percent when every ranked unit has one, else points. An empty list for
    an empty table.
    """
    ranked = table[table["rank"].notna()].sort_values("rank", kind="stable")
    if ranked.empty:
        return []
    basis = _basis(table)
    sentences: list[str] = []

    def names(rows: pd.DataFrame) -> list[str]:
        return [unit_name(str(name), lang) for name in rows["unit"]]

    first = ranked[ranked["rank"] == ranked["rank"].min()]
    value = _score(first.iloc[0], basis, lang)
    if len(first) == 1:
        sentences.append(_say("leader", lang, unit=names(first)[0], value=value))
    else:
        sentences.append(_say("leaders", lang, units=_join(names(first), lang), value=value))
    worst_rank = ranked["rank"].max()
    if worst_rank > 1:
        last = ranked[ranked["rank"] == worst_rank]
        value = _score(last.iloc[0], basis, lang)
        if len(last) == 1:
            sentences.append(_say("last", lang, unit=names(last)[0], value=value))
        else:
            sentences.append(_say("lasts", lang, units=_join(names(last), lang), value=value))

    change = ranked["change"]
    for key, moved in (("rose", change.max()), ("fell", change.min())):
        if pd.isna(moved) or (key == "rose" and moved <= 0) or (key == "fell" and moved >= 0):
            continue
        movers = ranked[ranked["change"] == moved].head(MOST_MOVERS)
        for name, rank in zip(names(movers), movers["rank"], strict=True):
            sentences.append(_say(key, lang, unit=name, places=_count(abs(int(moved)), "place",
                                                                      lang),
                                  rank=int(rank), ordinal=ordinal(int(rank), lang)))

    grouped = table[table["group"] != ""]
    if not grouped.empty:
        counts = grouped["group"].value_counts(sort=False)
        order = list(dict.fromkeys(grouped.sort_values("rank", kind="stable")["group"]))
        parts = []
        for position, group in enumerate(order):
            count = int(counts[group])
            parts.append(_say(
                "group_first" if position == 0 else "group_next", lang,
                units=_count(count, "unit", lang), group=group,
                verb="is" if count == 1 else "are"))
        sentences.append(_say("groups", lang, parts=_join(parts, lang)))

    summary = analytics.block_summary(table)
    average = (format_percent(summary["average"], lang) if basis == "percent"
               else _points(summary["average"], lang))
    sentences.append(_say("average", lang, value=average))

    mismatches = int(table["group_mismatch"].sum())
    if mismatches:
        sentences.append(_say("mismatch", lang, units=_count(mismatches, "unit", lang),
                              verb="has" if mismatches == 1 else "have"))

    if components is not None and scores is not None:
        sentence = _methodology_sentence(table, index=index, lang=lang, components=components,
                                         scores=scores)
        if sentence:
            sentences.append(sentence)
    return sentences


def _methodology_sentence(table: pd.DataFrame, *, index: str, lang: str,
                          components: pd.DataFrame, scores: pd.DataFrame) -> str | None:
    period = str(table["period"].iloc[0])
    previous = analytics.previous_period(scores, index, period)
    if previous is None:
        return None
    listed = set(components.loc[components["index"] == index, "period"])
    if not {period, previous} <= listed:
        return None
    changes = analytics.methodology_changes(components, index=index, period_from=previous,
                                            period_to=period)
    if changes.empty:
        return None
    return _say("methodology", lang, period=_period_label(period, lang),
                previous=_period_label(previous, lang),
                changes=_count(len(changes), "change", lang))


def unit_sentences(table: pd.DataFrame, strengths: pd.DataFrame, *, unit_id: str,
                   lang: str = "vi", field_changes: pd.DataFrame | None = None) -> list[str]:
    """Sentences on one unit: its rank and group, its move, its strongest and weakest field.

    ``table`` is a ``rank_units`` table, ``strengths`` the unit's ``strengths_weaknesses``
    frame, ``field_changes`` (optional) a frame with ``component, name, delta`` in points.
    Returns, when they apply: the rank ("xếp thứ 3/18 với 85,32 %, nhóm A"), the move since
    the previous period (or that the unit is new), the strongest and the weakest field
    against the block average, and the field that gained and the one that lost most points.

    Raises UsageError when ``unit_id`` is not in ``table``.
    """
    rows = table[table["unit_id"] == unit_id]
    if rows.empty:
        raise UsageError(
            f"Đơn vị {unit_id} không có trong bảng xếp hạng.",
            f"Unit {unit_id} is not in the ranking table.",
        )
    row = rows.iloc[0]
    name = unit_name(str(row["unit"]), lang)
    sentences: list[str] = []
    if pd.isna(row["rank"]):
        sentences.append(_say("unit_unranked", lang, unit=name))
    else:
        rank = int(row["rank"])
        group = (_say("unit_group", lang, group=row["group"]) if row["group"] else "")
        sentences.append(_say(
            "unit_rank", lang, unit=name, rank=rank, ordinal=ordinal(rank, lang),
            total=int(table["rank"].notna().sum()), value=_score(row, _basis(table), lang),
            group=group))
        change = row["change"]
        if bool(row["is_new"]):
            sentences.append(_say("unit_new", lang, unit=name))
        elif not pd.isna(change):
            key = "unit_rose" if change > 0 else "unit_fell" if change < 0 else "unit_same"
            sentences.append(_say(key, lang, unit=name,
                                  places=_count(abs(int(change)), "place", lang)))

    fields = strengths.dropna(subset=["gap_to_average"]).sort_values("gap_to_average",
                                                                     kind="stable")
    if not fields.empty:
        best = fields.iloc[-1]
        sentences.append(_say("strongest", lang, name=best["name"],
                              percent=format_percent(float(best["percent"]), lang),
                              gap=format_signed(float(best["gap_to_average"]), lang)))
    if len(fields) >= 2:
        worst = fields.iloc[0]
        sentences.append(_say("weakest", lang, name=worst["name"],
                              percent=format_percent(float(worst["percent"]), lang),
                              gap=format_signed(float(worst["gap_to_average"]), lang),
                              lost=_points(float(worst["points_lost"]), lang)))

    if field_changes is not None:
        deltas = field_changes.dropna(subset=["delta"])
        gained = deltas[deltas["delta"] > 0].sort_values("delta", ascending=False, kind="stable")
        lost = deltas[deltas["delta"] < 0].sort_values("delta", kind="stable")
        if not gained.empty:
            top = gained.iloc[0]
            sentences.append(_say("field_up", lang, name=top["name"],
                                  points=_points(float(top["delta"]), lang)))
        if not lost.empty:
            top = lost.iloc[0]
            sentences.append(_say("field_down", lang, name=top["name"],
                                  points=_points(abs(float(top["delta"])), lang)))
    return sentences


__all__ = [
    "MOST_MOVERS", "NOUNS", "TEMPLATES", "UNIT_KINDS", "field_changes", "ordinal",
    "ranking_sentences", "unit_name", "unit_sentences",
]
