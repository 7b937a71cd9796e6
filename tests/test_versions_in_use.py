"""Which periods of a version are in use: ``Store.datasets()``'s ``periods_in_use`` and the
Data page's status, after a second upload replaced only 2018 of a 2017–2024 version."""
from __future__ import annotations

import dataclasses
import hashlib

import pandas as pd

from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from reform.present.pages.data import datasets_table
from reform.store.store import Store
from tests.helpers import par_annex, write_xlsx

YEARS = tuple(str(year) for year in range(2017, 2025))


def _annex_2018(store: Store, tmp_path, name: str):
    rows, merges = par_annex(2018)
    path = write_xlsx(tmp_path / name, {"Sheet1": rows}, {"Sheet1": merges})
    return parse_file(path.read_bytes(), path.name, UnitRegistry(store.units())).dataset({})


def _over_years(dataset, years: tuple[str, ...], name: str):
    """``dataset``'s rows repeated for each of ``years``, as one file's version."""
    def spread(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty or "period" not in frame.columns:
            return frame
        return pd.concat([frame.assign(period=year) for year in years], ignore_index=True)

    content = name.encode()
    return dataclasses.replace(
        dataset, periods=years, file_name=name, data=content,
        sha256=hashlib.sha256(content).hexdigest(), scores=spread(dataset.scores),
        components=spread(dataset.components), published=spread(dataset.published))


def test_a_second_upload_of_2018_leaves_the_other_years_in_use(store, tmp_path):
    base = _annex_2018(store, tmp_path, "CCHC_2018.xlsx")
    first = store.save(_over_years(base, YEARS, "CCHC_2017_2024.xlsx"), user="an")
    second = store.save(_over_years(base, ("2018",), "CCHC_2018_v2.xlsx"), user="binh")
    assert second.superseded == (first.version,)

    by_version = {d["version"]: d for d in store.datasets()}
    older, newer = by_version[first.version], by_version[second.version]
    assert older["periods"] == list(YEARS) and older["status"] == "active"
    assert older["periods_in_use"] == ["2017", "2019", "2020", "2021", "2022", "2023", "2024"]
    assert newer["periods_in_use"] == ["2018"]

    table = datasets_table(store.datasets(), lang="en").set_index("version")
    assert table.loc[first.version, "status"] == "in use: 2017, 2019–2024 of 2017–2024"
    assert table.loc[second.version, "status"] == "active"
    vi = datasets_table(store.datasets(), lang="vi").set_index("version")
    assert vi.loc[first.version, "status"] == "đang dùng: 2017, 2019–2024 trong 2017–2024"


def test_a_deleted_or_superseded_version_has_no_period_in_use(store, tmp_path):
    base = _annex_2018(store, tmp_path, "CCHC_2018.xlsx")
    first = store.save(_over_years(base, ("2018",), "a.xlsx"), user="an")
    second = store.save(_over_years(base, ("2018",), "b.xlsx"), user="an")
    store.delete(second.version, user="an")
    by_version = {d["version"]: d for d in store.datasets()}
    assert by_version[second.version]["periods_in_use"] == []
    assert by_version[first.version]["periods_in_use"] == ["2018"]
    store.restore(second.version, user="an")
    assert {d["version"]: d["periods_in_use"] for d in store.datasets()} == {
        second.version: ["2018"], first.version: []}
