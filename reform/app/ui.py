"""The one module of ``reform`` that imports streamlit: cached loaders, the shared sidebar
(language, index, period, level — all bound to the URL), banners and small shared widgets.

Pages call these and ``reform``'s pure modules; they never compute with pandas themselves.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd
import streamlit as st

from reform.core import config
from reform.core.access import Action, Role, allowed, parse_role
from reform.core.errors import ReformError, UsageError
from reform.core.i18n import LANGS, t
from reform.present import charts, exports, frames, labels
from reform.present.charts import group_color
from reform.present.charts.memo import identity, memoized, seal
from reform.present.pages import choices, overview
from reform.store.snapshot import Snapshot, keep_view, load_snapshot, read_view
from reform.store.state import StoreState, light_state, normalise_url

# The store itself and its accounts bring SQLAlchemy (and argon2) with them: a third of a
# second of every restart, where the first page is drawn from the snapshot's Arrow copy and
# nobody is signed in yet. They are imported where first needed (``_store``, ``accounts``):
# the one deliberate exception of tests/test_layers.py (issue 10).
if TYPE_CHECKING:
    from reform.store.accounts import Accounts
    from reform.store.store import Store


@dataclass(frozen=True)
class Scope:
    """What the sidebar selects: one index, one period, one block."""

    index: str | None
    period: str | None
    level: str | None


_LANG_LABELS = {t("ui.language.self", code): code for code in LANGS}
"""Each language named in itself ("Tiếng Việt", "English"), as the radio and the URL show it."""


def lang() -> str:
    """The interface language chosen in the sidebar (Vietnamese by default).

    Before the sidebar's radio exists in a run (the navigation titles are made first), a
    shared link's ``?lang=English`` already decides it.
    """
    value = st.session_state.get("lang")
    if value is None:
        raw = st.query_params.get("lang", "vi")
        value = _LANG_LABELS.get(raw, raw)
    return value if value in LANGS else "vi"


def tr(key: str, **values: object) -> str:
    """``i18n.t`` in the chosen language."""
    return t(key, lang(), **values)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    # Guarded: every change must name a role allowed to make it (``actor``), so a page that
    # forgot to hide a button still cannot change data.
    from reform.store.store import Store  # deferred: SQLAlchemy (see the imports)

    return Store(url, guarded=True)


def store() -> Store:
    """The store named by REFORM_DATABASE_URL, or the embedded SQLite file; one per process."""
    return _store(_url())


def _url() -> str:
    """The store's URL as ``Store`` spells it (``Store.url``)."""
    return normalise_url(config.database_url())


@st.cache_resource(show_spinner=False)
def _state(url: str) -> StoreState | Store:
    # A SQLite store's state is read with sqlite3 (``store.state``): a restarted app draws
    # its first page from the snapshot's copy without opening the store (an engine, its
    # tables checked). Anything else, or a store not made yet, is read through the store.
    return light_state(url, opener=lambda: _store(url)) or _store(url)


@st.cache_resource(show_spinner=False, max_entries=2)
def _snapshot(url: str, token: int) -> Snapshot:
    # Keyed by the store's state token: an upload changes the token, so it shows at once,
    # and nothing is read twice while the data stays the same. Two entries: the state shown
    # and the one before it, for a session whose run began just before an upload (a national
    # snapshot holds over a hundred MB).
    return load_snapshot(_state(url))


def state_token() -> int:
    """The store's state token, read once per run of the script: the sidebar forgets it at
    the start of each run (``sidebar``), and so does a write made here (``remove_sample``).
    The pages' many ``computed`` calls then cost no query each."""
    token = st.session_state.get("_state_token")
    if token is None:
        token = st.session_state["_state_token"] = _state(_url()).state_token()
    return token


def snapshot() -> Snapshot:
    """The frames shown now, read once per store state."""
    return _snapshot(_url(), state_token())


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(url: str, token: int) -> list[dict]:
    # Keyed by the state token, as the snapshot: every store, delete or restore changes it.
    return _store(url).datasets()


def datasets() -> list[dict]:
    """``Store.datasets()`` read once per store state: the Data page's versions and the sample
    offer read it on every rerun otherwise. Shared between sessions: callers must not mutate it."""
    return _datasets(_url(), state_token())


