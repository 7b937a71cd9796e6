"""Methodology page: for each index, its field maxima per period, its group thresholds and
the caveats of comparing years."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from reform.analysis import lineage, scope
from reform.core import config
from reform.core.errors import UsageError
from reform.core.i18n import format_percent, t
from reform.present.labels import points_text
from reform.present.pages.base import Snapshot


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
        raise UsageError.of("views.no_components", index=index)
    depth = here["component"].map(scope.component_depth)
    fields = here[depth == 1]
    latest = fields.sort_values(["period", "order"]).drop_duplicates("component", keep="last")
    codes = sorted(latest["component"], key=scope.component_sort_key)
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
                text = f"< {points_text(upper, lang)} %" if upper is not None else "–"
            elif upper is None:
                text = f"≥ {points_text(lower, lang)} %"
            else:
                text = f"{points_text(lower, lang)} – {points_text(upper, lang)} %"
            rows.append({applies_label: applies, group_label: label, range_label: text})
            upper = lower
    return pd.DataFrame(rows, columns=[applies_label, group_label, range_label])


GENERAL_CAVEATS: tuple[str, ...] = ("percent", "criteria", "reorganisation")
"""The caveats that hold for every index; each is catalog entry ``views.caveat.<name>``."""

CAVEATS: tuple[str, ...] = (*GENERAL_CAVEATS, "PAPI", "PCI", "SIPAS", "DISCIPLINE")
"""Every caveat in the order the page lists them: the general ones, then one per index."""


def caveats(index: str | None = None, *, lang: str = "vi") -> list[str]:
    """The caveats of comparing years: the general ones, then those of ``index`` (all when
    ``index`` is None), in ``lang``."""
    specific = [name for name in CAVEATS if name not in GENERAL_CAVEATS]
    chosen = specific if index is None else [name for name in specific if name == index]
    return [t(f"views.caveat.{name}", lang) for name in (*GENERAL_CAVEATS, *chosen)]


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
    return maxima.assign(**{column: [points_text(float(v), lang) for v in maxima[column]]
                            for column in numbers})[[first, *numbers]]


LINEAGE_RULES: tuple[str, ...] = ("mean", "weights", "coverage", "rank", "change", "pages")
"""The rule of results across a reorganisation, one catalog entry
``methodology.lineage.<name>`` per sentence, in the order the page states them."""


def lineage_rules(*, lang: str = "vi", min_coverage: float = config.LINEAGE_MIN_COVERAGE,
                  day: date = config.REORGANISATION_DATE) -> tuple[str, list[str]]:
    """The heading and the sentences of the re-aggregation rule, in ``lang``, with the
    configured coverage threshold ("at least 50 % of its predecessors (e.g. 7 of 14)") and
    reorganisation day."""
    when = f"{day.day}/{day.month}/{day.year}"
    values = {"date": when, "share": format_percent(min_coverage * 100, lang, decimals=0),
              "needed": lineage.needed(14, min_coverage), "total": 14}
    return (t("methodology.lineage", lang, date=when),
            [t(f"methodology.lineage.{name}", lang, **values) for name in LINEAGE_RULES])
