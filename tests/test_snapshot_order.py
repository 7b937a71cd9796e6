"""What the snapshot keeps so that a restarted app reads rather than recomputes: each unit's
place in Vietnamese order of its name (kept in the Arrow copy), and the scored units and
periods read from the key codes."""
import pandas as pd
import pytest

from reform.core.text import collation_key
from reform.store.snapshot import Snapshot, compact_scores, load_snapshot, name_order

NAMES = ["Phường Đồng Xuân", "Phường Ba Đình", "Xã Ân Thi", "Phường Bạch Mai", "Xã An Phú",
         "Phường Ba Đình"]


def units() -> pd.DataFrame:
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(NAMES))], "name": NAMES,
                         "level": ["ward", "ward", "commune", "ward", "commune", "ward"]})


def snapshot(*, order: bool = True) -> Snapshot:
    rows = [("PAR", "2023", "u0"), ("PAR", "2024", "u0"), ("PAR", "2024", "u2"),
            ("PAR", "2024", "u2"), ("SIPAS", "2024", "u3"), ("PAR", "2022", "u9")]
    scores = pd.DataFrame(rows, columns=["index", "period", "unit_id"]).assign(
        component="TOTAL", value=1.0, max_value=100.0, version=1)
    frame = units()
    return Snapshot(scores=compact_scores(scores), units=frame, components=pd.DataFrame(),
                    published=pd.DataFrame(), inspections=pd.DataFrame(), token=1,
                    name_order=name_order(frame) if order else None)


def test_name_order_places_units_by_vietnamese_collation_and_equal_names_together():
    order = name_order(units())
    assert order["name"].tolist() == ["Phường Ba Đình", "Phường Bạch Mai", "Phường Đồng Xuân",
                                      "Xã An Phú", "Xã Ân Thi"]
    assert order["order"].tolist() == [0, 1, 2, 3, 4]
    places = snapshot().unit_places
    # "An" < "Ân" < "Ba" < "Bạch" < "Đồng" (đ after d), the ward/commune words first
    by_hand = ["u1", "u5", "u3", "u0", "u4", "u2"]
    assert sorted(places, key=lambda u: (places[u], u)) == by_hand
    assert places["u1"] == places["u5"]  # the same name, the same place
    assert by_hand == sorted(places, key=lambda u: (collation_key(NAMES[int(u[1:])]), u))


def test_in_name_order_puts_unknown_ids_last_and_works_without_a_stored_order():
    for data in (snapshot(), snapshot(order=False)):
        assert data.in_name_order(["u2", "zz", "u0", "u1"]) == ["u1", "u0", "u2", "zz"]


def test_scored_units_and_periods_are_read_from_the_key_codes():
    data = snapshot()
    pd.testing.assert_frame_equal(
        data.scored_units("PAR", "2024"),
        pd.DataFrame({"index": ["PAR", "PAR"], "period": ["2024", "2024"],
                      "unit_id": ["u0", "u2"]}).astype("str"))
    assert data.scored_units("PAR", "2019").empty
    assert data.scored_units("PCI", "2024").empty
    assert data.periods_of("PAR") == ["2022", "2023", "2024"]
    assert data.periods_of("SIPAS") == ["2024"]
    assert data.periods_of("PCI") == []


def test_the_arrow_copy_keeps_the_unit_order(sample_store, tmp_path):
    fresh = load_snapshot(sample_store, cache_dir=tmp_path)   # writes the copy
    restarted = load_snapshot(sample_store, cache_dir=tmp_path)  # reads it
    assert restarted.name_order is not None
    pd.testing.assert_frame_equal(restarted.name_order, name_order(fresh.units))
    assert restarted.name_places == fresh.name_places and len(restarted.name_places) > 100
    ids = list(fresh.units["unit_id"].unique())
    names = fresh.unit_names
    assert restarted.in_name_order(ids) == sorted(ids, key=lambda u: (collation_key(names[u]), u))


@pytest.mark.parametrize("unit_id, shown", [("u1", "Phường Ba Đình"), ("nobody", "nobody")])
def test_unit_names_name_an_unknown_id_by_itself(unit_id, shown):
    assert snapshot().unit_names[unit_id] == shown
