"""The meeting deck: the slides a presenter shows at a results meeting, built from a scope.

One model serves the presentation page and the ``.pptx``: each :class:`Slide` has a title,
a kind, optionally a chart (a Plotly figure), a table (texts already formatted in the
language, the group of each row for its colour), bullets, and the speaker notes (the
narrative sentences). Pure: a snapshot and the store's dataset list in, a new Deck out.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from reform.analysis import discipline, lineage, ranking, satisfaction, scope, trends
from reform.core import config
from reform.core.errors import ReformError, UsageError
from reform.core.i18n import format_percent, t
from reform.core.model import TOTAL
from reform.present import charts, narrative
from reform.present.frames import is_missing
from reform.present.labels import (
    change_label,
    group_label,
    index_label,
    level_label,
    period_label,
    score_text,
    unit_name,
)
from reform.present.pages.base import field_labels, pick_level, pick_period
from reform.present.pages.profile import build_profile
from reform.present.slides import SLIDE_KINDS, Deck, Slide, SlideTable, Source
from reform.store.snapshot import Snapshot

__all__ = ["SAMPLE_PREFIX", "SLIDE_KINDS", "Deck", "Slide", "SlideTable", "Source", "build_deck",
           "is_illustrative", "ranking_table", "sources_of"]

SAMPLE_PREFIX = "sample_"
"""The sample workbooks in data/ are named so; the app's banner decides the same way."""


def sources_of(datasets: list[dict], indices: set[str]) -> tuple[Source, ...]:
    """The active dataset versions of ``indices`` (from ``Store.datasets()``), oldest first."""
    rows = [d for d in datasets if d.get("status") == "active" and d.get("index") in indices]
    return tuple(Source(str(d["file"]), int(d["version"]), str(d["index"]),
                        tuple(str(p) for p in d.get("periods", ())), str(d.get("uploaded_at", "")),
                        str(d.get("sha256", "")), str(d.get("uploaded_by", "")))
                 for d in sorted(rows, key=lambda d: d["version"]))


def is_illustrative(sources: tuple[Source, ...]) -> bool:
    """True when any source is the illustrative sample (its reserved uploader, or a
    ``sample_*`` file as the app's banner decides): the deck then says so on every slide."""
    return any(s.uploaded_by == config.SAMPLE_USER or s.file.startswith(SAMPLE_PREFIX)
               for s in sources)


def _score(row: pd.Series, lang: str) -> str:
    if not is_missing(row.get("percent")):
        return score_text(float(row["percent"]), True, lang)
    return score_text(float(row["value"]), False, lang) if not is_missing(row["value"]) else "–"


def _group(row: pd.Series) -> str | None:
    value = row.get("group")
    return None if is_missing(value) or str(value) == "" else str(value)


def ranking_table(rows: pd.DataFrame, lang: str) -> SlideTable:
    """Rank, unit, score, change, group of ``rank_units`` rows, in their order."""
    columns = tuple(t(f"deck.col.{c}", lang) for c in ("rank", "unit", "score", "change", "group"))
    body, groups = [], []
    for _, row in rows.iterrows():
        rank = "" if is_missing(row["rank"]) else str(int(row["rank"]))
        group = _group(row)
        body.append((rank, str(row["unit"]), _score(row, lang),
                     change_label(row["change"], row["is_new"], lang),
                     group_label(group, lang) if group else ""))
        groups.append(group)
    return SlideTable(columns, tuple(body), tuple(groups), group_column=4)


def _title_slide(table: pd.DataFrame, *, title: str, level: str, period: str, index: str,
                 as_of: str | None, illustrative: bool, lang: str) -> Slide:
    lines = [t("deck.title.block", lang, level=level_label(level, lang))]
    if as_of:
        lines.append(t("deck.title.as_of", lang, date=as_of))
    if illustrative:
        lines.append(t("deck.illustrative", lang))
    note = t("deck.notes.title", lang, index=index_label(index, lang),
             period=period_label(period, lang), n=int(table["rank"].notna().sum()),
             level=level_label(level, lang))
    return Slide("title", title, subtitle="\n".join(lines), notes=(note,))


