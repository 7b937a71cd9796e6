"""Sentences a presenter reads aloud, built from the frames of ``reform.analysis``.

"Phường Hàng Bạc đứng đầu với 92,15 %", "Phường Đồng Xuân tăng 5 bậc, lên thứ 3": the press
phrasing of results conferences, in Vietnamese first and English second. Functions return
lists of plain strings; pages and exports show them. The words are catalog entries
``narrative.*`` (``reform/core/strings/narrative.toml``); this module only picks the
sentence and the grammatical form (one/other, English ordinals). Numbers go through
``reform.core.i18n`` (85,32 in Vietnamese, 85.32 in English).

``field_changes`` (a unit's points per field in two periods) is computed in
``reform.analysis`` and re-exported here for convenience.
"""
from __future__ import annotations

import pandas as pd

from reform.analysis import ranking, scope, trends
from reform.analysis.trends import field_changes
from reform.core.errors import UsageError
from reform.core.i18n import format_number, format_percent, format_signed, t
from reform.present.labels import group_label, unit_name

MOST_MOVERS = 3
"""At most this many units share a "rose most" or "fell most" sentence: more is a list, not
a sentence."""


# ---- grammar ---------------------------------------------------------------------------------


def _say(key: str, lang: str, **values: object) -> str:
    return t(f"narrative.{key}", lang, **values)


def _form(key: str, number: float) -> str:
    """``key.one`` for a count of one, ``key.other`` for any other count."""
    return f"{key}.one" if number == 1 else f"{key}.other"


def _count(number: int, noun: str, lang: str) -> str:
    """"5 bậc", "1 place", "3 units"."""
    return _say(_form(f"noun.{noun}", number), lang, n=number)


def _points(value: float, lang: str) -> str:
    """"2,50 điểm", "1.00 point"."""
    return _say(_form("noun.point", value), lang, n=format_number(value, lang))