def show_error(error: ReformError) -> None:
    """Show a user-facing error in the chosen language and stop the page."""
    st.error(error.message(lang()))
    st.stop()


def index_label(code: str) -> str:
    """The index's display name in the chosen language (the kinds registry's)."""
    return labels.index_label(code, lang())


def group_label(group: object) -> str:
    """A group's name in the chosen language ("Khá" -> "Fair"); the stored value stays."""
    return labels.group_label(group, lang())


def level_label(level: str) -> str:
    """The block's name in the chosen language; its code when it has none."""
    return labels.level_label(level, lang())


def sidebar() -> Scope:
    """Language, index, period and block pickers; returns the scope.

    The URL always names all four by code (``?lang=vi&index=PAR&period=2018&level=office``),
    defaults included: a link then opens exactly what it names even after new data changes
    the defaults. Streamlit's own binding drops defaults and codes from the address.
    """
    st.session_state.pop("_state_token", None)  # a new run: the store may have changed
    with st.sidebar:
        seed_from_url("lang", LANGS, lambda code, _lang: t("ui.language.self", code))
        st.radio(t("ui.language", lang()), LANGS, key="lang", horizontal=True,
                 format_func=lambda code: t("ui.language.self", code), on_change=_relabel)
        account_box()
    require_browse()
    with st.sidebar:
        data = snapshot()
        if data.empty:
            write_url({"lang": lang()})
            return Scope(None, None, None)
        # Read from millions of score rows at national scale: once per store state and scope.
        indices = computed(choices.indices)
        seed_from_url("index", indices, labels.index_label)
        # In a slot a page may fill with the one index it applies to (``fixed_index``).
        st.session_state["_index_slot"] = slot = st.empty()
        st.session_state.pop("_page_index", None)
        index = slot.selectbox(tr("ui.index"), indices, key="index", format_func=index_label)
        periods = computed(choices.periods, index=index)
        seed_from_url("period", periods)
        period = st.selectbox(tr("ui.period"), periods, key="period")
        levels = computed(choices.levels, index=index, period=period)  # the default first
        seed_from_url("level", levels, labels.level_label)
        level = st.selectbox(tr("ui.level"), levels, key="level",
                             format_func=level_label) if levels else None
        write_url({"lang": lang(), "index": index, "period": period, "level": level})
        copy_link()
    return Scope(index, period, level)


def _relabel() -> None:
    """After a change of language, hand every choice back to its widget so the browser draws
    it in the new language.

    Streamlit's browser side keeps a selectbox's choice as the text it last showed ("Tổng
    điểm"), so without this an English page kept Vietnamese choices until the page changed.
    Setting a widget's own value from a callback makes the server send it again, labelled
    anew. Only plain choices (text, or lists of text) are handed back: buttons, uploads and
    editors cannot be set that way, and "_" keys are the app's own state.
    """
    for key in list(st.session_state):
        value = st.session_state[key]
        # A non-empty list: an empty one may be an uploader's, which cannot be set (and an
        # empty multiselect shows no label to redraw).
        plain = isinstance(value, str) or (
            isinstance(value, list | tuple) and bool(value)
            and all(isinstance(v, str) for v in value))
        if key != "lang" and not str(key).startswith("_") and plain:
            st.session_state[key] = value


def seed_from_url(key: str, options: list[str] | tuple[str, ...], label=None) -> None:
    """Before a sidebar widget is made in a new session, take its value from the link: by
    code (``level=office``) or by the label either language writes (``level=Offices``).

    ``label(option, lang)`` gives the label; a value that is no option is ignored.
    """
    raw = st.query_params.get(key)
    if raw is None or key in st.session_state:
        return
    by_label = {label(o, code): o for o in options for code in LANGS} if label else {}
    value = raw if raw in options else by_label.get(raw)
    if value is not None:
        st.session_state[key] = value


