"""Dữ liệu / Data: upload files, check what was read, correct it, store it; versions, the
audit log and empty templates. The page analysts use to make the numbers trustworthy."""
from __future__ import annotations

from datetime import date

import streamlit as st

from reform.app import ui
from reform.core.access import Action
from reform.core.errors import ReformError
from reform.core.kinds import INDEX_CODES
from reform.core.model import LEVELS
from reform.ingest import templates
from reform.ingest.crosswalk import read_lineage
from reform.ingest.pipeline import ParsedFile, import_each_index
from reform.ingest.readers import RawWorkbook, read_workbook
from reform.ingest.roles import ROLES
from reform.present import labels
from reform.present.pages import data as uploads
from reform.present.pages import data_report

_STATUS_COLOR = {"active": "green", "superseded": "orange", "deleted": "red"}


@st.cache_resource(max_entries=4, show_spinner=False)
def _workbook(data: bytes, file_name: str) -> RawWorkbook:
    # Cached, not read again on each rerun: a click elsewhere on the page redraws the preview.
    # Shared by the sessions that upload the same file; nothing here changes it.
    return read_workbook(data, file_name)


@st.cache_resource(max_entries=2, show_spinner=False)
def _units(url: str, token: int):
    # The store's units (a gazetteer of thousands) once per store state: the reading matches
    # names against them and the match editor offers them.
    return ui.store().units()


@st.cache_resource(max_entries=8, show_spinner=False)
def _parse(data: bytes, file_name: str, url: str, token: int, options: dict) -> list[ParsedFile]:
    # Keyed by the store and its state token: units added by a stored file change the matches.
    # One reading per index when the file's index column names several, as the command line.
    # A resource, not data: a national file's frames are not copied on every rerun.
    return import_each_index(data, file_name, _units(url, token), ui.store().previous_units, **options)


@st.cache_resource(max_entries=8, show_spinner=False)
def _view(sha: str, file_name: str, url: str, token: int, options: dict, lang: str,
          _parsed: list[ParsedFile], _book: RawWorkbook) -> data_report.FileView:
    # The parsed files and the workbook follow from the other arguments, so are not hashed.
    # The units offered are sorted once per store state, file and language.
    return data_report.file_view(_parsed, _book, _units(url, token), lang=lang)


def _fixes(sha: str) -> dict:
    """The analyst's corrections for one file (roles per sheet, unit overrides)."""
    return st.session_state.setdefault("data_fixes", {}).setdefault(sha, {"roles": {}, "units": {}})


def _issues(parsed: ParsedFile, table, lines: tuple[str, ...], *, key: str) -> None:
    """The validation report: counts, then each issue with the unit of its row (the name as
    the file writes it, the unit matched) and its message whole; every message can be read
    in full below the table."""
    counts = uploads.issue_counts(parsed.issues)
    st.markdown("**" + ui.tr("data.issues", errors=counts["error"], warnings=counts["warning"]) + "**")
    if not parsed.issues:
        st.caption(ui.tr("data.no_issues"))
        return
    # Rows taller than 4 rem let Streamlit's grid wrap the text: three lines of a message.
    st.dataframe(table, key=f"issues_{key}", hide_index=True, row_height=72,
                 column_config=_issue_columns(units=True))
    with st.expander(ui.tr("data.messages_whole", count=len(table))):
        st.markdown("\n".join(f"- {line}" for line in lines))


def _issue_columns(*, units: bool) -> dict:
    """Headers of an issues table: severity, sheet, cell, (the unit's row: name read, unit), message."""
    text = st.column_config.TextColumn
    where = {key: text(ui.tr(f"data.col.{key}"), width="small") for key in ("severity", "sheet", "cell")}
    who = {"unit_read": text(ui.tr("data.col.raw_name"), width="medium"),
           "unit": text(ui.tr("data.col.unit"), width="medium")} if units else {}
    return where | who | {"message": text(ui.tr("data.col.message"), width="large")}


