"""Existence and identifiability checks (Chan, Silverman and Vincent 2021, Table 3).

SparseMSE's ``checkident`` on ``Artificial_3`` gives: A:B alone, code 1 (no MLE);
all three pairs, code 2 (not identifiable); A:C + B:C and main effects, code 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rightsledger.errors import EstimationError
from rightsledger.estimate import _glm
from rightsledger.estimate.existence import (
    ModelCheck,
    check_model,
    mle_exists,
    pair_indices,
)
from rightsledger.estimate.histories import CaptureTable
from rightsledger.estimate.stepwise import Fixed, MainEffects

DATA = Path(__file__).parent / "data" / "sparsemse"


@pytest.fixture(scope="module")
def artificial() -> CaptureTable:
    text = (DATA / "artificial_3_nonoverlap.csv").read_text()
    return CaptureTable.from_csv_text(text, source="artificial_3_nonoverlap")


ALL = [("A", "B"), ("A", "C"), ("B", "C")]


@pytest.mark.parametrize(
    ("pairs", "exists", "identifiable"),
    [
        ([("A", "B")], False, True),  # SparseMSE code 1
        (ALL, True, False),  # code 2
        ([("A", "C"), ("B", "C")], True, True),  # code 0
        ([], True, True),  # code 0
    ],
)
def test_artificial_checks_match_sparsemse(artificial, pairs, exists, identifiable):
    check = check_model(artificial, pairs)
    assert (check.exists, check.identifiable) == (exists, identifiable)
    assert check.ok == (exists and identifiable)


def test_reasons_name_the_model(artificial):
    no_mle = check_model(artificial, [("A", "B")])
    assert "main effects + A:B" in no_mle.reason
    assert "does not exist" in no_mle.reason
    unident = check_model(artificial, ALL)
    assert "main effects + A:B, A:C, B:C" in unident.reason
    assert "not identifiable" in unident.reason
    assert unident.empty_pairs == ("A:C", "B:C")
    assert "passes" in check_model(artificial, [("A", "C"), ("B", "C")]).reason


def test_fixed_refuses_failing_models_with_clear_errors(artificial):
    with pytest.raises(EstimationError, match=r"'main effects \+ A:B'.*does not exist"):
        Fixed(artificial, [("A", "B")]).fit()
    with pytest.raises(EstimationError, match=r"A:B, A:C, B:C'.*not identifiable"):
        Fixed(artificial, ALL).fit()


def test_fixed_extended_mle_on_non_overlapping_pairs(artificial):
    # Cells 101, 011 and 111 are dropped; the four left are fitted exactly:
    # f0 = n(100) * n(010) / n(110) = 40 * 30 / 6 = 200, so N = 96 + 200.
    fit = Fixed(artificial, [("A", "C"), ("B", "C")]).fit()
    assert fit.estimate == pytest.approx(296.0, abs=1e-6)
    assert fit.diagnostics["empty_overlaps"] == ["A:C", "B:C"]
    assert fit.diagnostics["pair_terms"] == ""
    assert fit.diagnostics["n_cells_fitted"] == 4


def test_main_effects_fail_when_a_list_is_empty():
    table = CaptureTable(("A", "B", "C"), {(1, 1, 0): 5, (1, 0, 0): 9, (0, 1, 0): 7})
    check = check_model(table, [])
    assert not check.exists
    with pytest.raises(EstimationError, match="main effects only"):
        MainEffects(table).fit()


def test_positive_table_shortcut_agrees_with_the_linear_program():
    patterns = _glm.observable_patterns(3)
    x = _glm.design(patterns, [(0, 1)])
    y = np.arange(1.0, 8.0)
    assert mle_exists(x, y)
    y[0] = 0.0  # the 111 cell: A:B is still estimable from 110
    assert mle_exists(x, y)
    y[1] = 0.0  # 110 and 111 empty: the A:B margin is 0, on the boundary
    assert not mle_exists(x, y)


def test_bad_pair_names_are_refused():
    with pytest.raises(EstimationError, match="not a pair"):
        pair_indices(("A", "B"), [("A", "Z")])
    with pytest.raises(EstimationError, match="not a pair"):
        pair_indices(("A", "B"), [("A", "A")])
    assert pair_indices(("A", "B", "C"), [("C", "A"), ("A", "C")]) == ((0, 2),)


def test_model_check_is_frozen():
    check = ModelCheck(True, True, "fine")
    with pytest.raises(AttributeError):
        check.exists = False  # type: ignore[misc]
