"""What a restarted app reads: the store's state without opening the store (``store.state``),
the snapshot's Arrow copy (numbers taken as they are on disk) and the views kept next to it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reform.store.snapshot import keep_view, load_snapshot, read_view
from reform.store.state import light_state, url_without_password

ROOT = Path(__file__).resolve().parents[1]


def test_the_light_state_reads_what_the_store_reads(sample_store):
    state = light_state(sample_store.url, opener=lambda: sample_store)
    assert state is not None
    assert (state.instance_id, state.state_token()) == (sample_store.instance_id,
                                                        sample_store.state_token())
    sample_store.delete(sample_store.datasets()[0]["version"], user="test")
    assert state.state_token() == sample_store.state_token()


def test_no_light_state_for_another_database_or_a_store_not_made(tmp_path):
    never = lambda: pytest.fail("opened")  # noqa: E731
    assert light_state("postgresql://u:secret@db/reform", never) is None
    assert light_state(f"sqlite:///{tmp_path / 'none.sqlite'}", never) is None
    assert url_without_password("postgresql+psycopg://u:secret@db:5432/r") == \
        "postgresql+psycopg://u:***@db:5432/r"


def test_a_restart_reads_the_copy_without_opening_the_store(sample_store, tmp_path):
    first = load_snapshot(sample_store, tmp_path)
    opened = []
    state = light_state(sample_store.url, opener=lambda: opened.append(1) or sample_store)
    again = load_snapshot(state, tmp_path)
    assert not opened and again.folder == first.folder
    pd.testing.assert_frame_equal(again.scores, first.scores)
    # The numbers are the mapped file's own (one record batch, NaN kept as NaN): no copy.
    values = again.scores["max_value"].to_numpy()
    assert not values.flags.writeable and np.isnan(first.scores["max_value"]).sum() == \
        np.isnan(values).sum()
    sample_store.delete(sample_store.datasets()[0]["version"], user="test")
    assert load_snapshot(state, tmp_path).token == sample_store.state_token() and opened


def test_a_kept_view_is_read_back_for_the_same_state_only(sample_store, tmp_path):
    data = load_snapshot(sample_store, tmp_path)
    options = (("index", "PAR"), ("period", "2024"))
    assert read_view(data, "views.overview", options) is None
    kept = {"table": data.scores.head(3), "sentences": ["Một", "Hai"]}
    keep_view(data, "views.overview", options, kept)
    back = read_view(load_snapshot(sample_store, tmp_path), "views.overview", options)
    pd.testing.assert_frame_equal(back["table"], kept["table"])
    assert back["sentences"] == kept["sentences"]
    assert read_view(data, "views.overview", (("index", "SIPAS"),)) is None
    sample_store.delete(sample_store.datasets()[0]["version"], user="test")
    assert read_view(load_snapshot(sample_store, tmp_path), "views.overview", options) is None
    assert read_view(load_snapshot(sample_store, None), "views.overview", options) is None


def test_the_overview_of_every_sample_index_is_read_back_whole(sample_store, tmp_path):
    from reform.present.pages import choices, overview

    data = load_snapshot(sample_store, tmp_path)
    for index in choices.indices(data):
        options = (("index", index), ("period", choices.periods(data, index=index)[-1]), ("level", None))
        kept = overview.build_overview(data, **dict(options))
        keep_view(data, "overview", options, kept)
        back = read_view(data, "overview", options, classes=(overview.Overview, overview.Metric))
        assert back is not None, index
        pd.testing.assert_frame_equal(back.table, kept.table)
        assert (back.figures, back.sentences) == (kept.figures, kept.sentences)


class _Runs:
    """A pickle that would run a command when read (``os.system``), as a planted file could."""

    def __reduce__(self):
        import os

        return os.system, ("touch ran",)


def test_a_planted_view_that_would_run_code_is_ignored(sample_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = load_snapshot(sample_store, tmp_path)
    options = (("index", "PAR"),)
    keep_view(data, "overview", options, {"table": _Runs()})
    assert list((data.folder / "views").iterdir())  # the planted file is there
    assert read_view(data, "overview", options) is None
    assert not (tmp_path / "ran").exists()


_RESTART = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=60).run()
first = {"sqlalchemy": "sqlalchemy" in sys.modules, "argon2": "argon2" in sys.modules,
         "titles": [t.value for t in at.title], "exceptions": [str(e.value) for e in at.exception]}
at.session_state["_account"] = "nobody"  # a form sign-in: checked against the store's accounts
at.run()
print(json.dumps({"first": first, "then": {"sqlalchemy": "sqlalchemy" in sys.modules,
                                           "exceptions": [str(e.value) for e in at.exception]}}))
"""


def test_a_restart_draws_its_first_page_without_sqlalchemy(sample_store, tmp_path):
    """Issue 10's restart budget: with the snapshot's Arrow copy on disk, the app's first page
    comes from it and the store's state from sqlite3, so SQLAlchemy (a third of a second) and
    argon2 wait for someone to sign in (the next run here: an account the store then checks).
    A fresh process, as after a restart: this one has long imported both."""
    cache = tmp_path / "cache"
    load_snapshot(sample_store, cache)  # the copy a first start leaves behind
    sample_store.engine.dispose()
    env = os.environ | {"REFORM_DATABASE_URL": sample_store.url, "REFORM_CACHE_DIR": str(cache),
                        "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _RESTART, str(ROOT / "dashboard.py")], env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    runs = json.loads(done.stdout.strip().splitlines()[-1])
    assert runs["first"]["exceptions"] == [] and runs["first"]["titles"], runs
    assert not runs["first"]["sqlalchemy"] and not runs["first"]["argon2"]
    assert runs["then"] == {"sqlalchemy": True, "exceptions": []}  # the probe sees it
