"""Validation: what is wrong with a file, cell by cell, with errors and warnings kept apart."""
import pytest

from reform.core.gazetteer import seed_units
from reform.ingest.pipeline import parse_file
from reform.ingest.units import UnitRegistry
from tests.helpers import par_annex, write_xlsx


def parse(tmp_path, rows, merges, **options):
    path = write_xlsx(tmp_path / "CCHC_2018.xlsx", {"Sheet1": rows}, {"Sheet1": merges})
    return parse_file(path.read_bytes(), path.name, UnitRegistry(seed_units()), **options)


def findings(parsed) -> list[tuple[str, str, str]]:
    return sorted((i.severity, i.code, i.cell) for i in parsed.issues)


def edited(*edits):
    rows, merges = par_annex(2018)
    for r, c, value in edits:
        rows[r][c] = value
    return rows, merges


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], []),
        # Hàng Đào written twice: the second row is the duplicate.
        # Its numbers are not read, so Hàng Đào's printed rank 3 of now two wards disagrees.
        ([(13, 1, "Hàng Đào")], [("error", "duplicate_unit", "B14"), ("warning", "rank_mismatch", "I13")]),
        ([(11, 2, -1), (11, 6, 12), (11, 8, 3), (12, 8, 2), (13, 8, 1)], [("error", "negative", "C12")]),
        ([(11, 3, 4.5), (11, 6, 19.5)], [("error", "above_max", "D12")]),
        # The total of Hàng Bạc no longer equals its criteria (19): PAR is additive.
        ([(11, 6, 18)], [("warning", "sum_mismatch", "G12")]),
        # Published ranks that disagree with the totals.
        ([(11, 8, 3), (12, 8, 1)], [("warning", "rank_mismatch", "I12"), ("warning", "rank_mismatch", "I13")]),
        ([(13, 1, "Phường Hàng Bồo")], [("warning", "fuzzy_unit", "")]),
        ([(13, 1, "Phường Không Có")], [("warning", "unknown_unit", "")]),
        ([(8, 4, "#DIV/0!")], [("error", "formula_error", "E9"), ("warning", "sum_mismatch", "G9")]),
    ],
    ids=["clean", "duplicate", "negative", "above max", "sum", "ranks", "fuzzy", "unknown", "error cell"],
)
def test_findings(tmp_path, edits, expected):
    parsed = parse(tmp_path, *edited(*edits))
    assert findings(parsed) == expected
    assert parsed.ok == (not any(severity == "error" for severity, _, _ in expected))


def test_messages_name_sheet_cell_and_value_in_both_languages(tmp_path):
    parsed = parse(tmp_path, *edited((11, 3, 4.5), (11, 6, 19.5)))
    [issue] = parsed.issues
    assert issue.message_vi == "Ô Sheet1!D12 có 4,50 điểm, vượt điểm tối đa 4,00."
    assert issue.message_en == "Cell Sheet1!D12 holds 4.50 points, above the maximum 4.00."


def test_units_missing_since_the_previous_period_are_warned(tmp_path):
    previous = {("PAR", "2018"): {"ward:hang-bac", "ward:hang-dao", "ward:hang-bo", "ward:hang-gai"}}
    parsed = parse(tmp_path, *par_annex(2018), previous_units=previous)
    missing = [i for i in parsed.issues if i.code == "missing_unit"]
    assert [i.message_vi for i in missing] == ["Đơn vị 'Phường Hàng Gai' có ở kỳ trước nhưng không có trong tệp này."]
    assert parsed.ok


def test_sum_is_not_checked_for_weighted_indices(tmp_path):
    parsed = parse(tmp_path, *edited((11, 6, 18), (11, 8, 1)), index="PCI")
    assert "sum_mismatch" not in {i.code for i in parsed.issues}
