"""Bulk storage and reload on SQLite and a real PostgreSQL: tens of thousands of scores go in
by chunks (executemany / COPY) and come back exactly, and a failure in the last chunk leaves
nothing stored."""
import hashlib

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from reform.core.model import Dataset
from reform.store import store as store_module

UNITS, PERIODS, COMPONENTS = 500, ("2023", "2024"), 20  # 20,000 scores
# Text that CSV and SQL quoting must carry unchanged: quotes, commas, tabs, newlines,
# backslashes, Vietnamese letters, an empty text (not NULL) and words that look like NULL.
AWKWARD = ['Dữ liệu!D5', 'say "xin chào", ok', "tab\there", "line\nbreak", "back\\slash\\N",
           "", "NA", "NULL", "Ủy ban nhân dân xã Đông Hòa"]


def national(rows_seed: int = 7) -> Dataset:
    """A dataset of UNITS × PERIODS × COMPONENTS scores with full-precision values, NULL
    maxima and awkward text, built as the importer hands it to the store."""
    rng = np.random.default_rng(rows_seed)
    codes = ["TOTAL"] + [f"{i // 5 + 1}.{i % 5 + 1}" for i in range(COMPONENTS - 1)]
    units = np.array([f"ward:xã-{i:04d}" for i in range(UNITS)], dtype=object)
    n = UNITS * len(PERIODS) * COMPONENTS
    value = rng.uniform(0, 2.5, n)  # not rounded: every bit of the double must come back
    value[::11] = np.round(value[::11], 2)
    max_value = np.where(np.arange(n) % 7 == 0, np.nan, 2.5)
    scores = pd.DataFrame({
        "index": "PAR", "period": np.repeat(np.array(PERIODS, dtype=object), UNITS * COMPONENTS),
        "unit_id": np.tile(np.repeat(units, COMPONENTS), len(PERIODS)),
        "component": np.tile(np.array(codes, dtype=object), UNITS * len(PERIODS)),
        "value": value, "max_value": max_value,
        "source": [AWKWARD[i % len(AWKWARD)] + (str(i) if i % 2 else "") for i in range(n)]})
    components = pd.DataFrame({
        "index": "PAR", "period": np.repeat(np.array(PERIODS, dtype=object), COMPONENTS),
        "component": codes * len(PERIODS), "name": [AWKWARD[i % len(AWKWARD)] for i in range(len(codes))] * 2,
        "parent": "", "max_value": [np.nan if i == 0 else 2.5 for i in range(COMPONENTS)] * 2,
        "order": list(range(COMPONENTS)) * 2})
    data = f"national {rows_seed}".encode()
    return Dataset(index="PAR", periods=PERIODS, file_name="toàn quốc.xlsx",
                   sha256=hashlib.sha256(data).hexdigest(), data=data, scores=scores,
                   components=components,
                   published=pd.DataFrame(columns=["index", "period", "unit_id", "rank", "group", "source"]),
                   inspections=pd.DataFrame(),
                   units=pd.DataFrame({"unit_id": units, "name": [f"Xã Đông Hòa {i}" for i in range(UNITS)],
                                       "level": "ward", "spellings": [()] * UNITS}),
                   sheets=("Dữ liệu",), unit_count=UNITS)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 3,000 rows, so 20,000 scores take seven of them (the last one partial)."""
    monkeypatch.setattr(store_module, "BULK_CHUNK", 3_000)


def test_many_scores_round_trip_exactly(any_store, small_chunks):
    dataset = national()
    version = any_store.save(dataset).version
    keys = ["period", "unit_id", "component"]
    got = _sorted(any_store.scores(), keys)
    want = _sorted(dataset.scores.assign(version=version), keys)
    assert len(got) == 20_000
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=True)
    assert got["max_value"].isna().sum() == (np.arange(20_000) % 7 == 0).sum()
    assert (got["source"] == "").sum() == (want["source"] == "").sum() > 0
    pd.testing.assert_frame_equal(
        _sorted(any_store.components(), ["period", "order"]),
        _sorted(dataset.components.assign(version=version), ["period", "order"]),
        check_dtype=False, check_exact=True)
    names = any_store.units().set_index("unit_id")["name"]
    assert names["ward:xã-0042"] == "Xã Đông Hòa 42"


def test_a_failure_in_the_last_chunk_leaves_nothing(any_store, small_chunks):
    dataset = national()
    dataset.scores.loc[len(dataset.scores) - 1, "value"] = np.nan  # NOT NULL, in chunk seven
    token, units = any_store.state_token(), len(any_store.units())
    with pytest.raises(sa.exc.IntegrityError):
        any_store.save(dataset)
    assert any_store.state_token() == token
    assert any_store.datasets() == []
    assert len(any_store.units()) == units
    with any_store.engine.connect() as conn:
        for table in ("scores", "components", "versions", "files"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0, table


def test_only_the_periods_a_version_still_wins_are_read(any_store, small_chunks):
    """A later upload of 2024 alone: the first version shows its 2023 only."""
    first = any_store.save(national()).version
    again = national(rows_seed=8)
    later = Dataset(**{**again.__dict__, "periods": ("2024",),
                       "scores": again.scores[again.scores["period"] == "2024"].reset_index(drop=True),
                       "components": again.components[again.components["period"] == "2024"]})
    second = any_store.save(later).version
    shown = any_store.scores().groupby("period")["version"].unique().map(list).to_dict()
    assert shown == {"2023": [first], "2024": [second]}
    assert any_store.components().groupby("period")["version"].unique().map(list).to_dict() == shown


def _orphan_score_refused(store) -> None:
    """Raise unless the store refuses a score whose version does not exist."""
    with pytest.raises(sa.exc.IntegrityError), store.writing() as conn:
        conn.execute(sa.text(
            "INSERT INTO scores VALUES (999, 'PAR', '2024', 'u', 'TOTAL', 1.0, NULL, 'A1')"))


def test_keys_are_checked_again_after_a_bulk_save(any_store):
    """The bulk copy skips the per-row parent lookup of the version it just inserted (SQLite:
    foreign_keys off for the save; PostgreSQL: its key triggers, when the role may); any
    later write is checked again."""
    any_store.save(national())
    _orphan_score_refused(any_store)
    with any_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sa.table("scores"))).scalar() == 20_000


def test_a_role_that_may_not_skip_key_triggers_still_saves(postgres_server):
    """A PostgreSQL role that is no superuser may not set session_replication_role: the save
    keeps the key triggers and stores everything all the same."""
    import uuid

    import psycopg

    from reform.store.store import Store

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN")
        conn.execute(f"CREATE DATABASE {name} OWNER {name}")
    store = Store(postgres_server.replace("//reform@", f"//{name}@") + f"/{name}")
    version = store.save(national()).version
    assert len(store.scores()) == 20_000
    assert set(store.scores()["version"]) == {version}
    _orphan_score_refused(store)


def test_a_lean_read_gives_the_rows_with_keys_categorical_in_text_order(any_store):
    """Keys come out of the columnar copy as dictionaries in the order met ("TOTAL" before
    "1.1", units backwards here); the lean read still orders their categories as text, and
    holds the same rows as the full read."""
    dataset = national()
    scores = dataset.scores.iloc[::-1].reset_index(drop=True)
    any_store.save(Dataset(**{**dataset.__dict__, "scores": scores}))
    lean = any_store.scores(lean=True)
    for key in store_module.LEAN_KEYS:
        assert str(lean[key].dtype) == "category"
        assert list(lean[key].cat.categories) == sorted(set(scores[key]))
    full = any_store.scores().drop(columns="source")
    pd.testing.assert_frame_equal(lean.astype(dict.fromkeys(store_module.LEAN_KEYS, "str")),
                                  full.astype(dict.fromkeys(store_module.LEAN_KEYS, "str")))