def _top_bottom_slide(table: pd.DataFrame, lang: str) -> Slide:
    top, bottom = config.DECK_TOP_N, config.DECK_BOTTOM_N
    ranked = table[table["rank"].notna()]
    if len(ranked) <= top + bottom:
        return Slide("top_bottom", t("deck.top_all", lang, n=len(ranked)),
                     table=ranking_table(ranked, lang))
    head, tail = ranked.head(top), ranked.tail(bottom)
    shown = ranking_table(pd.concat([head, tail]), lang)
    gap = tuple(t("deck.gap_row", lang) if i == 1 else "" for i in range(len(shown.columns)))
    rows = shown.rows[:top] + (gap,) + shown.rows[top:]
    groups = shown.groups[:top] + (None,) + shown.groups[top:]
    return Slide("top_bottom", t("deck.top_bottom", lang, top=top, bottom=bottom),
                 table=SlideTable(shown.columns, rows, groups, shown.group_column))


def _movers_slide(data: Snapshot, scores: pd.DataFrame, *, index: str, period: str, level: str,
                  lang: str) -> Slide:
    title = t("deck.movers", lang)
    previous = scope.previous_period(scope.periods(scores, index), period)
    if previous is None:
        return Slide("movers", title, bullets=(t("deck.movers.none", lang),))
    movers = named(trends.biggest_movers(scores, data.units, data.components, index=index,
                                         period_from=previous, period_to=period, level=level,
                                         n=config.DECK_MOVERS_N), lang)
    moved = movers[movers["rank_change"].fillna(0) != 0]
    notes = tuple(t("deck.movers.up" if row["rank_change"] > 0 else "deck.movers.down", lang,
                    unit=row["unit"], n=abs(int(row["rank_change"])),
                    rank_from=int(row["rank_from"]), rank_to=int(row["rank_to"]))
                  for _, row in moved.iterrows())
    figure = charts.movers_bars(movers, lang=lang, n=config.DECK_MOVERS_N)
    return Slide("movers", title, subtitle=t("deck.movers.since", lang,
                                              period=period_label(previous, lang)),
                 figure=figure, notes=notes)


def _fields_slide(data: Snapshot, scores: pd.DataFrame, *, index: str, period: str, level: str,
                  lang: str) -> Slide:
    title = t("deck.fields", lang)
    labels = field_labels(data.components, index=index, period=period)
    columns = tuple(t(f"deck.col.{c}", lang) for c in ("field", "unit", "score"))
    rows, notes = [], []
    for code, label in labels.items():
        try:
            table = ranking.rank_units(scores, data.units, index=index, period=period,
                                       level=level, component=code)
        except ReformError:
            continue  # a field no unit of the block was scored on has no leader
        leaders = named(table[table["rank"] == 1], lang)
        if leaders.empty:
            continue
        names = ", ".join(leaders["unit"].astype(str))
        score = _score(leaders.iloc[0], lang)
        rows.append((label, names, score))
        notes.append(t("deck.fields.note", lang, field=label, unit=names, score=score))
    if not rows:
        return Slide("fields", title, bullets=(t("deck.fields.none", lang),))
    return Slide("fields", title, table=SlideTable(columns, tuple(rows)), notes=tuple(notes))


def _groups_slide(table: pd.DataFrame, lang: str) -> Slide:
    title = t("deck.groups", lang)
    ranked = table[table["rank"].notna()]
    labelled = [g for g in (_group(row) for _, row in ranked.iterrows()) if g]
    if not labelled:
        return Slide("groups", title, bullets=(t("deck.groups.none", lang),))
    counts = pd.Series(labelled).value_counts(sort=False)
    order = list(dict.fromkeys(labelled))  # best group first: the order of the best-ranked unit
    columns = tuple(t(f"deck.col.{c}", lang) for c in ("group", "count", "share"))
    rows, notes = [], []
    for group in order:
        n = int(counts[group])
        share = format_percent(100.0 * n / len(ranked), lang, 1)
        rows.append((group_label(group, lang), str(n), share))
        notes.append(t("deck.groups.note", lang, group=group_label(group, lang), n=n, share=share))
    return Slide("groups", title, table=SlideTable(columns, tuple(rows), tuple(order), 0),
                 notes=tuple(notes))