def _file_section(upload, *, index: str | None, period: str | None, level: str | None) -> None:
    data = upload.getvalue()
    try:
        workbook = _workbook(data, upload.name)
    except ReformError as error:
        st.error(error.message(ui.lang()))
        return
    key = workbook.sha256[:12]
    fixes = _fixes(workbook.sha256)
    sheet = st.selectbox(ui.tr("data.sheet"), [""] + [s.name for s in workbook.sheets], key=f"sheet_{key}",
                         format_func=lambda s: s or ui.tr("data.all_sheets"))
    options = uploads.reading_options(index=index, period=period, level=level, sheet=sheet, fixes=fixes)
    if (fixes["roles"] or fixes["units"]) and st.button(ui.tr("data.reset"), key=f"reset_{key}"):
        fixes["roles"], fixes["units"] = {}, {}
        for name in uploads.editor_state_keys(st.session_state, key):
            del st.session_state[name]
        st.rerun()
    url, token = ui.store().url, ui.state_token()
    try:
        parsed_files = _parse(data, upload.name, url, token, options)
    except ReformError as error:
        st.error(error.message(ui.lang()))
        return
    view = _view(workbook.sha256, upload.name, url, token, options, ui.lang(), parsed_files, workbook)
    # A file holding several indices: one tab per index, each read and checked on its own.
    several = len(parsed_files) > 1
    if several:
        st.info(uploads.several_line(parsed_files, lang=ui.lang()))
    panes = st.tabs([ui.index_label(p.index) for p in parsed_files]) if several else [st.container()]
    for number, (pane, parsed) in enumerate(zip(panes, parsed_files, strict=True)):
        with pane:
            _reading(parsed, view, number, key=f"{key}_{parsed.index}" if several else key)

    # The Store button right after the reports: they are what the analyst acts on.
    _store_button(parsed_files, options, key=key)
    # What was read, and the analyst's corrections: columns per sheet, then unit names.
    _columns(view, key=key, fixes=fixes)
    _unit_matches(parsed_files, view, key=key, fixes=fixes)


def _reading(parsed: ParsedFile, view: data_report.FileView, number: int, *, key: str) -> None:
    """One reading of a file: what it holds, the shape of each sheet, the validation report."""
    st.markdown(uploads.summary_line(parsed, lang=ui.lang()))
    if parsed.skipped_sheets:
        st.caption(ui.tr("data.skipped", sheets=", ".join(parsed.skipped_sheets)))
    for line in uploads.shape_lines(parsed.sheets, lang=ui.lang()):
        st.caption(line)
    if changes := data_report.published_changes_line(parsed, lang=ui.lang()):
        st.caption(changes)
    _issues(parsed, view.issues[number], view.issue_lines[number], key=key)


def _store_button(parsed_files: list[ParsedFile], options: dict, *, key: str) -> None:
    """Store every reading of the file in one transaction, or none when one has errors."""
    ok = all(parsed.ok for parsed in parsed_files)
    if not ok:
        st.warning(ui.tr("data.blocked"))
    if st.button(ui.tr("data.store"), key=f"store_{key}", type="primary", disabled=not ok):
        try:
            results = ui.store().save_many(uploads.datasets_to_store(parsed_files, options), **ui.actor())
        except ReformError as error:
            st.error(error.message(ui.lang()))
            return
        # Said next to the button after the rerun: the analyst is scrolled down here, far
        # from the top of the page.
        st.session_state.setdefault("data_stored", {})[key] = uploads.stored_message(
            parsed_files[0].file_name, parsed_files, results, lang=ui.lang())
        st.rerun()  # so the sidebar and the version list show the new data at once
    stored = st.session_state.get("data_stored", {}).pop(key, None)
    if stored:
        st.success(stored, icon=":material/check_circle:")
        st.toast(stored, icon=":material/check_circle:")


def _columns(view: data_report.FileView, *, key: str, fixes: dict) -> None:
    """Each sheet's columns with the role read, for the analyst to correct."""
    st.caption(ui.tr("data.columns"))
    # One tab per sheet, however many periods or indices it held; roles are set on the sheet.
    tabs = st.tabs([f"{ui.tr('data.sheet')} '{sheet.sheet}'" for sheet in view.sheets])
    for number, (tab, sheet) in enumerate(zip(tabs, view.sheets, strict=True)):
        shown = sheet.columns
        edited = tab.data_editor(
            shown, key=f"roles_{key}_{number}", hide_index=True, disabled=["letter", "header", "examples"],
            column_config={
                "letter": st.column_config.TextColumn(ui.tr("data.col.letter"), width="small"),
                "header": st.column_config.TextColumn(ui.tr("data.col.header")),
                # Codes stay the cell values (what the importer reads back); labels are shown.
                "role": st.column_config.SelectboxColumn(
                    ui.tr("data.col.role"), options=[str(role) for role in ROLES], required=True,
                    format_func=lambda role: labels.role_label(role, ui.lang())),
                "examples": st.column_config.TextColumn(ui.tr("data.col.examples")),
            })
        roles = uploads.changed_roles(shown, edited)
        if roles:
            fixes["roles"].setdefault(sheet.sheet, {}).update(roles)
            st.rerun()
        with tab.expander(ui.tr("data.first_rows")):
            st.dataframe(sheet.first_rows, key=f"rows_{key}_{number}")


