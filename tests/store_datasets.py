"""Small datasets built in code, for tests of the store's writers (roles, concurrency): each is
a distinct "file" whose scores tell which upload they came from and how many there must be.

Module-level functions only, so worker processes started with ``spawn`` can import them.
"""
from __future__ import annotations

import hashlib

import pandas as pd

from reform.core.model import Dataset

COMPONENTS = ("TOTAL", "1")
"""Each unit gets a row for the total and for one field."""


def make_dataset(tag: str, *, index: str = "PAR", period: str = "2024", units: int = 12) -> Dataset:
    """A dataset of ``units`` wards (``t:u000``…) in ``period``; the bytes (and SHA-256) come
    from ``tag``, so each tag is a distinct upload. Every value is ``units``: a reader can check
    it sees exactly that many rows of the version."""
    data = f"synthetic upload {tag}".encode()
    sha = hashlib.sha256(data).hexdigest()
    ids = [f"t:u{i:03d}" for i in range(units)]
    scores = pd.DataFrame([
        {"index": index, "period": period, "unit_id": unit, "component": component,
         "value": float(units), "max_value": 100.0, "source": f"{tag}!A{row + 2}"}
        for row, unit in enumerate(ids) for component in COMPONENTS])
    components = pd.DataFrame([
        {"index": index, "period": period, "component": "1", "name": "Field one", "parent": "",
         "max_value": 100.0, "order": 0}])
    return Dataset(
        index=index, periods=(period,), file_name=f"{tag}.xlsx", sha256=sha, data=data,
        scores=scores, components=components,
        published=pd.DataFrame(columns=["index", "period", "unit_id", "rank", "group", "source"]),
        inspections=pd.DataFrame(), units=pd.DataFrame({
            "unit_id": ids, "name": [f"Phường thử {i}" for i in range(units)],
            "level": "ward", "spellings": [()] * units}),
        sheets=("Sheet1",), unit_count=units)


def torn_versions(scores: pd.DataFrame) -> dict[int, int]:
    """Versions shown with a row count that is not complete: {version: rows seen}. A version
    of ``n`` units has ``n × len(COMPONENTS)`` rows, each of value ``n``."""
    torn = {}
    for version, rows in scores.groupby("version"):
        units = rows["value"].iloc[0]
        if len(rows) != units * len(COMPONENTS) or rows["value"].nunique() != 1:
            torn[int(version)] = len(rows)
    return torn


def save_many(url: str, tags: list[str], periods: list[str], errors) -> None:
    """Worker process: save one dataset per tag (period and size varying) into the store at
    ``url``; any error's text goes to the queue ``errors``."""
    from reform.store.store import Store

    try:
        store = Store(url)
        for number, tag in enumerate(tags):
            store.save(make_dataset(tag, period=periods[number % len(periods)], units=8 + 7 * number),
                       user=tag)
    except Exception as exc:  # reported to the test, which fails on it  # noqa: BLE001
        errors.put(f"{type(exc).__name__}: {exc}")


def second_app(url: str, parent_saved, child_saved, results) -> None:
    """Worker process playing a second app process: upload, tell the parent, wait for the
    parent's upload, then report whether this process's store shows it."""
    from reform.store.store import Store

    store = Store(url)
    store.save(make_dataset("from-child", period="2023"), user="child")
    child_saved.set()
    before = store.state_token()
    parent_saved.wait(120)
    files = sorted(d["file"] for d in store.datasets())
    results.put({"files": files, "token_moved": store.state_token() != before,
                 "periods": sorted(set(store.scores()["period"]))})