def ordinal(number: int, lang: str = "vi") -> str:
    """"thứ 3" is written by the templates; in English: 1st, 2nd, 3rd, 11th, 21st."""
    if lang != "en":
        return str(number)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _join(names: list[str], lang: str) -> str:
    """"A, B và C" / "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return _say("join", lang, head=", ".join(names[:-1]), last=names[-1])


def _period_phrase(period: str, lang: str) -> str:
    """"năm 2024", "kỳ 2024-03" (vi); the period itself in English."""
    return _say("period.year" if period.isdigit() else "period.other", lang, period=period)


# ---- scores ----------------------------------------------------------------------------------


def _basis(table: pd.DataFrame) -> str:
    ranked = table[table["rank"].notna()]
    return "percent" if len(ranked) and ranked["percent"].notna().all() else "points"


def _score(row: pd.Series, basis: str, lang: str) -> str:
    if basis == "percent":
        return format_percent(float(row["percent"]), lang)
    return _points(float(row["value"]), lang)


def _names(rows: pd.DataFrame, lang: str) -> list[str]:
    return [unit_name(str(name), lang) for name in rows["unit"]]


# ---- a block ---------------------------------------------------------------------------------


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
    sentences = [*_ends(ranked, basis, lang), *_movers(ranked, lang), *_groups(table, lang),
                 _average(table, basis, lang), *_mismatches(table, lang)]
    if components is not None and scores is not None:
        sentence = _methodology_sentence(table, index=index, lang=lang, components=components,
                                         scores=scores)
        if sentence:
            sentences.append(sentence)
    return sentences


def _ends(ranked: pd.DataFrame, basis: str, lang: str) -> list[str]:
    """Who leads and who is last (ties share the place); no "last" when all are first."""
    first = ranked[ranked["rank"] == ranked["rank"].min()]
    out = [_tied("leader", first, basis, lang)]
    worst_rank = ranked["rank"].max()
    if worst_rank > 1:
        out.append(_tied("last", ranked[ranked["rank"] == worst_rank], basis, lang))
    return out


def _tied(key: str, rows: pd.DataFrame, basis: str, lang: str) -> str:
    """"A đứng đầu với …" for one unit, "A và B cùng đứng đầu với …" for several."""
    value = _score(rows.iloc[0], basis, lang)
    names = _names(rows, lang)
    if len(rows) == 1:
        return _say(key, lang, unit=names[0], value=value)
    return _say(f"{key}s", lang, units=_join(names, lang), value=value)


def _movers(ranked: pd.DataFrame, lang: str) -> list[str]:
    """Who rose most and who fell most (up to ``MOST_MOVERS`` each)."""
    out = []
    change = ranked["change"]
    for key, moved in (("rose", change.max()), ("fell", change.min())):
        if pd.isna(moved) or (key == "rose" and moved <= 0) or (key == "fell" and moved >= 0):
            continue
        movers = ranked[ranked["change"] == moved].head(MOST_MOVERS)
        places = _count(abs(int(moved)), "place", lang)
        out += [_say(key, lang, unit=name, places=places, rank=int(rank),
                     ordinal=ordinal(int(rank), lang))
                for name, rank in zip(_names(movers, lang), movers["rank"], strict=True)]
    return out


def _groups(table: pd.DataFrame, lang: str) -> list[str]:
    """How many units are in each group, best group first; none without groups."""
    grouped = table[table["group"] != ""]
    if grouped.empty:
        return []
    counts = grouped["group"].value_counts(sort=False)
    order = list(dict.fromkeys(grouped.sort_values("rank", kind="stable")["group"]))
    parts = []
    for position, group in enumerate(order):
        count = int(counts[group])
        key = _form("group_first", count) if position == 0 else "group_next"
        parts.append(_say(key, lang, units=_count(count, "unit", lang),
                          group=group_label(group, lang)))
    return [_say("groups", lang, parts=_join(parts, lang))]


def _average(table: pd.DataFrame, basis: str, lang: str) -> str:
    summary = ranking.block_summary(table)
    average = (format_percent(summary["average"], lang) if basis == "percent"
               else _points(summary["average"], lang))
    return _say("average", lang, value=average)


def _mismatches(table: pd.DataFrame, lang: str) -> list[str]:
    mismatches = int(table["group_mismatch"].sum())
    if not mismatches:
        return []
    return [_say(_form("mismatch", mismatches), lang, units=_count(mismatches, "unit", lang))]


def _methodology_sentence(table: pd.DataFrame, *, index: str, lang: str,
                          components: pd.DataFrame, scores: pd.DataFrame) -> str | None:
    period = str(table["period"].iloc[0])
    previous = scope.previous_period(scope.periods(scores, index), period)
    if previous is None:
        return None
    listed = set(components.loc[components["index"] == index, "period"])
    if not {period, previous} <= listed:
        return None
    changes = trends.methodology_changes(components, index=index, period_from=previous,
                                            period_to=period)
    if changes.empty:
        return None
    return _say("methodology", lang, period=_period_phrase(period, lang),
                previous=_period_phrase(previous, lang),
                changes=_count(len(changes), "change", lang))


# ---- one unit --------------------------------------------------------------------------------


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
        raise UsageError.of("narrative.unknown_unit", unit_id=unit_id)
    row = rows.iloc[0]
    name = unit_name(str(row["unit"]), lang)
    sentences = _standing(table, row, name, lang) + _fields(strengths, lang)
    if field_changes is not None:
        sentences += _field_moves(field_changes, lang)
    return sentences


def _standing(table: pd.DataFrame, row: pd.Series, name: str, lang: str) -> list[str]:
    """The unit's rank, value and group, then its move since the previous period."""
    if pd.isna(row["rank"]):
        return [_say("unit_unranked", lang, unit=name)]
    rank = int(row["rank"])
    group = _say("unit_group", lang, group=group_label(row["group"], lang)) if row["group"] else ""
    out = [_say("unit_rank", lang, unit=name, rank=rank, ordinal=ordinal(rank, lang),
                total=int(table["rank"].notna().sum()), value=_score(row, _basis(table), lang),
                group=group)]
    change = row["change"]
    if bool(row["is_new"]):
        out.append(_say("unit_new", lang, unit=name))
    elif not pd.isna(change):
        key = "unit_rose" if change > 0 else "unit_fell" if change < 0 else "unit_same"
        out.append(_say(key, lang, unit=name, places=_count(abs(int(change)), "place", lang)))
    return out


def _fields(strengths: pd.DataFrame, lang: str) -> list[str]:
    """The strongest field, and the weakest when there are two or more."""
    fields = strengths.dropna(subset=["gap_to_average"]).sort_values("gap_to_average",
                                                                     kind="stable")
    out = []
    if not fields.empty:
        best = fields.iloc[-1]
        out.append(_say("strongest", lang, name=best["name"],
                        percent=format_percent(float(best["percent"]), lang),
                        gap=format_signed(float(best["gap_to_average"]), lang)))
    if len(fields) >= 2:
        worst = fields.iloc[0]
        out.append(_say("weakest", lang, name=worst["name"],
                        percent=format_percent(float(worst["percent"]), lang),
                        gap=format_signed(float(worst["gap_to_average"]), lang),
                        lost=_points(float(worst["points_lost"]), lang)))
    return out


def _field_moves(changes: pd.DataFrame, lang: str) -> list[str]:
    """The field that gained most points and the one that lost most."""
    deltas = changes.dropna(subset=["delta"])
    gained = deltas[deltas["delta"] > 0].sort_values("delta", ascending=False, kind="stable")
    lost = deltas[deltas["delta"] < 0].sort_values("delta", kind="stable")
    out = []
    if not gained.empty:
        top = gained.iloc[0]
        out.append(_say("field_up", lang, name=top["name"],
                        points=_points(float(top["delta"]), lang)))
    if not lost.empty:
        top = lost.iloc[0]
        out.append(_say("field_down", lang, name=top["name"],
                        points=_points(abs(float(top["delta"])), lang)))
    return out


__all__ = ["MOST_MOVERS", "field_changes", "ordinal", "ranking_sentences", "unit_name",
           "unit_sentences"]
