"""Chao's lower bound and Chao-Tsay sample coverage, against hand computation.

Rcapture: ``shared/datasets/mse/reference/rcapture.csv`` has no ``Mh Chao`` row,
only ``closedp.t Mth Chao (LB)``, which adds list effects to Chao's bound inside a
log-linear model. That is not the closed form N = n + f1^2 / (2 f2) computed here,
so no Rcapture figure is asserted (see data/sparsemse/README.md).

The sample-coverage checks re-type the three-list expressions of Chao et al.
(2001, eqs. 9, 12, 13), written out cell by cell as in Chao's CARE1 package, and
compare them with our general-k implementation.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate.chao import (
    ChaoLowerBound,
    SampleCoverage,
    capture_frequencies,
)
from rightsledger.estimate.histories import CaptureTable

DATA = Path(__file__).parent / "data" / "sparsemse"
Z975 = 1.959963984540054


def test_chao_lower_bound_by_hand():
    # f1 = 40, f2 = 20, f3 = 5, n = 65
    table = CaptureTable(
        ("A", "B", "C"),
        {(1, 0, 0): 20, (0, 1, 0): 20, (1, 1, 0): 10, (0, 1, 1): 10, (1, 1, 1): 5},
    )
    assert capture_frequencies(table) == [40, 20, 5]
    fit = ChaoLowerBound(table).fit()
    assert fit.estimate == pytest.approx(65 + 40**2 / (2 * 20))  # 105
    var = 20 * (2**4 / 4 + 2**3 + 2**2 / 2)  # 280
    c = math.exp(Z975 * math.sqrt(math.log(1 + var / 40**2)))
    assert fit.diagnostics["variance"] == pytest.approx(280.0)
    assert fit.lower == pytest.approx(65 + 40 / c)  # 83.21
    assert fit.upper == pytest.approx(65 + 40 * c)  # 152.88
    assert fit.method == "chao-lower-bound"
    assert fit.warnings == ()


def test_chao_bias_corrected_when_nobody_is_on_two_lists():
    table = CaptureTable(("A", "B", "C"), {(1, 0, 0): 5, (0, 1, 0): 3, (1, 1, 1): 2})
    with pytest.warns(EstimationWarning, match="f2 = 0"):
        fit = ChaoLowerBound(table).fit()
    assert fit.estimate == pytest.approx(10 + 8 * 7 / 2)  # 38
    var = 8 * 7 / 2 + 8 * 15**2 / 4 - 8**4 / (4 * 38)
    assert fit.diagnostics["variance"] == pytest.approx(var)
    assert fit.lower > 10


def test_chao_refuses_one_list():
    with pytest.raises(EstimationError, match="two lists"):
        ChaoLowerBound(CaptureTable(("A",), {(1,): 3})).fit()


def care1_three_lists(z: dict[str, float]) -> tuple[float, float, float, float]:
    """Chao et al. (2001) for three lists, cell by cell: C, N0, N, N1."""
    n1 = z["100"] + z["101"] + z["110"] + z["111"]
    n2 = z["010"] + z["011"] + z["110"] + z["111"]
    n3 = z["001"] + z["011"] + z["101"] + z["111"]
    m = sum(z.values())
    chat = 1 - (z["100"] / n1 + z["010"] / n2 + z["001"] / n3) / 3
    d = m - (z["100"] + z["010"] + z["001"]) / 3
    a12 = z["100"] + z["010"] + 2 * z["110"]
    a13 = z["100"] + z["001"] + 2 * z["101"]
    a23 = z["010"] + z["001"] + 2 * z["011"]
    r12 = (z["110"] + z["111"]) / (n1 * n2)
    r13 = (z["101"] + z["111"]) / (n1 * n3)
    r23 = (z["011"] + z["111"]) / (n2 * n3)
    n0 = d / chat
    x = 3 * chat - (a12 * r12 + a13 * r13 + a23 * r23)
    nhat = (z["011"] + z["101"] + z["110"] + 3 * z["111"]) / x

    def step(nn: float) -> float:
        gam = a12 * (nn * r12 - 1) + a13 * (nn * r13 - 1) + a23 * (nn * r23 - 1)
        return d / chat + gam / (3 * chat)

    return chat, n0, nhat, step(step(n0))


CELLS = {"100": 30, "010": 25, "001": 35, "110": 40, "101": 35, "011": 30, "111": 60}


def table_of(cells: dict[str, int]) -> CaptureTable:
    counts = {tuple(int(c) for c in key): v for key, v in cells.items()}
    return CaptureTable(("P", "Q", "E"), counts)


@pytest.mark.parametrize(
    ("estimator", "index"), [("independent", 1), ("high_coverage", 2), ("one_step", 3)]
)
def test_sample_coverage_matches_three_list_formulas(estimator, index):
    expected = care1_three_lists({k: float(v) for k, v in CELLS.items()})
    fit = SampleCoverage(table_of(CELLS), estimator=estimator).fit(nboot=0)
    assert fit.estimate == pytest.approx(expected[index], rel=1e-12)
    assert fit.diagnostics["coverage"] == pytest.approx(expected[0], rel=1e-12)
    assert fit.estimate > fit.n_observed


def test_sample_coverage_symmetric_table_by_hand():
    # n_j = 45, Z_j = 20: C = 5/9, D = 95 - 20 = 75, N0 = 135; every
    # coefficient of covariation is 135 * 15 / 45^2 - 1 = 0, so N = N1 = 135.
    table = CaptureTable(
        ("A", "B", "C"),
        {(1, 0, 0): 20, (0, 1, 0): 20, (0, 0, 1): 20, (1, 1, 0): 10,
         (1, 0, 1): 10, (0, 1, 1): 10, (1, 1, 1): 5},
    )  # fmt: skip
    for estimator in ("independent", "high_coverage", "one_step"):
        fit = SampleCoverage(table, estimator=estimator).fit(nboot=0)
        assert fit.estimate == pytest.approx(135.0)
    assert fit.diagnostics["coverage"] == pytest.approx(5 / 9)


def test_sample_coverage_bootstrap_interval_is_seeded():
    table = table_of(CELLS)
    a = SampleCoverage(table).fit(seed=4, nboot=100)
    b = SampleCoverage(table).fit(seed=4, nboot=100)
    assert (a.lower, a.upper) == (b.lower, b.upper)
    assert a.n_observed < a.lower < a.estimate < a.upper
    assert a.diagnostics["se"] > 0


def test_low_coverage_warns():
    table = CaptureTable(
        ("A", "B", "C"),
        {(1, 0, 0): 50, (0, 1, 0): 50, (0, 0, 1): 50, (1, 1, 0): 2, (0, 1, 1): 1},
    )
    with pytest.warns(EstimationWarning, match="coverage"):
        fit = SampleCoverage(table).fit(nboot=0)
    assert fit.diagnostics["high_coverage_capped"] == 0.0


def test_no_solution_above_n_is_flagged_not_silent():
    text = (DATA / "us_western_site_trafficking.csv").read_text()
    table = CaptureTable.from_csv_text(text)
    with pytest.warns(EstimationWarning) as record:
        fit = SampleCoverage(table).fit(nboot=0)
    assert fit.estimate == fit.n_observed  # CARE1's fallback, flagged
    assert any("not an estimate" in str(w.message) for w in record)
    assert fit.diagnostics["high_coverage_capped"] == 1.0
    one_step = SampleCoverage(table, estimator="one_step")
    assert one_step.fit(nboot=0).estimate > fit.n_observed


def test_sample_coverage_refuses_an_empty_list():
    table = CaptureTable(("A", "B", "C"), {(1, 0, 0): 5, (1, 1, 0): 3})
    with pytest.raises(EstimationError, match="every list"):
        SampleCoverage(table).fit(nboot=0)