def write_url(values: dict[str, str | None]) -> None:
    """Put ``values`` in the address (by code), leaving the page's own parameters alone."""
    for key, value in values.items():
        if value is None:
            continue
        if st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def accept_codes(key: str, options: list[str] | tuple[str, ...]) -> None:
    """Let a link name an option by its code (``?unit=ward:hang-bac``) as well as by the label
    the app writes itself, for widgets bound to the URL.

    Bound widgets only understand their displayed labels; a code from a hand-made link or a
    script is put in the session state before the widget is created, which the binding allows.
    """
    raw = st.query_params.get(key)
    if raw is not None and raw in options and key not in st.session_state:
        st.session_state[key] = raw


def scope() -> Scope:
    """The scope chosen in the sidebar (``dashboard.py`` draws the sidebar before each page)."""
    return st.session_state.get("_scope") or Scope(None, None, None)


def require_data() -> Snapshot:
    """The snapshot, or a message on how to load data and a stop when the store is empty."""
    data = snapshot()
    if data.empty:
        st.info(tr("ui.empty"))
        st.stop()
    return data


def is_sample(*indices: str | None) -> bool:
    """True when the data of ``indices`` (the sidebar's index by default) is the illustrative
    sample; real data is never mixed with it (``store.snapshot``)."""
    return snapshot().is_sample(*(indices or (shown_index(),)))


def shown_index() -> str | None:
    """The index the page shows: the one it is fixed to (``fixed_index``), else the sidebar's."""
    return st.session_state.get("_page_index") or scope().index


def sample_banner(*indices: str | None) -> None:
    """A plain warning exactly when the data shown (of ``indices``, the sidebar's index by
    default) is the illustrative sample."""
    if is_sample(*indices):
        st.warning(tr("ui.sample"))


def has_sample_and_real() -> bool:
    """True when the store holds the sample next to real data: the Data page then offers to
    remove the sample (``remove_sample``)."""
    kept = [d for d in datasets() if d["status"] != "deleted"]
    users = {d["uploaded_by"] == config.SAMPLE_USER for d in kept}
    return users == {True, False}


def remove_sample() -> int:
    """Delete (softly: they can be restored) every version of the illustrative sample.
    Returns how many were deleted."""
    current = store()
    sample = [d["version"] for d in current.datasets()
              if d["uploaded_by"] == config.SAMPLE_USER and d["status"] != "deleted"]
    for version in sample:
        current.delete(version, **actor())
    st.session_state.pop("_state_token", None)  # the rest of this run shows the change
    return len(sample)


def sample_offer() -> None:
    """At the first real upload, offer to leave the illustrative sample (a button)."""
    if not can(Action.DELETE) or not has_sample_and_real():
        return
    with st.container(border=True):
        st.info(tr("ui.sample.offer"))
        if st.button(tr("ui.sample.remove"), key="remove_sample", icon=":material/delete:"):
            st.success(tr("ui.sample.removed", count=remove_sample()))


def readable_query(params: dict[str, str]) -> str:
    """A query string that keeps Vietnamese letters readable (browsers accept them as they
    are): ``unit=Phường+Cửa+Nam`` rather than ``unit=Ph%C6%B0%E1%BB%9Dng…``.

    >>> readable_query({"unit": "Phường Cửa Nam", "x": "a&b"})
    'unit=Phường+Cửa+Nam&x=a%26b'
    """
    def encode(text: str) -> str:
        return "".join(ch if ch.isalnum() or ch in "-_.:,()" else "+" if ch == " " else quote(ch)
                       for ch in str(text))

    return "&".join(f"{encode(k)}={encode(v)}" for k, v in params.items())


def copy_link() -> None:
    """The full URL of this view (page and every bound widget), with a copy button."""
    base = str(st.context.url or "").split("?")[0]
    params = {k: v for k, v in st.query_params.to_dict().items() if v not in ("", None)}
    link = f"{base}?{readable_query(params)}" if params else base
    st.caption(tr("ui.copy_link"))
    st.code(link, language=None, wrap_lines=True)


def unit_options(data: Snapshot, scope_: Scope) -> list[str]:
    """Unit ids of the chosen block and period, in Vietnamese order of their names (sorted
    once per store state and scope: 10,000 names take a while). ``data`` is the snapshot."""
    return computed(choices.unit_options, index=scope_.index, period=scope_.period,
                    level=scope_.level)


