"""Hostile files (tests/hostile.py) through the import workflow and the command line.

Each file is refused with a message in both languages that names it, or read with issues that
say what is wrong; never another exception, never more than 10 s or 1 GB (the worst measured
in a fresh process: its peak resident memory, VmHWM, which unlike ``ru_maxrss`` does not carry
the parent's over ``exec``); nothing reaches the store. The command line is called in this
process (tests/command.py) for each file it is tried on, and run as a real process for one.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from reform.core.errors import FileRefused
from reform.core.model import UNIT_COLUMNS
from reform.ingest.pipeline import import_file, parse_file
from reform.ingest.units import UnitRegistry
from tests.command import run
from tests.helpers import par_annex, write_xlsx
from tests.hostile import CASES, HEAVY, Read, Refused, build

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 10
MAX_MEGABYTES = 1024
NO_UNITS = pd.DataFrame(columns=UNIT_COLUMNS)

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
import pandas as pd
from reform.core.errors import FileRefused
from reform.core.model import UNIT_COLUMNS
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry

for name in sys.argv[1:]:
    path = Path(name)
    data = path.read_bytes()
    started = time.perf_counter()
    try:
        parse_file(data, path.name, UnitRegistry(pd.DataFrame(columns=UNIT_COLUMNS)))
        outcome = "read"
    except FileRefused as exc:
        outcome = exc.message("en")
    seconds = time.perf_counter() - started
    del data
    # ru_maxrss survives exec on Linux (it would count the parent's memory at fork); the peak
    # of this process's own address space is VmHWM. It only grows: after each file it bounds
    # that file's peak from above, as if each had its own process.
    status = Path("/proc/self/status")
    peak = (int(next(line.split()[1] for line in status.read_text().splitlines()
                     if line.startswith("VmHWM")))
            if status.exists() else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(json.dumps({"file": path.name, "outcome": outcome, "seconds": seconds,
                      "peak_mb": peak / 1024}), flush=True)
"""


def test_the_corpus_is_large_enough_and_covers_both_outcomes():
    expectations = [type(build(name).expect) for name in CASES]
    assert len(CASES) >= 40
    assert expectations.count(Refused) >= 25 and expectations.count(Read) >= 10
    assert set(HEAVY) <= set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_refused_or_read_as_expected(name: str):
    case = build(name)
    started = time.perf_counter()
    try:
        parsed = parse_file(case.data, case.file_name, UnitRegistry(NO_UNITS))
    except FileRefused as refusal:
        assert isinstance(case.expect, Refused), f"refused: {refusal.message('en')}"
        for lang, pattern in (("vi", case.expect.vi), ("en", case.expect.en)):
            assert re.search(pattern, refusal.message(lang)), refusal.message(lang)
            assert case.file_name in refusal.message(lang)
        assert refusal.message("vi") != refusal.message("en")
    else:
        assert isinstance(case.expect, Read), f"read, but should be refused: {case.expect}"
        _assert_read(parsed, case.expect)
    assert time.perf_counter() - started < MAX_SECONDS


def _assert_read(parsed, expect: Read) -> None:
    assert parsed.unit_count > 0
    if expect.vi is not None:
        assert any(re.search(expect.vi, issue.message("vi")) for issue in parsed.issues), \
            [issue.message("vi") for issue in parsed.issues]
        assert any(re.search(expect.en, issue.message("en")) for issue in parsed.issues), \
            [issue.message("en") for issue in parsed.issues]
    if expect.names is not None:
        assert tuple(parsed.units["name"]) == expect.names


@pytest.fixture(scope="module")
def fresh_measures(tmp_path_factory) -> dict[str, dict]:
    """Time and peak memory of each HEAVY file, read one after another in one fresh process
    (one start-up instead of one per file); keyed by file name."""
    folder = tmp_path_factory.mktemp("heavy")
    paths = []
    for name in HEAVY:
        case = build(name)
        paths.append(folder / case.file_name)
        paths[-1].write_bytes(case.data)
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, paths)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.strip().splitlines() if line.startswith("{")]
    measures = {line["file"]: line for line in lines}
    assert len(measures) == len(HEAVY), sorted(measures)  # one line per file, names distinct
    return measures


@pytest.mark.parametrize("name", HEAVY)
def test_the_worst_files_take_under_10_s_and_1_gb_in_a_fresh_process(name: str, fresh_measures):
    case = build(name)
    measured = fresh_measures[case.file_name]
    assert measured["outcome"] != "read" or isinstance(case.expect, Read), measured
    assert measured["seconds"] < MAX_SECONDS, measured
    assert measured["peak_mb"] < MAX_MEGABYTES, measured


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "REFORM_LANG": "en"}


def test_nothing_reaches_the_store_when_a_file_is_refused(store, tmp_path: Path):
    rows, merges = par_annex(2024)
    good = write_xlsx(tmp_path / "PAR_2024.xlsx", {"Năm 2024": rows}, {"Năm 2024": merges})
    parsed = import_file(good.read_bytes(), good.name, store.units(), store.previous_units)
    store.save(parsed.dataset({}))
    before, units = store.datasets(), store.units()
    refused = [name for name in CASES if name not in HEAVY and isinstance(build(name).expect, Refused)]
    for name in refused:
        case = build(name)
        with pytest.raises(FileRefused):
            import_file(case.data, case.file_name, store.units(), store.previous_units)
    assert len(before) == 1
    assert store.datasets() == before
    pd.testing.assert_frame_equal(store.units(), units)


@pytest.mark.parametrize("name", ["empty", "corner_cell", "zip_bomb", "huge_cell_csv", "html_bad_spans"])
def test_the_command_line_refuses_with_json_and_no_traceback(name: str, tmp_path: Path):
    path, db = _written(name, tmp_path)
    for extra in (["--dry-run"], []):
        done = run("import", str(path), "--json", *extra, db=db, env={"REFORM_LANG": "en"})
        _assert_refused_as_json(done, path.name)
    listed = run("datasets", "--json", db=db)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert json.loads(listed.stdout) == []


def test_a_real_process_refuses_the_zip_bomb_with_json_and_no_traceback(tmp_path: Path):
    """The same, as users run it: ``python -m reform`` in its own process."""
    path, db = _written("zip_bomb", tmp_path)
    done = subprocess.run([sys.executable, "-m", "reform", "import", str(path), "--json", "--db", db],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=_env())
    _assert_refused_as_json(done, path.name)


def _written(name: str, folder: Path) -> tuple[Path, str]:
    """The hostile file ``name`` written to ``folder``, and a store URL there."""
    case = build(name)
    path = folder / case.file_name
    path.write_bytes(case.data)
    return path, f"sqlite:///{folder / 'reform.sqlite'}"


def _assert_refused_as_json(done: subprocess.CompletedProcess, file_name: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["ok"] is False
    assert file_name in summary["error"]
