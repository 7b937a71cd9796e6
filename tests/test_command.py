"""``python -m reform`` as users run it, in a subprocess, for what only a process shows: the exit
code the interpreter ends with and a stderr free of tracebacks, for each way it ends (done,
refused, usage error). The same commands called in this process (tests/command.py, which the
other command-line tests use) must give the same code, stdout and stderr."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reform.store.store import Store
from tests.command import environment, run
from tests.helpers import par_annex, write_xlsx

ROOT = Path(__file__).resolve().parents[1]


def run_process(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REFORM_DATABASE_URL": db, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "reform", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def _annex(folder: Path) -> Path:
    rows, merges = par_annex(2018)
    return write_xlsx(folder / "CCHC_2018.xlsx", {"Sheet1": rows}, {"Sheet1": merges})


def _garbage(folder: Path) -> Path:
    path = folder / "bao_cao.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 2)
    return path


@pytest.mark.parametrize(("make", "extra", "code", "needle"), [
    (_annex, ["--dry-run", "--json"], 0, '"ok": true'),
    (_garbage, [], 1, "bao_cao.xlsx"),
    (_annex, ["--period"], 2, "usage"),  # argparse: --period needs a value
])
def test_the_process_ends_as_the_call_in_this_process_does(tmp_path, sqlite_url, make, extra,
                                                           code, needle):
    args = ("import", str(make(tmp_path)), *extra)
    process = run_process(*args, db=sqlite_url)
    assert process.returncode == code, process.stderr[-2000:]
    assert "Traceback" not in process.stderr
    assert needle in process.stdout + process.stderr
    called = run(*args, db=sqlite_url)
    assert (called.returncode, called.stdout, called.stderr) == (
        process.returncode, process.stdout, process.stderr)


def test_environment_is_restored_after_the_call(monkeypatch):
    monkeypatch.setenv("REFORM_LANG", "vi")
    monkeypatch.delenv("REFORM_TEST_ONLY", raising=False)
    with environment({"REFORM_LANG": "en", "REFORM_TEST_ONLY": "1"}):
        assert (os.environ["REFORM_LANG"], os.environ["REFORM_TEST_ONLY"]) == ("en", "1")
    assert os.environ["REFORM_LANG"] == "vi" and "REFORM_TEST_ONLY" not in os.environ


def test_after_a_call_the_store_file_alone_holds_what_was_stored(tmp_path, sqlite_url):
    """As after a process ends, the WAL is folded in: tests copy store files between calls."""
    assert run("import", str(_annex(tmp_path)), db=sqlite_url).returncode == 0
    copy = tmp_path / "copy.sqlite"
    shutil.copy(sqlite_url.removeprefix("sqlite:///"), copy)
    assert [d["file"] for d in Store(f"sqlite:///{copy}").datasets()] == ["CCHC_2018.xlsx"]
