"""The Data page under AppTest: upload, preview, validation report, store, versions."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from accounts_helpers import make_account, sign_in_apptest
from apptest_helpers import landed, on_page
from streamlit.testing.v1 import AppTest

from reform.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT / "tests" / "realdata"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def templates(sample_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty store and the sample, each holding the analyst's account, made once for the
    module: creating a store (its gazetteer) and hashing a password (argon2) cost most of a
    second of CPU, paid again by every test otherwise."""
    folder = tmp_path_factory.mktemp("data_page")
    made = {"empty": folder / "empty.sqlite", "sample": folder / "sample.sqlite"}
    shutil.copy(sample_db_url.removeprefix("sqlite:///"), made["sample"])
    for path in made.values():
        make_account(f"sqlite:///{path}")  # its store closed after: the file is whole
    return made


@pytest.fixture
def sqlite_url(templates: dict[str, Path], tmp_path: Path) -> str:
    """Here, an empty store of the test's own with the analyst's account (conftest's is bare)."""
    target = tmp_path / "reform.sqlite"
    shutil.copy(templates["empty"], target)
    return f"sqlite:///{target}"


@pytest.fixture
def sample_store(templates: dict[str, Path], tmp_path: Path) -> Store:
    """Here, a private copy of the sample with the analyst's account (conftest's has none)."""
    target = tmp_path / "sample.sqlite"
    shutil.copy(templates["sample"], target)
    return Store(f"sqlite:///{target}")


def _open(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    """The app on the Data page, reading the store at ``url``, signed in as an analyst."""
    monkeypatch.setenv("REFORM_DATABASE_URL", url)
    at = on_page("pages/data.py", timeout=60)
    sign_in_apptest(at, url)  # only analysts may upload, delete or restore
    landed(at.run(), "pages/data.py")
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, prefix: str):
    found = [b for b in at.button if b.key and b.key.startswith(prefix)]
    assert len(found) == 1, [b.key for b in at.button]
    return found[0]