def unit_name(data: Snapshot, unit_id: str) -> str:
    return data.unit_names.get(unit_id, unit_id)


def unit_picker(data: Snapshot, scope_: Scope, *, key: str = "unit",
                options: list[str] | None = None) -> str | None:
    """One unit of the block (or of ``options``, e.g. the units valid on an as-of day),
    bound to the URL."""
    options = unit_options(data, scope_) if options is None else options
    if not options:
        return None
    accept_codes(key, options)
    return st.selectbox(tr("ui.unit"), options, key=key, format_func=data.unit_names.__getitem__,
                        bind="query-params")


def units_picker(data: Snapshot, scope_: Scope, *, key: str = "units", default: int = 3,
                 max_selections: int | None = None) -> list[str]:
    """Several units of the block, in Vietnamese order of their names, bound to the URL.
    Pages choose their own default selection (``default`` is kept for callers' symmetry)."""
    options = unit_options(data, scope_)
    return st.multiselect(tr("ui.units"), options, default=None, key=key,
                          format_func=data.unit_names.__getitem__, bind="query-params",
                          max_selections=max_selections, placeholder=tr("ui.choose_units"))


def component_picker(data: Snapshot, scope_: Scope, *, key: str = "component",
                     include_total: bool = True) -> str:
    """A component of the chosen index and period (codes shown with their names)."""
    comps = data.components
    here = comps[(comps["index"] == scope_.index) & (comps["period"] == scope_.period)]
    options = (["TOTAL"] if include_total else []) + list(here["component"])
    names = dict(zip(here["component"], here["name"], strict=True))
    names["TOTAL"] = tr("component.TOTAL")
    accept_codes(key, options)
    return st.selectbox(tr("ui.component"), options, key=key,
                        format_func=lambda c: names.get(c, c) if c == "TOTAL" else f"{c}. {names.get(c, c)}",
                        bind="query-params")


def number_column(label: str, **options) -> object:
    """A number column without a format of its own: ``show_table`` writes its numbers by the
    language's rule (a format here would take precedence and follow the browser instead)."""
    return st.column_config.NumberColumn(label, **options)


def show_table(frame, *, key: str, column_config: dict | None = None,
               decimals: dict[str, int] | None = None, signed: tuple[str, ...] = (),
               **options) -> None:
    """``st.dataframe`` with every number written by the interface language's rule (decimal
    comma in Vietnamese, point in English, whatever the browser; ``frames.number_styler``),
    still sorting by the numbers. ``decimals`` overrides the places of some columns; ``signed``
    columns carry their sign."""
    options.setdefault("hide_index", True)
    current = lang()
    drawn = (frame, current, decimals, tuple(signed), column_config, sorted(options.items()))
    replayed("dataframe", key, drawn, lambda: st.dataframe(
        frames.number_styler(frame, current, decimals, signed), key=key,
        column_config=column_config, **options))


@st.cache_resource(show_spinner=False, max_entries=48)
def _replayed(kind: str, key: str, drawn: str, _draw) -> None:
    # Streamlit records the elements a cached function draws and replays their messages on a
    # hit: a rerun re-sends a national chart or table as first serialised, where building its
    # JSON or Arrow bytes again took most of the rerun. Bounded: a chart or a 10,000-row table
    # holds up to a few MB.
    _draw()


def replayed(kind: str, key: str, drawn: tuple, draw) -> None:
    """``draw()`` (one ``st`` element, not a widget) the first time, then the same element
    replayed while ``drawn`` (what it shows: frames and figures by identity, plain options)
    stays the same. Draws afresh when ``drawn`` cannot be keyed."""
    try:
        stand_in = tuple(identity(part) for part in drawn)
    except TypeError:
        draw()
        return
    # One short digest: Streamlit's own hasher walks nested tuples slowly (tens of ms).
    _replayed(kind, key, hashlib.blake2b(repr(stand_in).encode(), digest_size=16).hexdigest(),
              draw)


