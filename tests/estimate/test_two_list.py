from __future__ import annotations

import math

import pytest

from rightsledger import __version__
from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate import CaptureTable, Chapman, lognormal_interval

TWO = CaptureTable(("A", "B"), {(1, 1): 20, (1, 0): 80, (0, 1): 60})


def test_chapman_by_hand():
    # n1 = 100, n2 = 80, m = 20: N = 101 * 81 / 21 - 1
    # Seber: Var = 8181 * 80 * 60 / (21^2 * 22)
    fit = Chapman(TWO).fit()
    assert fit.estimate == pytest.approx(8181 / 21 - 1)
    assert fit.diagnostics["lincoln_petersen"] == pytest.approx(400.0)
    assert fit.diagnostics["variance"] == pytest.approx(39_268_800 / 9_702)
    assert fit.n_observed == 160
    assert fit.lower > fit.n_observed
    assert fit.lower < fit.estimate < fit.upper


def test_lognormal_interval_by_hand():
    # Chao (1987): f0 = 228.571, C = exp(1.96 * sqrt(log(1 + var / f0^2)))
    f0 = 8181 / 21 - 1 - 160
    var = 39_268_800 / 9_702
    c = math.exp(1.959964 * math.sqrt(math.log(1 + var / f0**2)))
    lo, hi = lognormal_interval(160, 160 + f0, var, 0.95)
    assert lo == pytest.approx(160 + f0 / c, rel=1e-6)
    assert hi == pytest.approx(160 + f0 * c, rel=1e-6)


def test_more_lists_use_a_against_the_rest():
    table = CaptureTable(
        ("A", "B", "C"),
        {(1, 1, 0): 10, (1, 0, 1): 10, (1, 0, 0): 80, (0, 1, 0): 30, (0, 0, 1): 30},
    )
    fit = Chapman(table, list_a="A").fit()
    assert (fit.diagnostics["n1"], fit.diagnostics["n2"], fit.diagnostics["m"]) == (
        100,
        80,
        20,
    )
    assert "A vs B + C" in fit.model


def test_no_overlap_is_an_error_naming_the_lists():
    table = CaptureTable(("A", "B"), {(1, 0): 10, (0, 1): 12})
    with pytest.raises(EstimationError, match="no overlap between list 'A' and B"):
        Chapman(table).fit()


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (CaptureTable(("A",), {(1,): 10}), "at least two lists"),
        (CaptureTable(("A", "B"), {}), "empty"),
    ],
)
def test_degenerate_tables(table, match):
    with pytest.raises(EstimationError, match=match):
        Chapman(table).fit()


def test_small_overlap_warns_and_records():
    table = CaptureTable(("A", "B"), {(1, 1): 3, (1, 0): 40, (0, 1): 30})
    with pytest.warns(EstimationWarning, match="only 3 persons"):
        fit = Chapman(table).fit()
    assert any("only 3" in w for w in fit.warnings)
    assert "Warning:" in fit.summary()


def test_to_result_carries_provenance():
    from datetime import date

    result = Chapman(TWO).fit().to_result("kwanliso-15", date(2026, 1, 1))
    assert result.population == "kwanliso-15"
    assert result.method == "chapman"
    assert result.lists == ("A", "B")
    assert result.observed == 160
    assert result.diagnostics["software_version"] == __version__
    assert result.diagnostics["inputs_hash"] == TWO.inputs_hash()