def _elements(node) -> list:
    """Every element under ``node`` (an AppTest block), in the order drawn."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out += _elements(child)
    return out


def _after(elements: list, index: int) -> tuple[str, str]:
    after = elements[index + 1]
    return after.type, getattr(after, "value", "")


def _right_after(at: AppTest, key_prefix: str) -> tuple[str, str]:
    """The type and text of the element drawn right after the one whose key starts with
    ``key_prefix``."""
    elements = _elements(at.main)
    return _after(elements, next(i for i, e in enumerate(elements)
                                 if str(getattr(e, "key", "")).startswith(key_prefix)))


def _right_after_heading(at: AppTest, heading: str) -> tuple[str, str]:
    """The type and text of the element drawn right after the heading ``heading``."""
    elements = _elements(at.main)
    return _after(elements, next(i for i, e in enumerate(elements)
                                 if e.type == "header" and e.value == heading))


def _frame_with(at: AppTest, column: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def _bad_sample(tmp_path: Path) -> bytes:
    """The sample PAR workbook with one criterion cell (2024!C10) typed as "9l,5"."""
    book = openpyxl.load_workbook(ROOT / "data" / "sample_par.xlsx")
    book["2024"]["C10"] = "9l,5"
    path = tmp_path / "sample_par_bad.xlsx"
    book.save(path)
    return path.read_bytes()


def test_empty_store_page_lists_templates(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    assert not at.error
    assert at.file_uploader(key="upload").accept_multiple_files
    assert set(at.file_uploader(key="upload").allowed_type) >= {".xlsx", ".xls", ".csv"}
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Mẫu Chỉ số CCHC (PAR Index)", "Mẫu Chỉ số hài lòng (SIPAS)",
                      "Mẫu Kỷ cương hành chính"]
    assert Store(sqlite_url).datasets() == []


def test_good_file_previews_without_error_and_stores_a_version(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    data = (REALDATA / "PCI_2009.xls").read_bytes()
    at.file_uploader(key="upload").set_value(("PCI_2009.xls", data, XLS))
    at.run()

    assert not at.exception and not at.error
    assert any("PCI" in m.value and "2009" in m.value for m in at.markdown)
    columns = _frame_with(at, "role")
    assert {"letter", "header", "examples"} <= set(columns.columns)
    assert "name" in set(columns["role"])
    # Roles stay codes in the cells but read as words; long decimals are rounded for reading.
    editor = next(d for d in at.dataframe if "role" in d.value.columns)
    options = json.loads(editor.proto.columns)["role"]["type_config"]["options"]
    assert {"value": "code", "label": "Mã đơn vị"} in options
    assert {"value": "rank", "label": "Xếp hạng"} in options
    assert columns.set_index("letter").loc["D", "examples"] == "8,35 | 8,18 | 9,52"
    matches = _frame_with(at, "raw_name")
    assert len(matches) == 63
    store_button = _button(at, "store_")
    assert not store_button.disabled
    assert Store(sqlite_url).datasets() == []  # nothing stored before the button

    store_button.click()
    at.run()
    datasets = Store(sqlite_url).datasets()
    assert [(d["version"], d["file"], d["status"]) for d in datasets] == [(1, "PCI_2009.xls", "active")]
    assert [s.value for s in at.success] == ["Đã lưu tệp 'PCI_2009.xls' thành phiên bản 1."]
    # Said right under the button the analyst pressed, and in a toast, not at the page's top.
    assert _right_after(at, "store_") == ("success", "Đã lưu tệp 'PCI_2009.xls' thành phiên bản 1.")
    assert [toast.value for toast in at.toast] == ["Đã lưu tệp 'PCI_2009.xls' thành phiên bản 1."]
    assert any("**v1**" in m.value for m in at.markdown)

    _button(at, "store_").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Tệp 'PCI_2009.xls' đã được lưu trước đó: phiên bản 1. Không lưu thêm."]
    assert len(Store(sqlite_url).datasets()) == 1


def test_bad_cell_is_reported_and_blocks_storing(
        monkeypatch: pytest.MonkeyPatch, sample_store: Store, tmp_path: Path) -> None:
    before = sample_store.datasets()
    at = _open(monkeypatch, sample_store.url)
    at.file_uploader(key="upload").set_value(("sample_par_bad.xlsx", _bad_sample(tmp_path), XLSX))
    at.run()

    assert not at.exception
    issues = _frame_with(at, "severity")
    first = issues.iloc[0]
    assert (first["severity"], first["sheet"], first["cell"]) == ("Lỗi", "2024", "C10")
    assert "9l,5" in first["message"]
    assert list(issues["severity"]).count("Lỗi") == 1
    assert _button(at, "store_").disabled
    assert at.warning  # "errors remain"
    assert sample_store.datasets() == before


def test_unreadable_file_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value(("rong.csv", b"", "text/csv"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Tệp 'rong.csv' rỗng. Chấp nhận: .xlsx, .xlsm, .xls, .csv, .html."]
    assert not [b for b in at.button if b.key and b.key.startswith("store_")]


def test_english_labels(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    at.radio(key="lang").set_value("en")
    at.run()
    assert at.title[0].value == "Data"
    assert at.file_uploader(key="upload").label == "Data files (xlsx, xlsm, xls, csv, html)"


def test_delete_and_restore_change_statuses(monkeypatch: pytest.MonkeyPatch, sample_store: Store) -> None:
    version = next(d["version"] for d in sample_store.datasets() if d["index"] == "SIPAS")
    at = _open(monkeypatch, sample_store.url)
    assert at.button(key=f"restore_{version}").disabled  # active already

    at.button(key=f"delete_{version}").click()
    at.run()
    status = {d["version"]: d["status"] for d in sample_store.datasets()}
    assert status[version] == "deleted"
    assert [i.value for i in at.info] == [f"Đã xóa phiên bản {version} (có thể khôi phục)."]
    # Said just under the versions heading, beside the buttons, and in a toast.
    assert _right_after_heading(at, "Các phiên bản dữ liệu") == (
        "info", f"Đã xóa phiên bản {version} (có thể khôi phục).")
    assert [toast.value for toast in at.toast] == [f"Đã xóa phiên bản {version} (có thể khôi phục)."]
    assert at.button(key=f"delete_{version}").disabled

    at.button(key=f"restore_{version}").click()
    at.run()
    status = {d["version"]: d["status"] for d in sample_store.datasets()}
    assert status[version] == "active"
    actions = list(sample_store.audit_log()["action"])[:2]
    assert actions == ["restore", "delete"]


def test_superseded_version_can_be_restored(monkeypatch: pytest.MonkeyPatch, sample_store: Store,
                                            tmp_path: Path) -> None:
    # The same SIPAS workbook under another name and with one more comment cell is a new
    # version of the same periods: it supersedes the sample one.
    book = openpyxl.load_workbook(ROOT / "data" / "sample_sipas.xlsx")
    book["Ghi chú"]["A30"] = "bản sửa"
    buffer = io.BytesIO()
    book.save(buffer)
    at = _open(monkeypatch, sample_store.url)
    at.file_uploader(key="upload").set_value(("sipas_v2.xlsx", buffer.getvalue(), XLSX))
    at.run()
    _button(at, "store_").click()
    at.run()
    assert not at.exception
    statuses = {d["file"]: (d["version"], d["status"]) for d in sample_store.datasets()}
    old_version, old_status = statuses["sample_sipas.xlsx"]
    assert old_status == "superseded"
    assert statuses["sipas_v2.xlsx"][1] == "active"
    assert "thay thế phiên bản" in at.success[0].value

    at.button(key=f"restore_{old_version}").click()
    at.run()
    statuses = {d["file"]: d["status"] for d in sample_store.datasets()}
    assert statuses == {"sample_par.xlsx": "active", "sample_inspections.xlsx": "active",
                        "sample_sipas.xlsx": "active", "sipas_v2.xlsx": "superseded"}


def test_original_file_download_is_offered_per_version(monkeypatch: pytest.MonkeyPatch,
                                                        sample_store: Store) -> None:
    at = _open(monkeypatch, sample_store.url)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Tệp gốc") == len(sample_store.datasets()) == 3


def test_same_file_twice_gets_one_preview(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    at = _open(monkeypatch, sqlite_url)
    data = (REALDATA / "PCI_2009.xls").read_bytes()
    at.file_uploader(key="upload").set_value([("PCI_2009.xls", data, XLS), ("copy.xls", data, XLS)])
    at.run()
    assert not at.exception
    assert len([b for b in at.button if b.key and b.key.startswith("store_")]) == 1


def test_corrections_feed_back_into_the_preview(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    # The editors store the analyst's corrections per file in session state; AppTest cannot
    # type into st.data_editor, so the corrections are put there as the editors would.
    from reform.ingest.templates import template_workbook
    from tests.test_templates import fill_template, par_rows

    data = fill_template(template_workbook("PAR", period="2024"), 7, par_rows())
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value(("mau_PAR_2024.xlsx", data, XLSX))
    at.run()
    assert _frame_with(at, "raw_name").set_index("raw_name").loc["P. Hàng Gai", "how"] == "khớp đúng"
    sha = hashlib.sha256(data).hexdigest()
    at.session_state["data_fixes"] = {sha: {"roles": {"2024": {"C": "ignore"}},
                                            "units": {"P. Hàng Gai": "ward:hang-bai"}}}
    at.run()
    matches = _frame_with(at, "raw_name").set_index("raw_name")
    assert matches.loc["P. Hàng Gai", ["unit", "how"]].tolist() == ["Phường Hàng Bài (ward:hang-bai)", "đã chọn"]
    assert _frame_with(at, "role").set_index("letter").loc["C", "role"] == "ignore"

    _button(at, "reset_").click()
    at.run()
    assert _frame_with(at, "raw_name").set_index("raw_name").loc["P. Hàng Gai", "how"] == "khớp đúng"
    assert _frame_with(at, "role").set_index("letter").loc["C", "role"] == "component"


# ---------------------------------------------------------------------------------------------
# A file whose index column names several indices: one reading and one version per index
# ---------------------------------------------------------------------------------------------

PAPI = "Chỉ số hiệu quả quản trị và hành chính công (PAPI)"
PCI = "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"


def _panel(tmp_path: Path, *, bad_cell: object = 70.0) -> Path:
    """A long table of two indices: PAPI for 2019, PCI for 2019 and 2020 (Đà Nẵng's PCI 2019
    score, cell D5, is ``bad_cell``)."""
    from tests.shape_fixtures import write_csv

    rows = [["Tỉnh", "Năm", "Chỉ số", "Điểm"],
            ["Hà Nội", 2019, "PAPI", 40.5], ["Đà Nẵng", 2019, "PAPI", 42.0],
            ["Hà Nội", 2019, "PCI", 65.0], ["Đà Nẵng", 2019, "PCI", bad_cell],
            ["Hà Nội", 2020, "PCI", 66.0], ["Đà Nẵng", 2020, "PCI", 71.0]]
    return write_csv(tmp_path / "panel.csv", rows)


def test_a_file_of_several_indices_is_read_and_stored_once_per_index(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path) -> None:
    from tests.command import run

    path = _panel(tmp_path)
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == [
        f"Cột chỉ số của tệp có 2 chỉ số ({PAPI}, {PCI}): mỗi chỉ số được đọc riêng và lưu thành "
        "một phiên bản riêng, tất cả trong một lần bấm Lưu (lưu hết hoặc không lưu gì)."]
    assert [tab.label for tab in at.tabs] == [PAPI, PCI, "Trang tính 'panel'"]
    summaries = [m.value for m in at.markdown if m.value.startswith("Chỉ số **")]
    assert summaries == ["Chỉ số **PAPI** · kỳ 2019 · 2 đơn vị · 0 thành phần",
                         "Chỉ số **PCI** · kỳ 2019–2020 · 2 đơn vị · 0 thành phần"]
    # One table of column roles for the one sheet; its index column is offered by its role.
    assert _frame_with(at, "role").set_index("letter").loc["C", "role"] == "index"
    assert len(_frame_with(at, "raw_name")) == 2  # each name once, though read for both indices

    _button(at, "store_").click()
    at.run()
    stored = sorted((d["version"], d["index"], d["periods"], d["file"]) for d in Store(sqlite_url).datasets())
    assert stored == [(1, "PAPI", ["2019"], "panel.csv"), (2, "PCI", ["2019", "2020"], "panel.csv")]
    scores = Store(sqlite_url).scores().sort_values(["index", "period", "value"])
    assert scores[["index", "period", "value"]].values.tolist() == [
        ["PAPI", "2019", 40.5], ["PAPI", "2019", 42.0], ["PCI", "2019", 65.0], ["PCI", "2019", 70.0],
        ["PCI", "2020", 66.0], ["PCI", "2020", 71.0]]
    said = (f"Đã lưu tệp 'panel.csv', mỗi chỉ số một phiên bản: {PAPI} phiên bản 1; "
            f"{PCI} phiên bản 2.")
    assert [s.value for s in at.success] == [said]
    assert _right_after(at, "store_") == ("success", said)

    # Stored as the command line stores it: the same file imported there is a duplicate.
    again = json.loads(run("import", str(path), "--json", db=sqlite_url).stdout)
    assert [(d["index"], d["version"], d["duplicate"]) for d in again["datasets"]] == [
        ("PAPI", 1, True), ("PCI", 2, True)]
    _button(at, "store_").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Tệp 'panel.csv' đã được lưu trước đó: phiên bản 1, 2. Không lưu thêm."]


def test_an_error_in_one_index_keeps_every_index_from_the_store(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path) -> None:
    path = _panel(tmp_path, bad_cell="6x5")
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    papi, pci = (tab for tab in at.tabs if tab.label in (PAPI, PCI))
    assert [m.value for m in papi.markdown if m.value.startswith("**Kết quả")] == [
        "**Kết quả kiểm tra: 0 lỗi, 0 cảnh báo**"]
    issues = next(d.value for d in pci.dataframe if "severity" in d.value.columns)
    assert issues[["severity", "sheet", "cell", "unit_read"]].values.tolist() == [
        ["Lỗi", "panel", "D5", "Đà Nẵng"]]
    assert _button(at, "store_").disabled
    assert [w.value for w in at.warning] == [
        "Còn lỗi: sửa tệp (hoặc vai trò cột) rồi tải lại trước khi lưu."]
    assert Store(sqlite_url).datasets() == []


# ---------------------------------------------------------------------------------------------
# Issue 9's refused files, tried together as a new user would: no option at all
# ---------------------------------------------------------------------------------------------

def test_refused_files_that_name_their_index_are_read_with_no_option(
        monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path) -> None:
    # Storing each one through the page is test_shapes_tried's; here, what the page says it
    # read, from the files' own numbers (index, periods, units, fields), all four at once.
    from tests import shape_fixtures as sf

    expected = {
        sf.long_table(tmp_path): "Chỉ số **PCI** · kỳ 2016–2018 · 6 đơn vị · 0 thành phần",
        sf.years_wide(tmp_path): "Chỉ số **PCI** · kỳ 2011–2016 · 6 đơn vị · 0 thành phần",
        sf.data_frame_index(tmp_path): "Chỉ số **PAPI** · kỳ 2016 · 12 đơn vị · 2 thành phần",
        sf.annex_with_document_line(tmp_path): "Chỉ số **PAR** · kỳ 2016 · 4 đơn vị · 2 thành phần",
    }
    at = _open(monkeypatch, sqlite_url)
    at.file_uploader(key="upload").set_value(
        [(path.name, path.read_bytes(), "application/octet-stream") for path in expected])
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not at.info  # one index each: no file is split
    assert [m.value for m in at.markdown if m.value.startswith("Chỉ số **")] == list(expected.values())
    stores = [b for b in at.button if b.key and b.key.startswith("store_")]
    assert [b.disabled for b in stores] == [False] * 4
    # The shape each was found in: the year column, the six year columns but not the change
    # column (I), and the annex's year from its title, not from its "ngày 20/3/2017" line.
    assert {"'pci_2016_2018': Bảng dọc: 3 kỳ từ cột E.",
            "'Ket qua': Các năm cạnh nhau: 6 kỳ từ các cột C, D, E, F, G, H.",
            "'Sheet1': Bảng phụ lục: một kỳ (2016, lấy từ tiêu đề). Các năm đã thấy: 2016."
            } <= {c.value for c in at.caption}
