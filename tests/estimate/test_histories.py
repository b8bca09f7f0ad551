from __future__ import annotations

import pytest

from rightsledger.domain import Clustering
from rightsledger.errors import InputError, InputErrors
from rightsledger.estimate import CaptureTable, capture_histories

CSV = "S1,S2,count\n1,1,5\n1,0,7\n0,1,0\n"


def test_from_csv_text_drops_zero_cells():
    table = CaptureTable.from_csv_text(CSV)
    assert table.lists == ("S1", "S2")
    assert table.counts == {(1, 1): 5, (1, 0): 7}
    assert table.n_observed == 12
    assert table.list_total("S2") == 5


def test_hash_ignores_zero_cells_and_row_order():
    other = CaptureTable.from_csv_text("S1,S2,count\n0,1,0\n1,0,7\n1,1,5\n")
    assert other.inputs_hash() == CaptureTable.from_csv_text(CSV).inputs_hash()


def test_strata_filter():
    text = "eth,S1,S2,count\nx,1,1,2\ny,1,1,3\nx,1,0,4\n"
    table = CaptureTable.from_csv_text(text, where={"eth": "x"})
    assert table.lists == ("S1", "S2")
    assert table.counts == {(1, 1): 2, (1, 0): 4}


def test_bad_cells_are_all_reported():
    with pytest.raises(InputErrors) as info:
        CaptureTable.from_csv_text("A,B,count\n1,2,3\n1,1,x\n", source="t.csv")
    locations = [e.location for e in info.value.errors]
    assert ("t.csv", 2, "B") in locations
    assert ("t.csv", 3, "count") in locations


def test_all_zero_pattern_rejected():
    with pytest.raises(InputError, match="all-zero"):
        CaptureTable(("A", "B"), {(0, 0): 3})


def test_capture_histories_from_clustering():
    clustering = Clustering(
        {"r1": "P1", "r2": "P1", "r3": "P2", "r4": "P3", "r5": "P3"}, "test"
    )
    record_lists = {"r1": "A", "r2": "B", "r3": "A", "r4": "B", "r5": "C"}
    table = capture_histories(clustering, record_lists)
    assert table.lists == ("A", "B", "C")
    assert table.counts == {(1, 1, 0): 1, (1, 0, 0): 1, (0, 1, 1): 1}
    only_ab = capture_histories(clustering, record_lists, lists=["A", "B"])
    assert only_ab.counts == {(1, 1): 1, (1, 0): 1, (0, 1): 1}


def test_capture_histories_record_without_list():
    with pytest.raises(InputError, match="no list"):
        capture_histories(Clustering({"r1": "P1"}, "test"), {})