def ranking_columns() -> dict:
    """Column settings for ranking tables: rank, unit (kept in view while scrolling), change
    arrows, group, points and %."""
    return {
        "rank": number_column(tr("views.rank"), width="small", pinned=True),
        "unit": st.column_config.TextColumn(tr("views.unit"), width="medium", pinned=True),
        "change_label": st.column_config.TextColumn(tr("views.change"), width="small"),
        "group": st.column_config.TextColumn(tr("views.group"), width="small"),
        "value": number_column(tr("views.points"), width="small"),
        "percent": number_column(tr("views.percent"), width="small"),
    }


def download_name(*parts: object, ext: str) -> str:
    """A file name for downloads from the scope: PAR_2024_ward.xlsx."""
    return "_".join(str(p) for p in parts if p) + f".{ext}"


_KEPT = {f"{func.__module__}.{func.__qualname__}" for func in (
    choices.indices, choices.periods, choices.levels, overview.build_overview)}
"""What the first page after a restart computes (the sidebar's choices, the default page's
view): kept on disk next to the snapshot's Arrow copy (``snapshot.keep_view``), so a restarted
app reads them instead of ranking 10,000 units again. Other views are computed per process."""
_VIEW_CLASSES = (overview.Overview, overview.Metric)
"""The dataclasses a kept view is made of: the only ones reading it back may build."""


@st.cache_resource(show_spinner=False, max_entries=64)
def _computed(name: str, url: str, token: int, options: tuple, _func, _data: Snapshot):
    # Keyed by the function's name, the store and its state token and the options (the
    # underscored arguments are not hashed): a rerun that changes nothing computes nothing,
    # an upload changes the token. Results are shared, so callers must not mutate them: sealed,
    # their frames are keyed by the charts' memo and ``replayed`` without summing them again.
    kept = name in _KEPT
    result = read_view(_data, name, options, classes=_VIEW_CLASSES) if kept else None
    if result is None:
        result = _func(_data, **dict(options))
        if kept:
            keep_view(_data, name, options, result)
    seal(result)
    return result


def computed(func, /, **options):
    """``func(snapshot(), **options)``, computed once per store state and options.

    For the pages' one call into ``reform`` (e.g. ``overview.build_overview``): reruns that only
    redraw (a search box, a chart hover) reuse the result. Raises what ``func`` raises.
    """
    data = snapshot()
    name = f"{func.__module__}.{func.__qualname__}"
    return _computed(name, _url(), data.token, tuple(sorted(options.items())), func, data)


