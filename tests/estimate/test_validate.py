"""Bad input gets a clear error naming file, row and column, never a silent number."""

from __future__ import annotations

import pytest

from rightsledger.errors import EstimationWarning, InputError, InputErrors
from rightsledger.estimate import CaptureTable, fit_method
from rightsledger.estimate.validate import (
    check_header,
    check_row,
    check_table,
    table_warnings,
)


def parse(text: str) -> CaptureTable:
    return CaptureTable.from_csv_text(text, source="t.csv")


def locations(info: pytest.ExceptionInfo[InputErrors]) -> list[tuple[object, ...]]:
    return [e.location for e in info.value.errors]


def test_all_zero_row_with_count_zero_is_accepted():
    table = parse("A,B,count\n1,1,5\n1,0,7\n0,1,3\n0,0,0\n")
    assert table.n_observed == 15


def test_all_zero_row_with_a_count_is_refused_as_unobservable():
    with pytest.raises(InputErrors, match="unobservable") as info:
        parse("A,B,count\n1,1,5\n1,0,7\n0,1,3\n0,0,40\n")
    assert locations(info) == [("t.csv", 5, "count")]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-3", "negative count"),
        ("2.5", "non-integer"),
        ("x", "whole number"),
        ("", "missing count"),
        ("nan", "whole number"),
    ],
)
def test_bad_counts_are_named(cell, message):
    with pytest.raises(InputErrors, match=message) as info:
        parse(f"A,B,count\n1,1,5\n1,0,{cell}\n")
    assert locations(info) == [("t.csv", 3, "count")]


def test_a_whole_number_written_as_float_is_accepted():
    assert parse("A,B,count\n1,1,5.0\n1,0,7\n0,1,1\n").counts[(1, 1)] == 5


def test_every_bad_flag_is_reported_with_its_column():
    with pytest.raises(InputErrors) as info:
        parse("A,B,count\n1,2,3\nyes,1,3\n")
    assert ("t.csv", 2, "B") in locations(info)
    assert ("t.csv", 3, "A") in locations(info)


def test_one_list_is_refused():
    with pytest.raises(InputErrors, match="at least two list columns"):
        parse("A,count\n1,5\n")


def test_no_count_column_is_refused():
    with pytest.raises(InputErrors, match="no 'count' column"):
        parse("A,B,n\n1,1,5\n")
    assert check_header(["A", "B", "count"], []) == []


def test_a_list_nobody_is_on_is_named():
    table = parse("A,B,C,count\n1,1,0,5\n1,0,0,7\n0,1,0,3\n0,0,1,0\n")
    with pytest.raises(InputErrors, match="'C' has nobody") as info:
        check_table(table, source="t.csv")
    assert locations(info) == [("t.csv", None, "C")]
    with pytest.raises(InputErrors, match="'C' has nobody"):
        fit_method("chapman", table)


def test_empty_and_one_list_tables_are_refused_before_fitting():
    with pytest.raises(InputErrors, match="nobody was seen"):
        check_table(CaptureTable(("A", "B"), {}))
    with pytest.raises(InputErrors, match="only 1 list"):
        fit_method("loglinear", CaptureTable(("A",), {(1,): 4}))


def test_check_row_returns_pattern_and_count():
    pattern, count, errors = check_row(
        {"A": "1", "B": "0", "count": " 12 "}, ["A", "B"], source="f", rownum=2
    )
    assert (pattern, count, errors) == ((1, 0), 12, [])
    _, _, bad = check_row(
        {"A": "1", "B": "0", "count": -1}, ["A", "B"], source="f", rownum=2
    )
    assert isinstance(bad[0], InputError)


def test_a_list_sharing_nobody_is_a_warning_stored_in_the_result():
    table = CaptureTable(
        ("A", "B", "C"), {(1, 1, 0): 30, (1, 0, 0): 40, (0, 1, 0): 50, (0, 0, 1): 9}
    )
    assert any("'C' shares nobody" in m for m in table_warnings(table))
    with pytest.warns(EstimationWarning, match="shares nobody"):
        fit = fit_method("chapman", table, list_a="A")
    assert any("shares nobody" in w for w in fit.warnings)


def test_tiny_tables_warn():
    table = CaptureTable(("A", "B"), {(1, 1): 3, (1, 0): 4, (0, 1): 5})
    with pytest.warns(EstimationWarning):  # also Chapman's own small-overlap warning
        fit = fit_method("chapman", table)
    assert any("only 12 persons" in w for w in fit.warnings)
