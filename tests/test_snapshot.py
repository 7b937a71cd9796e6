"""The snapshot: what the app shows, derived discipline scores, and its Parquet cache."""
import pandas as pd
import pytest
from conftest import SAMPLE_DIR, import_file

from reform.analysis.ranking import rank_units
from reform.store.snapshot import KEY_COLUMNS, SCORE_SHOWN, keep_apart, load_snapshot


def frames(snapshot):
    return {name: getattr(snapshot, name) for name in ("scores", "units", "components", "published", "inspections", "samples")}


def test_cached_copy_equals_the_store(sample_store, tmp_path):
    tmp_path = tmp_path / "cache"
    fresh = load_snapshot(sample_store, cache_dir=None)
    first = load_snapshot(sample_store, cache_dir=tmp_path)   # writes the cache
    cached = load_snapshot(sample_store, cache_dir=tmp_path)  # reads it
    assert len(list(tmp_path.glob("*/done"))) == 1
    for name, frame in frames(fresh).items():
        pd.testing.assert_frame_equal(frames(cached)[name], frame, check_dtype=False, obj=name)
        pd.testing.assert_frame_equal(frames(first)[name], frame, check_dtype=False, obj=name)
    assert cached.units["aliases"].map(type).eq(tuple).all()


def test_discipline_scores_are_derived_from_inspections(sample_store):
    snapshot = load_snapshot(sample_store, cache_dir=None)
    discipline = snapshot.scores[snapshot.scores["index"] == "DISCIPLINE"]
    assert set(discipline["period"]) == {"2023", "2024"}
    assert set(discipline["component"]) == {"TOTAL"}
    assert discipline["value"].between(0, 100).all()
    assert snapshot.indices() == ["PAR", "SIPAS", "DISCIPLINE"]


def test_a_write_moves_the_token_and_the_cache_follows(sample_store, tmp_path):
    tmp_path = tmp_path / "cache"
    before = load_snapshot(sample_store, cache_dir=tmp_path)
    sample_store.delete(2, user="tester")  # SIPAS
    after = load_snapshot(sample_store, cache_dir=tmp_path)
    assert after.token > before.token
    assert "SIPAS" in before.indices() and "SIPAS" not in after.indices()
    assert [p.name.rsplit("-", 1)[1] for p in tmp_path.iterdir() if not p.name.startswith(".")] == [str(after.token)]


def test_a_damaged_cache_is_rebuilt(sample_store, tmp_path):
    tmp_path = tmp_path / "cache"
    load_snapshot(sample_store, cache_dir=tmp_path)
    [folder] = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    (folder / "scores.arrow").write_bytes(b"not arrow")
    snapshot = load_snapshot(sample_store, cache_dir=tmp_path)
    assert not snapshot.scores.empty


def test_a_store_made_again_at_the_same_address_is_not_served_an_old_cache(tmp_path, realdata):
    from reform.ingest.pipeline import parse_file
    from reform.ingest.units import UnitRegistry
    from reform.store.store import Store
    from tests.helpers import write_xlsx

    url, cache = f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path / "cache"
    first = Store(url)
    data = (realdata / "PCI_2009.xls").read_bytes()
    first.save(parse_file(data, "PCI_2009.xls", UnitRegistry(first.units()), sheet="Tong Hop").dataset())
    assert not load_snapshot(first, cache_dir=cache).scores.empty
    first.engine.dispose()
    for path in tmp_path.glob("r.sqlite*"):
        path.unlink()
    again = Store(url)  # same address, new store, token back to 0 … then 1 after one import
    rows = [["STT", "Tên đơn vị", "Lĩnh vực A", "Tổng điểm"], [1, "Hàng Bạc", 4, 4], [2, "Hàng Đào", 3, 3]]
    path = write_xlsx(tmp_path / "CCHC_2020.xlsx", {"Sheet1": rows})
    again.save(parse_file(path.read_bytes(), path.name, UnitRegistry(again.units())).dataset())
    assert again.state_token() == 1  # the very token the deleted store's cache was written at
    snapshot = load_snapshot(again, cache_dir=cache)
    assert snapshot.indices() == ["PAR"]


def test_the_sample_alone_is_shown_and_said_to_be_the_sample(sample_store):
    snapshot = load_snapshot(sample_store, cache_dir=None)
    assert snapshot.sample_indices == {"PAR", "SIPAS", "DISCIPLINE"}
    assert snapshot.is_sample("PAR") and not snapshot.is_sample("PCI", None)