def plotly_config() -> dict:
    """Chart toolbar settings, the same for every chart of every page: no Plotly logo, and
    'save as PNG' writes a projector-size picture, 1920×1080 laid out and drawn at 2× (3840×2160
    pixels), like the exported deck's charts, so presenters get a sharp slide whatever the
    window size. Pages draw with ``theme=None``: Streamlit's theme would shrink and grey the
    projector-sized fonts the figures set."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 2}}


def no_data(error: ReformError) -> None:
    """An index or period without data for this page: an info box, then stop."""
    st.info(error.message(lang()))
    st.stop()


def group_badge_column(groups: list[str]):
    """A table column drawing each unit's group as a badge in the group's chart colour; the
    cells must be one-label lists in the chosen language (``pages.base.group_badges``);
    ``groups`` are the stored labels, which pick the colours."""

    return st.column_config.MultiselectColumn(
        tr("ui.group"), options=[group_label(g) for g in groups],
        color=[group_color(g) for g in groups] or None, width="small")


def score_table_columns(groups: list[str], fields: list[str]) -> dict:
    """Columns of a ranking-like table: ``ranking_columns`` plus group badges and one column
    per field (``fields`` are the field column labels)."""
    return ranking_columns() | {
        "unit_id": None,
        "group": group_badge_column(groups),
        "coverage": st.column_config.TextColumn(tr("ui.coverage"), width="small",
                                                help=tr("ui.coverage_help")),
    } | {label: number_column(label, width="small") for label in fields}


def as_of_switch(data: Snapshot) -> date | None:
    """'On today's units': a switch shown once the store holds a reorganisation (a crosswalk),
    kept in the URL (``as_of=YYYY-MM-DD``). Returns the day chosen, or None for the units the
    period itself stood on."""
    if data.links.empty:
        return None
    raw = st.query_params.get("as_of")
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = bool(raw)
    on = st.toggle(tr("ui.as_of"), key="as_of", help=tr("ui.as_of_help"))
    day = _iso_day(raw) or date.today()
    if on:
        st.query_params["as_of"] = day.isoformat()
    elif "as_of" in st.query_params:
        del st.query_params["as_of"]
    return day if on else None


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


_group_labels = memoized(labels.group_labels)
"""``labels.group_labels`` once per table and language: a rerun shows the same cached table."""


def ranking_block(table, *, title: str, parts: tuple, csv_label: str, excel_label: str) -> None:
    """The ranking chart, its table and CSV/Excel downloads, as the index pages show them.

    The Excel file is built only when its button is pressed, and says when the data shown is
    the illustrative sample."""

    current = lang()
    chart(charts.ranking_bars(table, lang=current, title=title), key="ranking_chart",
          parts=parts)
    show_table(_group_labels(table, lang=current), key="ranking_table",
               column_config=ranking_columns(),
               column_order=["rank", "unit", "change_label", "group", "value", "percent"])
    csv, excel = st.columns(2)
    csv.download_button(csv_label, lambda: exports.dataframe_to_csv(table),  # when pressed
                        file_name=download_name(*parts, ext="csv"), mime="text/csv",
                        key="download_csv", on_click="ignore", icon=":material/download:")
    excel.download_button(
        excel_label,
        lambda: exports.ranking_to_excel(table, lang=current, title=title,
                                         subtitle=tr("ui.sample") if is_sample() else ""),
        file_name=download_name(*parts, ext="xlsx"), key="download_xlsx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:")


def fixed_index(code: str) -> None:
    """For a page that shows one index whatever the sidebar chose (discipline, satisfaction):
    the sidebar's index picker gives way to that index, shown but not offered; the choice
    itself stays in the session and the link for the other pages."""
    st.session_state["_page_index"] = code
    slot = st.session_state.get("_index_slot")
    if slot is None:
        return
    slot.selectbox(tr("ui.index"), [code], key="index_fixed", disabled=True,
                   format_func=index_label, help=tr("ui.index_fixed", index=index_label(code)))


def _uploader_css(key: str, button: str) -> str:
    # Streamlit 1.67 has no translation for its uploader: its "Upload" button and its
    # "50MB per file • XLSX…" line stay English. The line is hidden (our caption says it in
    # the page's language) and the button's word is replaced.
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    word = '"' + button.replace("\\", "\\\\").replace('"', '\\"') + '"'  # a CSS string
    return (f"<style>{scope} [data-testid='stFileUploaderDropzoneInstructions'] {{ display: none; }}"
            f"{scope} button [data-testid='stMarkdownContainer'] p {{ font-size: 0; }}"
            f"{scope} button [data-testid='stMarkdownContainer'] p::after {{ content: {word};"
            " font-size: 1rem; }</style>")


def file_uploader(label: str, *, key: str, types: list[str], multiple: bool = False):
    """``st.file_uploader`` that speaks the page's language: its button and the line under it
    (the size limit from config and the accepted types) come from the catalog. Returns what
    ``st.file_uploader`` returns."""
    st.html(_uploader_css(key, tr("ui.upload.button")))
    files = st.file_uploader(label, type=types, accept_multiple_files=multiple, key=key,
                             max_upload_size=config.MAX_UPLOAD_BYTES // 2**20)
    st.caption(tr("ui.upload.limit", size=config.MAX_UPLOAD_BYTES // 2**20,
                  types=", ".join(t.upper() for t in types)))
    return files


def chart(figure, *, key: str, parts: tuple = ()) -> None:
    """A chart as every page draws it, with "Tải hình"/"Download image" under it: PNG
    (1920×1080 at 2×) or SVG, drawn by the kept Chromium only when a button is pressed, and
    marked "illustrative" exactly when the data shown is the sample."""
    replayed("plotly_chart", key, (figure,),
             lambda: st.plotly_chart(figure, key=key, config=plotly_config(), theme=None))
    current, sample = lang(), is_sample()
    stem = "_".join(str(p) for p in parts if p) or key  # the file name, from the scope
    with st.popover(tr("ui.chart.download"), icon=":material/image:", key=f"{key}_image"):
        for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            st.download_button(
                tr(f"ui.chart.{fmt}"),
                lambda fmt=fmt: exports.chart_image(figure, fmt, illustrative=sample, lang=current),
                file_name=f"{stem}.{fmt}", mime=mime, key=f"{key}_{fmt}", on_click="ignore",
                icon=":material/download:")


# ---- accounts: who is signed in, what they may do, the sign-in widgets --------------------

@dataclass(frozen=True)
class User:
    """Who uses this session: a name (empty when nobody signed in) and a role (None then)."""

    name: str
    role: Role | None


def _secrets(section: str) -> dict:
    """A section of the app's secrets.toml as plain dicts; empty when there is none."""
    try:
        value = st.secrets.get(section)
    except FileNotFoundError:  # no secrets.toml at all (Streamlit's not-found error is one)
        return {}
    return {k: dict(v) if isinstance(v, Mapping) else v for k, v in (value or {}).items()}