def _unit_matches(parsed_files: list[ParsedFile], view: data_report.FileView, *, key: str,
                  fixes: dict) -> None:
    """Each unit name as written and the unit matched, for the analyst to correct."""
    with st.expander(ui.tr("data.units", check=view.attention), expanded=view.attention > 0):
        if uploads.holds_inspections(parsed_files):
            st.caption(ui.tr("data.units_inspections"))
        matches, choices = view.matches, view.choices
        chosen = st.data_editor(
            matches, key=f"units_{key}", hide_index=True,
            disabled=["raw_name", "how", "score", "suggestions"],
            column_config={
                "raw_name": st.column_config.TextColumn(ui.tr("data.col.raw_name")),
                "unit": st.column_config.SelectboxColumn(ui.tr("data.col.unit"), options=list(choices), required=True),
                "how": st.column_config.TextColumn(ui.tr("data.col.how"), width="small"),
                "score": st.column_config.NumberColumn(ui.tr("data.col.score"), format="%.0f", width="small"),
                "suggestions": st.column_config.TextColumn(ui.tr("data.col.suggestions")),
            })
    overrides = uploads.changed_units(matches, chosen, choices)
    if overrides:
        fixes["units"].update(overrides)
        st.rerun()  # the preview reads the file again with the analyst's choice


@st.cache_resource(max_entries=4, show_spinner=False)
def _history(url: str, token: int, lang: str, _datasets: list[dict]) -> tuple:
    # The versions as shown and the latest audit entries, once per store state and language
    # (the datasets follow from the token): a click elsewhere on the page reads no table.
    return (uploads.datasets_table(_datasets, lang=lang),
            uploads.audit_table(ui.store().audit_log(), limit=50))


def _versions() -> None:
    # Restore and delete say what they did here, beside their buttons, not at the page's top.
    for kind, message in st.session_state.pop("data_flash", []):
        (st.success if kind == "success" else st.info)(message)
        st.toast(message)
    current = ui.store()
    datasets = ui.datasets()
    if not datasets:
        st.caption(ui.tr("data.no_versions"))
        return
    table, audit = _history(current.url, ui.state_token(), ui.lang(), datasets)
    # Asked once, not per version: each asking reads the account from the store.
    may_restore, may_delete = ui.can(Action.RESTORE), ui.can(Action.DELETE)
    for entry, row in zip(datasets, table.itertuples(index=False), strict=True):
        version = entry["version"]
        badge, text, restore, delete, original = st.columns([1.2, 5.2, 1.3, 1, 1.6], vertical_alignment="center")
        with badge:
            st.badge(row.status, color=_STATUS_COLOR.get(entry["status"], "gray"))
        text.markdown(ui.tr("data.version_line", version=version, index=row.index, periods=row.periods,
                            file=row.file, units=row.units, at=row.uploaded_at, who=row.uploaded_by))
        if may_restore and restore.button(ui.tr("data.restore"), key=f"restore_{version}",
                          disabled=entry["status"] == "active"):
            current.restore(version, **ui.actor())
            st.session_state.setdefault("data_flash", []).append(
                ("success", ui.tr("data.restored", version=version)))
            st.rerun()
        if may_delete and delete.button(ui.tr("data.delete"), key=f"delete_{version}",
                         disabled=entry["status"] == "deleted"):
            current.delete(version, **ui.actor())
            st.session_state.setdefault("data_flash", []).append(
                ("info", ui.tr("data.deleted", version=version)))
            st.rerun()
        original.download_button(
            ui.tr("data.original"), data=lambda v=version: current.original_file(v)[1],
            file_name=entry["file"], key=f"original_{version}", on_click="ignore",
            icon=":material/download:")
    with st.expander(ui.tr("data.audit")):
        st.dataframe(audit, key="audit", hide_index=True)


@st.cache_data(max_entries=4, show_spinner=False)
def _read_lineage(data: bytes, file_name: str, url: str, token: int):
    # Keyed by the store's state token: the units it already knows change the links' ids.
    return read_lineage(data, file_name, ui.store().units())