def test_real_data_of_an_index_hides_its_sample_and_no_change_mixes_them(sample_store, tmp_path):
    """A real 2018 PAR file next to the sample's 2017–2024: PAR shows 2018 alone (no rank
    change against the illustrative 2017); SIPAS and discipline still show the sample."""
    before = load_snapshot(sample_store, cache_dir=None)
    assert {"2017", "2018"} <= set(before.scores.loc[before.scores["index"] == "PAR", "period"])
    import_file(sample_store, SAMPLE_DIR / "sample_par.xlsx", period="2018", user="an")

    for cache in (None, tmp_path / "cache", tmp_path / "cache"):  # fresh, written, read back
        after = load_snapshot(sample_store, cache_dir=cache)
        par = after.scores[after.scores["index"] == "PAR"]
        assert set(par["period"]) == {"2018"}
        assert set(after.components.loc[after.components["index"] == "PAR", "period"]) == {"2018"}
        assert after.sample_indices == {"SIPAS", "DISCIPLINE"}
        assert not after.is_sample("PAR") and after.is_sample("SIPAS")
    table = rank_units(after.scores, after.units, index="PAR", period="2018", level="ward")
    assert table["change"].isna().all()


@pytest.mark.parametrize(("real_index", "kept", "shown_from_sample"), [
    ("DISCIPLINE", {("PAR", 1), ("DISCIPLINE", 9)}, {"PAR"}),
    ("PCI", {("PAR", 1), ("DISCIPLINE", 2), ("PCI", 9)}, {"PAR", "DISCIPLINE"}),
])
def test_keep_apart_drops_the_sample_of_indices_with_real_rows(real_index, kept, shown_from_sample):
    scores = pd.DataFrame({"index": ["PAR", real_index], "version": [1, 9]})
    inspections = pd.DataFrame({"index": ["DISCIPLINE"], "version": [2]})
    frames, shown = keep_apart({"scores": scores, "inspections": inspections}, {1, 2})
    rows = pd.concat(frames.values())
    assert set(zip(rows["index"], rows["version"], strict=True)) == kept
    assert shown == shown_from_sample


def test_the_snapshot_holds_scores_without_cell_references_and_with_categorical_keys(
        sample_store, tmp_path):
    """Fresh, written to the cache and read back: the same lean score table, whose keys still
    compare, filter and group as the strings the store holds."""
    stored = sample_store.scores()  # with source, plain strings
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):
        scores = load_snapshot(sample_store, cache_dir=cache).scores
        assert list(scores.columns) == SCORE_SHOWN and "source" not in scores
        assert {c: str(scores[c].dtype) for c in KEY_COLUMNS} == dict.fromkeys(KEY_COLUMNS, "category")
        assert str(scores["value"].dtype) == "float64"
        for column in KEY_COLUMNS:  # categories in text order: sorting by a key sorts by text
            categories = list(scores[column].cat.categories)
            assert categories == sorted(categories)
        par = stored[stored["index"] == "PAR"].drop(columns="source")
        shown = scores[scores["index"] == "PAR"]
        assert len(shown) == len(par) > 0
        wards = sorted(set(par["unit_id"]))[:3]
        assert shown["unit_id"].isin(wards).sum() == par["unit_id"].isin(wards).sum() > 0
        means = shown.groupby(["period", "component"])["value"].mean()
        expected = par.groupby(["period", "component"])["value"].mean()
        assert len(means) == len(expected)  # only the pairs that occur (observed)
        assert means.to_dict() == pytest.approx(expected.to_dict())


def test_a_ranking_on_the_lean_snapshot_equals_one_on_the_stored_strings(sample_store):
    data = load_snapshot(sample_store, cache_dir=None)
    plain = data.scores.astype({c: "str" for c in KEY_COLUMNS})
    for period in ("2023", "2024"):
        lean = rank_units(data.scores, data.units, index="PAR", period=period, level="ward")
        text = rank_units(plain, data.units, index="PAR", period=period, level="ward")
        assert len(lean) > 0
        assert list(lean["unit_id"].astype(str)) == list(text["unit_id"].astype(str))
        assert lean["rank"].tolist() == text["rank"].tolist()
        pd.testing.assert_series_equal(lean["change"], text["change"], check_dtype=False)


def test_an_older_cache_is_replaced_by_one_in_the_current_shape(sample_store, tmp_path):
    cache = tmp_path / "cache"
    load_snapshot(sample_store, cache_dir=cache)
    [folder] = [p for p in cache.iterdir() if not p.name.startswith(".")]
    for arrow in folder.glob("*.arrow"):  # as a copy written as Parquet looked
        arrow.unlink()
    assert not load_snapshot(sample_store, cache_dir=cache).scores.empty
    [again] = [p for p in cache.iterdir()]  # rebuilt in place, no staging folder left behind
    assert again.name == folder.name and (again / "scores.arrow").exists()
