"""The benchmark harness (``make bench``) on a tiny workbook: it produces every measure with
its reference and ratio, the issue's targets with pass/miss, and valid JSON. No timing
thresholds: the figures of a shared test machine are not a verdict."""
import json
import subprocess
import sys

from conftest import ROOT

MEASURES = ("import", "store", "reload_sql", "reload_parquet", "rank_all")


def test_the_smoke_bench_writes_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--no-exports",
                           "--cache", str(tmp_path / "cache"), "--out", str(out)],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert (results["units"], results["years"], results["runs"]) == (200, 2, 1)
    for name in MEASURES:
        entry = results["measures"][name]
        assert entry["seconds"]["min"] <= entry["seconds"]["median"] <= entry["seconds"]["max"]
        assert entry["reference"] and entry["reference_seconds"]["median"] > 0
        assert entry["ratio"] == round(entry["seconds"]["median"] / entry["reference_seconds"]["median"], 2)
    assert results["measures"]["import_peak_mb"]["median"] > 50  # a Python process with pandas
    assert results["measures"]["rank_rows"] == 200 * 2 * 41
    assert set(results["targets"]) == {"import", "import_peak_mb", "reload_sql", "rank_all"}
    assert all(isinstance(t["pass"], bool) for t in results["targets"].values())
    assert "| reload_sql |" in done.stdout and "| rank_all: < 0.3 s |" in done.stdout