def oidc_configured() -> bool:
    """True when the deployment configures an OIDC provider (``[auth]`` in secrets.toml): the
    app then signs in with ``st.login`` instead of its own form."""
    return bool(_secrets("auth"))


def accounts() -> Accounts:
    """The accounts of the store, plus any ``[users.NAME]`` of secrets.toml."""
    from reform.store.accounts import Accounts  # deferred: SQLAlchemy, argon2 (see the imports)

    return Accounts(store(), secrets=_secrets("users"))


def _oidc_user() -> User:
    """The OIDC identity, its role from the ``[roles]`` table of secrets.toml (by e-mail or
    name, any case), else ``config.OIDC_DEFAULT_ROLE``."""
    identity = str(st.user.get("email") or st.user.get("name") or "").strip().lower()
    table = {str(k).strip().lower(): v for k, v in _secrets("roles").items()}
    return User(identity, parse_role(table.get(identity, config.OIDC_DEFAULT_ROLE)))


def current_user() -> User:
    """The signed-in user of this session, or ``User("", None)``.

    A form sign-in is checked against the store on every run: an account removed or given
    another role by an admin takes effect at the user's next click.
    """
    if oidc_configured():
        return _oidc_user() if st.user.get("is_logged_in") else User("", None)
    signed = st.session_state.get("_account")
    if not signed:
        return User("", None)
    account = accounts().get(signed)
    if account is None:
        del st.session_state["_account"]
        return User("", None)
    return User(account.name, account.role)


def can(action: Action) -> bool:
    """Whether this session's user may do ``action`` (browsing is open unless configured)."""
    if action is Action.BROWSE and not config.login_to_browse():
        return True
    return allowed(current_user().role, action)


def actor() -> dict:
    """``user=`` and ``role=`` for the store's writers: ``store().save(dataset, **ui.actor())``.
    The app's store is guarded, so a writer called without them is refused."""
    user = current_user()
    return {"user": user.name, "role": user.role}


def _sign_in_form(*, key: str) -> None:
    """The built-in form: name and password, checked against the store's accounts."""
    with st.form(key, clear_on_submit=True, border=False):
        name = st.text_input(tr("accounts.name"), key=f"{key}_name")
        password = st.text_input(tr("accounts.password_field"), type="password", key=f"{key}_password")
        pressed = st.form_submit_button(tr("accounts.sign_in"), key=f"{key}_submit",
                                        icon=":material/login:")
    if not pressed:
        return
    try:
        account = accounts().sign_in(name, password)
    except ReformError as error:
        st.error(error.message(lang()))
        return
    st.session_state["_account"] = account.name
    st.rerun()


def _sign_out() -> None:
    if oidc_configured():
        st.logout()
    st.session_state.pop("_account", None)


def account_box() -> None:
    """In the sidebar: who is signed in with a sign-out button, or the way to sign in."""
    user = current_user()
    if user.role is not None:
        st.caption(tr("accounts.signed_in", name=user.name, role=labels.access_role_label(user.role, lang())))
        st.button(tr("accounts.sign_out"), key="sign_out", on_click=_sign_out,
                  icon=":material/logout:")
    elif oidc_configured():
        st.button(tr("accounts.sign_in_sso"), key="sign_in_sso", on_click=st.login,
                  icon=":material/login:")
    else:
        with st.expander(tr("accounts.sign_in"), icon=":material/login:"):
            _sign_in_form(key="login")


