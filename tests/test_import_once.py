"""``import_file`` reads a file once: the units missing since the period before are judged on
what the first read found, not by reading and matching the whole file again."""
from reform.ingest import pipeline
from reform.ingest.pipeline import import_file, parse_file
from reform.ingest.units import UnitRegistry
from tests.helpers import par_annex, write_xlsx


def _annex(tmp_path, year: int, drop: str | None = None):
    rows, merges = par_annex(year)
    rows = [row for row in rows if not (drop and len(row) > 1 and row[1] == drop)]
    return write_xlsx(tmp_path / f"CCHC_{year}.xlsx", {"Sheet1": rows}, {"Sheet1": merges})


def test_the_missing_units_come_without_a_second_read(tmp_path, store, monkeypatch):
    first = _annex(tmp_path, 2018)
    store.save(import_file(first.read_bytes(), first.name, store.units(), store.previous_units).dataset())
    later = _annex(tmp_path, 2019, drop="HÀNG BỒ")
    reads = []
    real_read = pipeline.read_workbook
    monkeypatch.setattr(pipeline, "read_workbook", lambda *a: reads.append(a[1]) or real_read(*a))
    parsed = import_file(later.read_bytes(), later.name, store.units(), store.previous_units)
    assert reads == [later.name]
    missing = [i.message_en for i in parsed.issues if i.code == "missing_unit"]
    assert len(missing) == 1 and "was in the previous period" in missing[0]
    # the same issues, in the same order, as a whole second read with the previous units
    previous = store.previous_units("PAR", ["2019"])
    again = parse_file(later.read_bytes(), later.name, UnitRegistry(store.units()), previous_units=previous)
    assert parsed.issues == again.issues
    assert parsed.ok
