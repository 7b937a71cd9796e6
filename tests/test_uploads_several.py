"""The Data page's view-model for one upload read once per index (issue 9): the options it is
read with, the datasets stored and the sentence said after Store."""
from __future__ import annotations

from pathlib import Path

import pytest

from reform.core.gazetteer import seed_units
from reform.ingest.pipeline import ParsedFile, import_each_index
from reform.present.pages.data import (
    datasets_to_store,
    editor_state_keys,
    reading_options,
    several_line,
    stored_message,
    summary_line,
)
from reform.store.store import SaveResult
from tests.shape_fixtures import write_csv

NO_FIXES = {"roles": {}, "units": {}}


def _read(tmp_path: Path, **options) -> list[ParsedFile]:
    rows = [["Tỉnh", "Năm", "Chỉ số", "Điểm"],
            ["Hà Nội", 2019, "PAPI", 40.5], ["Đà Nẵng", 2019, "PAPI", 42.0],
            ["Hà Nội", 2019, "PCI", 65.0], ["Đà Nẵng", 2020, "PCI", 70.0]]
    path = write_csv(tmp_path / "panel.csv", rows)
    return import_each_index(path.read_bytes(), path.name, seed_units(), lambda index, periods: {},
                             **options)


def test_reading_options_leave_unset_choices_out():
    fixes = {"roles": {"panel": {"C": "ignore"}}, "units": {"HN": "province:ha-noi"}}
    assert reading_options(index=None, period="2019", level=None, sheet="", fixes=fixes) == {
        "index": None, "period": "2019", "level": None, "sheet": None,
        "roles": {"panel": {"C": "ignore"}}, "unit_overrides": {"HN": "province:ha-noi"}}
    assert reading_options(index="PCI", period=None, level=None, sheet="S", fixes=NO_FIXES)["roles"] is None


def test_each_index_is_a_dataset_recording_its_index(tmp_path):
    options = reading_options(index=None, period=None, level=None, sheet=None,
                              fixes={"roles": {"panel": {"A": "name"}}, "units": {}})
    parsed_files = _read(tmp_path)
    datasets = datasets_to_store(parsed_files, options)
    assert [(d.index, d.periods, d.options) for d in datasets] == [
        ("PAPI", ("2019",), {"index": "PAPI", "roles": {"panel": {"A": "name"}}}),
        ("PCI", ("2019", "2020"), {"index": "PCI", "roles": {"panel": {"A": "name"}}})]
    assert summary_line(parsed_files[1], lang="en") == (
        "Index **PCI** · period 2019–2020 · 2 units · 0 components")
    assert several_line(parsed_files, lang="en") == (
        "The file's index column names 2 indices (Governance and Public Administration Index "
        "(PAPI), Provincial Competitiveness Index (PCI)): each is read on its own and stored as "
        "a version of its own, all with one press of Store (all stored or none).")


def test_a_file_read_for_one_index_records_only_what_was_chosen(tmp_path):
    options = reading_options(index="PCI", period=None, level=None, sheet=None, fixes=NO_FIXES)
    [dataset] = datasets_to_store(_read(tmp_path, index="PCI"), options)
    assert (dataset.index, dataset.options) == ("PCI", {"index": "PCI"})


@pytest.mark.parametrize(("results", "lang", "said"), [
    ([SaveResult(1, False), SaveResult(2, False, (1,))], "en",
     "Stored 'panel.csv', one version per index: Governance and Public Administration Index (PAPI) "
     "version 1; Provincial Competitiveness Index (PCI) version 2 (superseding version 1)."),
    ([SaveResult(3, True), SaveResult(4, False)], "vi",
     "Đã lưu tệp 'panel.csv', mỗi chỉ số một phiên bản: Chỉ số hiệu quả quản trị và hành chính "
     "công (PAPI) đã có từ trước: phiên bản 3; Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) phiên bản 4."),
    ([SaveResult(1, True), SaveResult(2, True)], "en",
     "'panel.csv' was already stored as version 1, 2. Nothing new stored."),
])
def test_the_sentence_after_store_names_each_index_and_version(tmp_path, results, lang, said):
    assert stored_message("panel.csv", _read(tmp_path), results, lang=lang) == said


def test_a_file_of_one_index_says_what_it_said_before(tmp_path):
    parsed_files = _read(tmp_path, index="PAPI")
    assert stored_message("panel.csv", parsed_files, [SaveResult(7, False)], lang="en") == (
        "Stored 'panel.csv' as version 7.")


def test_editor_state_keys_are_the_files_editors_only():
    keys = ["roles_abc_0", "roles_abc_1", "units_abc", "roles_xyz_0", "sheet_abc", "upload"]
    assert editor_state_keys(keys, "abc") == ["roles_abc_0", "roles_abc_1", "units_abc"]
