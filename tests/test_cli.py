"""The command line contract (ARCHITECTURE.md): arguments, output, exit codes, the store after.

Called in this process (tests/command.py) to spare a start-up per call; test_command.py runs
it as users do, in a subprocess, and checks the process gives the same."""
import csv
import io
import json
import os

import pytest

from tests.command import run
from tests.helpers import par_annex, write_xlsx


@pytest.fixture
def annex_file(tmp_path):
    rows, merges = par_annex(2018)
    return write_xlsx(tmp_path / "CCHC_2018.xlsx", {"Sheet1": rows}, {"Sheet1": merges})


def test_import_json_reports_what_was_read_and_stored(annex_file, sqlite_url):
    done = run("import", str(annex_file), "--json", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["version"] == 1
    assert (report["units"], report["periods"], report["components"]) == (5, ["2018"], 6)
    assert report["issues"] == []


def test_dry_run_stores_nothing(annex_file, sqlite_url):
    done = run("import", str(annex_file), "--dry-run", "--json", db=sqlite_url)
    assert done.returncode == 0 and json.loads(done.stdout)["version"] is None
    assert json.loads(run("datasets", "--json", db=sqlite_url).stdout) == []


def test_bad_cell_refused_naming_it_and_store_unchanged(tmp_path, annex_file, sqlite_url):
    assert run("import", str(annex_file), db=sqlite_url).returncode == 0
    before = json.loads(run("datasets", "--json", db=sqlite_url).stdout)
    rows, merges = par_annex(2019, bad_cell=(12, 3, "9l,5"))
    bad = write_xlsx(tmp_path / "CCHC_2019.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    done = run("import", str(bad), "--json", db=sqlite_url)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["version"] is None
    errors = [i for i in report["issues"] if i["severity"] == "error"]
    assert [(e["sheet"], e["cell"]) for e in errors] == [("Sheet1", "D13")]
    assert "9l,5" in errors[0]["message"] and "Traceback" not in done.stderr
    assert json.loads(run("datasets", "--json", db=sqlite_url).stdout) == before


def test_same_file_twice_is_stored_once(annex_file, sqlite_url):
    first = json.loads(run("import", str(annex_file), "--json", db=sqlite_url).stdout)
    second = json.loads(run("import", str(annex_file), "--json", db=sqlite_url).stdout)
    assert (second["version"], second["duplicate"]) == (first["version"], True)
    assert len(json.loads(run("datasets", "--json", db=sqlite_url).stdout)) == 1


def test_datasets_json_fields(annex_file, sqlite_url):
    run("import", str(annex_file), db=sqlite_url)
    [row] = json.loads(run("datasets", "--json", db=sqlite_url).stdout)
    assert {"version", "index", "periods", "file", "sha256", "status", "uploaded_at", "uploaded_by"} <= set(row)
    assert (row["index"], row["periods"], row["file"], row["status"]) == ("PAR", ["2018"], "CCHC_2018.xlsx", "active")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["import", "/nonexistent/file.xlsx"], 1, "Không mở được tệp"),
        (["import"], 2, "usage"),
        (["rank", "--index", "PAR"], 2, "--period"),
        (["rank", "--index", "PAR", "--period", "1999"], 2, "Không có dữ liệu PAR kỳ 1999"),
        (["frobnicate"], 2, "usage"),
    ],
)
def test_errors_and_usage_have_exit_codes_and_no_traceback(args, code, needle, sqlite_url):
    done = run(*args, db=sqlite_url)
    assert done.returncode == code
    assert needle in done.stderr
    assert "Traceback" not in done.stderr


def test_garbage_file_is_refused_without_traceback(tmp_path, sqlite_url):
    garbage = tmp_path / "bao_cao.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + os.urandom(300))
    done = run("import", str(garbage), db=sqlite_url)
    assert done.returncode == 1 and "bao_cao.xlsx" in done.stderr and "Traceback" not in done.stderr


def test_missing_period_names_the_option(tmp_path, sqlite_url):
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạc", 4, 4], [2, "Hàng Đào", 3, 3]]
    path = write_xlsx(tmp_path / "CCHC.xlsx", {"Sheet1": rows})
    done = run("import", str(path), db=sqlite_url)
    assert done.returncode == 1 and "--period" in done.stderr
    assert run("import", str(path), "--period", "2020", db=sqlite_url).returncode == 0


def test_rank_csv_best_first_with_change_and_group(tmp_path, sqlite_url):
    for year, swap in ((2018, False), (2019, True)):
        rows, merges = par_annex(year)
        if swap:  # in 2019 Hàng Đào overtakes everyone
            rows[12][2:7] = [6, 4, 5, 5, 20]
        path = write_xlsx(tmp_path / f"CCHC_{year}.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
        assert run("import", str(path), db=sqlite_url).returncode == 0
    done = run("rank", "--index", "PAR", "--period", "2019", "--level", "ward", "--format", "csv", db=sqlite_url)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["unit"] for r in table] == ["Phường Hàng Đào", "Phường Hàng Bạc", "Phường Hàng Bồ"]
    assert [r["rank"] for r in table] == ["1", "2", "3"]
    assert [r["change"] for r in table] == ["2", "-1", "-1"]
    # The annex publishes its groups, and the publisher's are shown: Hàng Đào's score was raised
    # above, its printed "C" was not.
    assert [r["group"] for r in table] == ["C", "A", "A"]
    assert list(table[0])[:5] == ["rank", "unit", "value", "change", "group"]
    first_year = run("rank", "--index", "PAR", "--period", "2018", "--level", "ward", "--format", "csv", db=sqlite_url)
    assert {r["change"] for r in csv.DictReader(io.StringIO(first_year.stdout))} == {""}


def test_rank_by_component_code_and_name(tmp_path, annex_file, sqlite_url):
    run("import", str(annex_file), db=sqlite_url)
    by_code = run("rank", "--index", "PAR", "--period", "2018", "--level", "ward", "--by", "2", "--format", "json", db=sqlite_url)
    by_name = run("rank", "--index", "PAR", "--period", "2018", "--level", "ward", "--by", "Thủ tục hành chính", "--format", "json", db=sqlite_url)
    assert by_code.returncode == 0, by_code.stderr
    assert json.loads(by_code.stdout) == json.loads(by_name.stdout)
    assert json.loads(by_code.stdout)[0]["unit"] == "Phường Hàng Bạc"
