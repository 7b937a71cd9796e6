"""The Data page's reports: each issue names the unit of its row (as the file writes it and as
matched) with its message whole; the uploader speaks the page's language; a crosswalk is read,
reported and stored from the page."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from accounts_helpers import sign_in_apptest
from streamlit.testing.v1 import AppTest

from reform.core import config
from reform.ingest.pipeline import import_file
from reform.ingest.readers import read_workbook
from reform.present.pages import data_report
from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CROSSWALK = ("Tên xã cũ,Tên xã mới,Ghi chú\n"
             "Phường Phúc Tân,Phường Hoàn Kiếm,Nhập toàn bộ\n"
             "Phường Hàng Mã,Phường Hoàn Kiếm,Nhập toàn bộ\n"
             "Phường Đồng Xuân,Phường Hoàn Kiếm,không rõ\n").encode()


def _bad_par() -> tuple[bytes, str]:
    """The sample PAR workbook with 2024!C10 typed as "9l,5", and the unit name of row 10 as
    openpyxl reads it (the name column is B)."""
    book = openpyxl.load_workbook(ROOT / "data" / "sample_par.xlsx")
    book["2024"]["C10"] = "9l,5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), str(book["2024"]["B10"].value).strip()


def _open(monkeypatch: pytest.MonkeyPatch, url: str, lang: str = "vi") -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    sign_in_apptest(at, url)  # the Data page lets analysts upload
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("cell", "row"), [("C10", 10), ("AB120", 120), ("F", None), ("", None)])
def test_cell_row(cell: str, row: int | None) -> None:
    assert data_report.cell_row(cell) == row


def test_each_issue_names_the_unit_of_its_row(store: Store) -> None:
    data, name_in_b10 = _bad_par()
    parsed = import_file(data, "bad.xlsx", store.units(), store.previous_units)
    table = data_report.issues_with_units(parsed, read_workbook(data, "bad.xlsx"), lang="en")
    row = table[(table["sheet"] == "2024") & (table["cell"] == "C10")].iloc[0]
    assert row["severity"] == "Error" and "9l,5" in row["message"]
    assert row["unit_read"] == name_in_b10
    assert row["unit"] != ""  # the unit the row was matched to
    whole = {i.message("en") for i in parsed.issues}
    assert set(table["message"]) == whole  # never shortened
    assert list(table["severity"]).index("Warning") > list(table["severity"]).index("Error")


def test_issue_lines_escape_the_files_text() -> None:
    lines = data_report.issue_lines(pd.DataFrame([{
        "severity": "Lỗi", "sheet": "S*1", "cell": "C3", "unit_read": "Phường $A", "unit": "",
        "message": "'9l,5' is not a number"}]))
    assert lines == [r"**S\*1\!C3** · Phường \$A — '9l,5' is not a number"]


def test_data_page_issue_table_has_unit_columns_and_whole_messages(
        monkeypatch: pytest.MonkeyPatch, sample_store: Store) -> None:
    at = _open(monkeypatch, sample_store.url)
    data, name_in_b10 = _bad_par()
    at.file_uploader(key="upload").set_value(("bad.xlsx", data, XLSX))
    at.run()
    assert not at.exception, at.exception
    issues = next(d for d in at.dataframe if "unit_read" in d.value.columns)
    frame = issues.value
    assert list(frame.columns) == ["severity", "sheet", "cell", "unit_read", "unit", "message"]
    c10 = frame[frame["cell"] == "C10"].iloc[0]
    assert c10["unit_read"] == name_in_b10
    assert c10["message"].startswith("Cột") and c10["message"].endswith(".")
    assert issues.proto.row_height > 64  # taller than 4 rem: Streamlit's grid wraps the text
    expander = next(e for e in at.expander if e.label.startswith("Đọc trọn"))
    assert any("C10" in m.value and name_in_b10 in m.value for m in expander.markdown)


@pytest.mark.parametrize(("lang", "words", "button"), [
    ("vi", "tối đa 50 MB mỗi tệp · XLSX, XLSM, XLS, CSV, HTML", "Chọn tệp"),
    ("en", "up to 50 MB per file · XLSX, XLSM, XLS, CSV, HTML", "Browse files"),
])
def test_uploader_speaks_the_page_language(monkeypatch: pytest.MonkeyPatch, sqlite_url: str,
                                           lang: str, words: str, button: str) -> None:
    at = _open(monkeypatch, sqlite_url, lang)
    captions = [c.value for c in at.caption]
    assert any(words in text for text in captions), captions
    styles = [h.proto.body for h in at.get("html")]
    # Streamlit's own English line is hidden and its button speaks the page's language
    assert any("stFileUploaderDropzoneInstructions" in s and f'"{button}"' in s for s in styles)


def test_crosswalk_is_reported_then_stored_from_the_data_page(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="lineage_upload").set_value(("links.csv", CROSSWALK, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "3 liên kết, 3 đơn vị cũ → 1 đơn vị mới" in text
    assert "0 lỗi, 1 cảnh báo" in text
    bad = next(d for d in at.dataframe if list(d.value.columns) == [
        "severity", "sheet", "cell", "message"]).value
    assert list(bad["cell"]) == ["C4"] and "không rõ" in bad["message"].iloc[0]
    assert Store(sqlite_url).lineage().empty  # nothing stored before the button
    at.button(key="lineage_store").click().run()
    assert not at.exception, at.exception
    links = Store(sqlite_url).lineage()
    assert len(links) == 3 and set(links["new_name"]) == {"Phường Hoàn Kiếm"}
    assert any("Đã lưu bảng chuyển đổi thành phiên bản" in s.value for s in at.success)