def require_browse() -> None:
    """Stop with a sign-in when this deployment needs one to browse and nobody is signed in."""
    if can(Action.BROWSE):
        return
    st.info(tr("accounts.browse_needs_login"))
    if oidc_configured():
        st.button(tr("accounts.sign_in_sso"), key="gate_sso", on_click=st.login, type="primary")
    else:
        _sign_in_form(key="gate")
    st.stop()


def upload_locked() -> list:
    """What the Data page shows instead of an uploader to whoever may not upload; no files."""
    st.info(tr("accounts.upload_needs_role"), icon=":material/lock:")
    return []


def accounts_admin() -> None:
    """For admins: the accounts, and forms to create one, change its role or password, or
    remove it. Every change names the admin in the audit log, and the store refuses it for
    anyone else (``Accounts`` checks the role given)."""
    user = current_user()
    if not allowed(user.role, Action.MANAGE_ACCOUNTS):
        return
    current, book = lang(), accounts()
    st.subheader(tr("accounts.admin.title"))
    listed = book.list()
    st.dataframe(pd.DataFrame({
        tr("accounts.name"): [a.name for a in listed],
        tr("accounts.admin.role"): [labels.access_role_label(a.role, current) for a in listed],
        tr("accounts.admin.source"): [a.source for a in listed],
        tr("accounts.admin.locked_until"): [a.locked_until or "" for a in listed],
    }), hide_index=True, key="accounts_table")
    by = {"by": user.name, "by_role": user.role}
    roles = [str(r) for r in Role]
    with st.form("account_add", clear_on_submit=True):
        st.markdown(f"**{tr('accounts.admin.add')}**")
        name = st.text_input(tr("accounts.name"), key="account_add_name")
        role = st.selectbox(tr("accounts.admin.role"), roles, key="account_add_role",
                            format_func=lambda r: labels.access_role_label(r, current))
        password = st.text_input(tr("accounts.password_field"), type="password", key="account_add_pw")
        again = st.text_input(tr("accounts.password_again").rstrip(": "), type="password", key="account_add_pw2")
        if st.form_submit_button(tr("accounts.admin.add"), key="account_add_submit"):
            _account_change(lambda: book.add(name, password, role, **by) if password == again
                            else _mismatch(), tr("accounts.added", name=name,
                                                 role=labels.access_role_label(role, current)))
    in_store = [a.name for a in listed if a.source == "store"]
    if not in_store:
        return
    with st.form("account_change"):
        st.markdown(f"**{tr('accounts.admin.change')}**")
        name = st.selectbox(tr("accounts.admin.account"), in_store, key="account_change_name")
        role = st.selectbox(tr("accounts.admin.role"), roles, key="account_change_role",
                            format_func=lambda r: labels.access_role_label(r, current))
        password = st.text_input(tr("accounts.admin.set_password"), type="password",
                                 key="account_change_pw")
        columns = st.columns(3)
        if columns[0].form_submit_button(tr("accounts.admin.set_role"), key="account_role_submit"):
            _account_change(lambda: book.set_role(name, role, **by),
                            tr("accounts.role_set", name=name, role=labels.access_role_label(role, current)))
        if columns[1].form_submit_button(tr("accounts.admin.set_password"), key="account_pw_submit"):
            _account_change(lambda: book.set_password(name, password, **by),
                            tr("accounts.admin.password_set", name=name))
        if columns[2].form_submit_button(tr("accounts.admin.remove"), key="account_remove_submit",
                                         type="primary"):
            _account_change(lambda: book.remove(name, **by), tr("accounts.removed", name=name))
    st.caption(tr("accounts.admin.secrets_only"))


def _mismatch() -> None:
    raise UsageError.of("accounts.mismatch")


def _account_change(change, done: str) -> None:
    """Run one admin change; its outcome (or the refusal, in the page's language) below."""
    try:
        change()
    except ReformError as error:
        st.error(error.message(lang()))
        return
    st.success(done)
