"""The short form of the load test (``bench/load.py`` runs the full one): browsing sessions
and an uploading analyst at once against a real ``streamlit run serve/app.py``, each speaking
Streamlit's websocket protocol as a browser tab does (``bench/streamlit_session.py``)."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from bench.load import ANALYST, SAMPLE_UPLOAD, run_load
from reform.store.store import Store

SESSIONS, UPLOADERS, SECONDS = 4, 1, 10
RSS_PEAK_MB = 1024
"""The server's memory under this load: the same 1 GB budget as the worst hostile file."""
RSS_SETTLE_MB = 150
"""How far the end may sit above the middle of the run: the first views import Plotly and
fill the caches (about 250 MB over the start); after that a stable server grows by little
more than the snapshot of the new version an upload makes."""


def one_year_of_the_sample() -> bytes:
    """The sample PAR workbook cut to its 2024 sheet: the same upload path at a fifth of the
    server's CPU (the eight years cost it about 12 s to read and store)."""
    book = openpyxl.load_workbook(SAMPLE_UPLOAD)
    for name in book.sheetnames[:-2]:  # the year sheets before 2024; "Ghi chú" stays
        del book[name]
    assert book.sheetnames == ["2024", "Ghi chú"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_sessions_browse_and_upload_at_once_without_errors(sample_store: Store, tmp_path: Path):
    before = len(sample_store.datasets())
    result = run_load(sample_store.url, sessions=SESSIONS, uploaders=UPLOADERS, seconds=SECONDS,
                      workdir=tmp_path, upload=one_year_of_the_sample())
    summary = result.summary()
    print(summary)  # the figures, for -s runs and the report
    assert result.errors == []
    expected = {f"session {n}" for n in range(SESSIONS)} | {f"uploader {n}" for n in range(UPLOADERS)}
    assert set(result.views_by_session) == expected
    assert min(result.views_by_session.values()) >= 2, result.views_by_session
    # The upload went through Streamlit's upload endpoint and the Store button: a new
    # version, named after the analyst, in the SQLite file itself.
    assert result.uploads >= 1
    stored = sample_store.datasets()
    assert len(stored) == before + result.uploads
    assert {d["uploaded_by"] for d in stored[:result.uploads]} == {ANALYST}
    rss = result.rss_mb
    assert len(rss) >= SECONDS  # sampled every second while the sessions ran
    assert max(rss) < RSS_PEAK_MB, summary
    assert rss[-1] - rss[len(rss) // 2] < RSS_SETTLE_MB, summary