def _standouts_slide(data: Snapshot, *, kind: str, index: str, period: str,
                     level: str, lang: str, as_of: date | None = None) -> Slide | None:
    """The three highest and three lowest of ``index`` (SIPAS, discipline) in the period of
    the same year (else its latest) and the block (else its main one); None without data."""
    periods = scope.periods(data.scores, index)
    chosen = pick_period(periods, period)
    if chosen is None:
        return None
    block = pick_level(data, index, chosen, level)
    # That index's rows only: ranking it reads nothing else, and a copy of every score with
    # its coverage (``on_units``) held hundreds of MB at national scale for two slides.
    own = data.scores[data.scores["index"] == index].reset_index(drop=True)
    scores = lineage.on_units(own, data.links, index=index, period=chosen, as_of=as_of)
    try:
        table = ranking.rank_units(scores, data.units, index=index, period=chosen,
                                   level=block, published=data.published)
    except ReformError:
        return None
    ranked = named(table[table["rank"].notna()], lang)
    if ranked.empty:
        return None
    shown = ranked if len(ranked) <= 6 else pd.concat([ranked.head(3), ranked.tail(3)])
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    note = t("deck.standouts.note", lang, index=index_label(index, lang),
             period=period_label(chosen, lang), best=best["unit"], best_score=_score(best, lang),
             worst=worst["unit"], worst_score=_score(worst, lang))
    subtitle = f"{index_label(index, lang)} · {period_label(chosen, lang)} · " \
               f"{level_label(block, lang) if block else ''}".rstrip(" ·")
    return Slide(kind, t(f"deck.{kind}", lang), subtitle=subtitle,
                 table=ranking_table(shown, lang), notes=(note,))


def _unit_slide(data: Snapshot, unit_id: str, *, index: str, period: str, level: str,
                lang: str, as_of: date | None = None) -> Slide | None:
    """A selected unit's profile: rank, change, score, group, its fields against the block."""
    try:
        profile = build_profile(data, index=index, period=period, level=level,
                                unit_id=unit_id, lang=lang, as_of=as_of)
    except ReformError:
        return None  # a unit without a score in this scope gets no slide
    row = profile.row
    name = unit_name(str(row["unit"]), lang)
    bullets = [t("deck.unit.rank", lang, rank=profile.rank_text or "–"),
               t("deck.unit.score", lang, score=_score(row, lang))]
    if profile.change_text:
        bullets.append(t("deck.unit.change", lang, change=profile.change_text))
    if _group(row):
        bullets.append(t("deck.unit.group", lang, group=group_label(_group(row), lang)))
    figure = None
    if not profile.strengths.empty:
        figure = charts.profile_bars(profile.strengths, lang=lang, unit_name=name)
    return Slide("unit", t("deck.unit", lang, unit=name), figure=figure, bullets=tuple(bullets),
                 notes=tuple(profile.sentences))


def _sources_slide(sources: tuple[Source, ...], *, today: str, as_of: str | None,
                   lang: str) -> Slide:
    columns = tuple(t(f"deck.col.{c}", lang) for c in ("file", "version", "index", "periods",
                                                       "uploaded"))
    rows = tuple((s.file, str(s.version), s.index, ", ".join(period_label(p, lang) for p in s.periods),
                  s.uploaded_at[:10]) for s in sources)
    bullets = [t("deck.sources.date", lang, date=today)]
    if as_of:
        bullets.append(t("deck.title.as_of", lang, date=as_of))
    if not rows:
        bullets.append(t("deck.sources.none", lang))
    return Slide("sources", t("deck.sources", lang),
                 table=SlideTable(columns, rows) if rows else None, bullets=tuple(bullets),
                 notes=tuple(f"{s.file} (v{s.version}, SHA-256 {s.sha256[:12]}…)" for s in sources))