def _lineage() -> None:
    """The statistics office's crosswalk: read, reported (links, units, bad rows by cell),
    then stored on request, as ``python -m reform lineage import`` does."""
    st.caption(ui.tr("data.lineage.intro"))
    if not ui.can(Action.UPLOAD):
        return
    upload = ui.file_uploader(ui.tr("data.lineage.upload"), types=["xlsx", "xls", "csv"],
                              key="lineage_upload")
    stored = st.session_state.pop("lineage_stored", None)
    if stored:
        st.success(stored, icon=":material/check_circle:")
    if upload is None:
        return
    try:
        lineage, crosswalk = _read_lineage(upload.getvalue(), upload.name, ui.store().url,
                                           ui.store().state_token())
    except ReformError as error:
        st.error(error.message(ui.lang()))
        return
    st.markdown(data_report.lineage_summary(lineage, crosswalk, lang=ui.lang()))
    counts = uploads.issue_counts(crosswalk.issues)
    st.markdown("**" + ui.tr("data.lineage.issues", errors=counts["error"],
                             warnings=counts["warning"]) + "**")
    if crosswalk.issues:
        st.dataframe(data_report.lineage_issues(crosswalk.issues, lang=ui.lang()), key="lineage_issues",
                     hide_index=True, row_height=72, column_config=_issue_columns(units=False))
    with st.expander(ui.tr("data.lineage.links", count=len(lineage.links))):
        ui.show_table(data_report.lineage_links(lineage.links, lang=ui.lang()), key="lineage_links")
    if not crosswalk.ok:
        st.warning(ui.tr("data.lineage.blocked"))
    if st.button(ui.tr("data.lineage.store"), key="lineage_store", type="primary",
                 disabled=not crosswalk.ok):
        try:
            result = ui.store().save_lineage(lineage, **ui.actor())
        except ReformError as error:
            st.error(error.message(ui.lang()))
            return
        st.session_state["lineage_stored"] = ui.tr(
            "data.lineage.duplicate" if result.duplicate else "data.lineage.stored",
            version=result.version)
        st.rerun()  # the sidebar's as-of switch and the versions list show it at once


def _templates() -> None:
    year = st.text_input(ui.tr("data.template_year"), value=str(date.today().year), key="template_year")
    try:
        year = uploads.check_period(year) or str(date.today().year)
        names = {index: templates.template_file_name(index, period=year) for index in templates.TEMPLATE_INDICES}
    except ReformError as error:
        st.error(error.message(ui.lang()))
        return
    for column, index in zip(st.columns(len(names)), names, strict=True):
        column.download_button(
            ui.tr("data.template", index=ui.index_label(index)),
            data=lambda i=index: templates.template_workbook(i, period=year),
            file_name=names[index], key=f"template_{index}", on_click="ignore", icon=":material/description:",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---- inputs ---------------------------------------------------------------------------------
st.title(ui.tr("data.title"))
st.caption(ui.tr("data.intro"))
ui.sample_banner()
ui.sample_offer()  # the first real upload: offer to leave the illustrative sample

files = ui.file_uploader(ui.tr("data.upload"), types=["xlsx", "xlsm", "xls", "csv", "html"],
                        multiple=True, key="upload") if ui.can(Action.UPLOAD) else ui.upload_locked()
with st.expander(ui.tr("data.options")):
    left, middle, right = st.columns(3)
    index_choice = left.selectbox(ui.tr("data.index"), ["", *INDEX_CODES], key="upload_index",
                                  format_func=lambda c: ui.index_label(c) if c else ui.tr("data.auto"))
    period_text = middle.text_input(ui.tr("data.period"), key="upload_period")
    level_choice = right.selectbox(ui.tr("data.level"), ["", *LEVELS], key="upload_level",
                                   format_func=lambda v: ui.level_label(v) if v else ui.tr("data.auto"))
try:
    period_choice = uploads.check_period(period_text)
except ReformError as error:
    st.error(error.message(ui.lang()))
    period_choice = None

# ---- load, compute, show: one section per distinct file ---------------------------------------
for upload in uploads.distinct_uploads(files):
    with st.container(border=True):
        st.subheader(upload.name)
        _file_section(upload, index=index_choice or None, period=period_choice, level=level_choice or None)

st.header(ui.tr("data.versions"))
_versions()
st.header(ui.tr("data.lineage"))
_lineage()
st.header(ui.tr("data.templates"))
_templates()

# Admins only (nothing is drawn for anyone else).
ui.accounts_admin()
