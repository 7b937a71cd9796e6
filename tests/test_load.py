"""The short form of the load test (``bench/load.py`` runs the full one): browsing sessions
and an uploading analyst at once against a real ``streamlit run serve/app.py``."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import run_load
from reform.store.store import Store

SESSIONS, UPLOADERS, SECONDS = 4, 1, 10


@pytest.mark.browser
def test_sessions_browse_and_upload_at_once_without_errors(sample_store: Store, tmp_path: Path):
    before = len(sample_store.datasets())
    result = run_load(sample_store.url, sessions=SESSIONS, uploaders=UPLOADERS, seconds=SECONDS,
                      workdir=tmp_path)
    summary = result.summary()
    print(summary)  # the figures, for -s runs and the report
    assert result.errors == []
    assert result.page_views >= SESSIONS  # every session drew at least its first page
    assert result.uploads >= 1
    stored = sample_store.datasets()
    assert len(stored) == before + result.uploads
    assert {d["uploaded_by"] for d in stored[:result.uploads]} == {"load-analyst"}
    assert summary["rss_peak_mb"] < 1500, summary  # one server process, bounded