def as_of_day(as_of: date | str | None) -> date | None:
    """The as-of day given as a date or as ISO text ("2025-07-01"); None for none.
    Raises UsageError for text that is no date."""
    if as_of is None or isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of))
    except ValueError as exc:
        raise UsageError.of("deck.bad_as_of", value=as_of) from exc


def named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``unit`` names as read in ``lang`` (``labels.unit_name``: "Hàng Bạc
    ward" in English), so a deck's titles, tables, charts and notes name a unit one way."""
    if lang == "vi" or frame.empty:
        return frame
    return frame.assign(unit=[unit_name(str(name), lang) for name in frame["unit"]])


def build_deck(data: Snapshot, *, index: str, period: str, level: str | None,
               units: tuple[str, ...] = (), datasets: list[dict] | None = None,
               as_of: date | str | None = None, lang: str = "vi",
               today: date | None = None) -> Deck:
    """The meeting deck for one index, period and block, with one slide per unit of ``units``.

    Slides, in order: title; overall ranking (chart); top 10 and bottom 5 (table); biggest
    movers since the previous period; leader of each field; group counts; SIPAS and discipline
    standouts (when those indices have data); one profile per selected unit; the sources
    (``datasets`` is ``Store.datasets()``: the active versions of the indices shown).
    With ``as_of`` (a date or "YYYY-MM-DD") and the store's lineage, every figure stands on
    the units valid that day, as the rankings page's switch shows them.
    Raises UsageError when the index has no data in that period and block.
    """
    day = as_of_day(as_of)
    scores = lineage.on_units(data.scores, data.links, index=index, period=period, as_of=day)
    level = level or scope.default_level(scores, index, period, units=data.units)
    table = ranking.rank_units(scores, data.units, index=index, period=period, level=level,
                               published=data.published)
    table = named(lineage.with_coverage(table, scores, index=index, period=period,
                                        component=TOTAL), lang)
    # The indices present, from the categories: a set of the column itself held a Python
    # object per score (4 million at national scale, half a GB at its peak).
    shown = {index, satisfaction.INDEX, discipline.INDEX} & set(data.indices())
    sources = sources_of(datasets or [], shown | {discipline.INDEX})
    illustrative = is_illustrative(sources)
    title = t("deck.title", lang, index=index_label(index, lang), period=period_label(period, lang))
    ranking_notes = narrative.ranking_sentences(table, index=index, lang=lang,
                                                components=data.components, scores=scores)
    day_text = day.isoformat() if day else None
    slides = [
        _title_slide(table, title=title, level=level, period=period, index=index, as_of=day_text,
                     illustrative=illustrative, lang=lang),
        Slide("ranking", t("deck.ranking", lang), subtitle=level_label(level, lang),
              figure=charts.ranking_bars(table, lang=lang, title=""),
              notes=tuple(ranking_notes)),
        _top_bottom_slide(table, lang),
        _movers_slide(data, scores, index=index, period=period, level=level, lang=lang),
        _fields_slide(data, scores, index=index, period=period, level=level, lang=lang),
        _groups_slide(table, lang),
    ]
    for kind, other in (("sipas", satisfaction.INDEX), ("discipline", discipline.INDEX)):
        if other != index:
            slides.append(_standouts_slide(data, kind=kind, index=other, period=period,
                                           level=level, lang=lang, as_of=day))
    slides += [_unit_slide(data, u, index=index, period=period, level=level, lang=lang, as_of=day)
               for u in units]
    today_text = (today or date.today()).isoformat()
    slides.append(_sources_slide(sources, today=today_text, as_of=day_text, lang=lang))
    return Deck(title, lang, tuple(s for s in slides if s is not None), illustrative, sources,
                day_text)
