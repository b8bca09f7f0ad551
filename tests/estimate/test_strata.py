"""Stratified estimation: splitting the shared format, and adding strata up.

The stratified DGA totals are compared with conting's runs
(``shared/datasets/mse/reference/conting.csv``) only as a loose plausibility
check: conting fits one log-linear model to all strata jointly (strata as factors
with two-way interactions, so strata share information) and, on Scotland,
censors the HCV-only cells, whereas here every stratum is fitted on its own by
model averaging over decomposable graphs. The numbers need not agree closely.
"""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from rightsledger.errors import EstimationError, InputErrors
from rightsledger.estimate.dga import DGA
from rightsledger.estimate.histories import CaptureTable
from rightsledger.estimate.loglinear import LogLinear
from rightsledger.estimate.results import EstimateFit
from rightsledger.estimate.strata import (
    CONVOLUTION,
    LOGNORMAL,
    Stratified,
    split_strata,
)

DATA = Path(__file__).parent / "data" / "strata"
SPINA = ["S1", "S2", "S3"]

# conting 1.7 bict, 20,000 iterations, UIP prior (reference/conting.csv)
CONTING_SPINA = (726, 675, 778)
CONTING_SCOTLAND = (22846, 20087, 25902)


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA / f"{name}.csv").read_text().splitlines()))


def dga(table: CaptureTable) -> EstimateFit:
    return DGA(table).fit()


def loglinear(table: CaptureTable) -> EstimateFit:
    return LogLinear(table).fit()


def test_split_spina_by_ethnicity():
    tables = split_strata(rows("ny_spina_bifida_by_ethnicity"), SPINA, ["eth"])
    assert list(tables) == ["eth=caucasian", "eth=afro-american", "eth=other"]
    assert [t.n_observed for t in tables.values()] == [583, 36, 2]
    pooled = CaptureTable.from_csv_text((DATA / "ny_spina_bifida.csv").read_text())
    for pattern, count in pooled.counts.items():
        assert sum(t.counts.get(pattern, 0) for t in tables.values()) == count


def test_split_without_strata_and_errors():
    one = split_strata([{"A": "1", "B": "1", "count": 4}], ["A", "B"], [])
    assert one["all"].counts == {(1, 1): 4}
    bad = [
        {"A": "1", "B": "2", "g": "x", "count": "1"},
        {"A": "1", "B": "0", "count": "1"},
        {"A": "0", "B": "0", "g": "x", "count": "5"},
        {"A": "0", "B": "1", "g": "x", "count": "-1"},
    ]
    with pytest.raises(InputErrors) as info:
        split_strata(bad, ["A", "B"], ["g"])
    found = {(e.location[1], e.location[2]) for e in info.value.errors}
    assert found == {(2, "B"), (3, "g"), (4, "count"), (5, "count")}


def test_a_stratum_column_taken_for_a_list_is_one_error_naming_the_file():
    rows = [
        {"A": "1", "B": "0", "sex": "f", "region": "n", "count": "3"},
        {"A": "0", "B": "1", "sex": "m", "region": "s", "count": "2"},
    ]
    with pytest.raises(InputErrors) as info:
        split_strata(rows, ["A", "B", "sex"], ["region"], source="t.csv")
    (only,) = info.value.errors
    assert only.location == ("t.csv", None, "sex")
    assert "'f' in the first row" in only.message
    assert "--strata sex" in only.message


def test_spina_stratified_dga_plausible_against_conting():
    tables = split_strata(rows("ny_spina_bifida_by_ethnicity"), SPINA, ["eth"])
    fit = Stratified(tables, dga).fit(seed=7)
    assert fit.diagnostics["combination"] == CONVOLUTION
    assert fit.n_observed == 621
    assert set(fit.diagnostics["strata"]) == set(tables)
    mean, lo, hi = CONTING_SPINA
    assert fit.estimate == pytest.approx(mean, rel=0.05)
    assert fit.lower < hi and fit.upper > lo  # the intervals overlap
    again = Stratified(tables, dga).fit(seed=7)
    assert (again.estimate, again.lower, again.upper) == (
        fit.estimate,
        fit.lower,
        fit.upper,
    )


def test_scotland_stratified_dga_plausible_against_conting():
    tables = split_strata(
        rows("scotland_pwid_2006_by_stratum"),
        ["S1", "S2", "S3", "S4"],
        ["Region", "Gender", "Age"],
    )
    assert len(tables) == 8
    fit = Stratified(tables, dga).fit(seed=1)
    assert fit.n_observed == 5670
    mean, lo, hi = CONTING_SCOTLAND
    assert fit.estimate == pytest.approx(mean, rel=0.15)
    assert fit.lower < hi and fit.upper > lo
    strata = fit.diagnostics["strata"].values()
    assert sum(s["estimate"] for s in strata) == pytest.approx(fit.estimate, rel=0.05)


def expected_table(size: int, probs: tuple[float, ...]) -> CaptureTable:
    """Expected counts (rounded) for independent lists with these probabilities."""
    counts = {}
    for pattern in itertools.product((0, 1), repeat=len(probs)):
        if any(pattern):
            p = math.prod(
                q if x else 1 - q for x, q in zip(pattern, probs, strict=True)
            )
            counts[pattern] = round(size * p)
    return CaptureTable(tuple("ABC"), counts)


@pytest.mark.parametrize("estimator", [loglinear, dga], ids=["loglinear", "dga"])
def test_stratifying_removes_heterogeneity_bias(estimator):
    # 1,000 people listed often and 2,000 rarely: pooled, the lists look
    # positively dependent and the unseen are badly underestimated.
    easy = expected_table(1000, (0.6, 0.5, 0.4))
    hard = expected_table(2000, (0.08, 0.1, 0.06))
    pooled = CaptureTable(
        tuple("ABC"),
        {p: easy.counts.get(p, 0) + hard.counts.get(p, 0) for p in easy.counts},
    )
    stratified = Stratified({"easy": easy, "hard": hard}, estimator).fit(seed=3)
    whole = estimator(pooled)
    assert abs(stratified.estimate - 3000) < abs(whole.estimate - 3000) / 5
    assert stratified.lower < 3000 < stratified.upper
    assert not whole.lower < 3000 < whole.upper


def test_lognormal_sum_of_frequentist_fits():
    table = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
    one = LogLinear(table).fit()
    fit = Stratified({"x": table, "y": table}, loglinear).fit()
    assert fit.diagnostics["combination"] == LOGNORMAL
    assert fit.estimate == pytest.approx(2 * one.estimate)
    # relative width shrinks when independent strata are added
    assert (fit.upper - fit.lower) / fit.estimate < (one.upper - one.lower) / (
        one.estimate
    )
    assert fit.lower > 2 * one.lower and fit.upper < 2 * one.upper


def fake_fit(draws: np.ndarray | None, estimate: float = 100.0) -> EstimateFit:
    diagnostics = {} if draws is None else {"posterior_sample": draws.tolist()}
    return EstimateFit(
        estimate=estimate,
        lower=80.0,
        upper=130.0,
        confidence=0.95,
        method="fake",
        model="fake",
        n_observed=50,
        lists=("A", "B"),
        diagnostics=diagnostics,
        inputs_hash="",
        settings={},
    )


def test_convolution_of_posterior_samples():
    rng = np.random.default_rng(0)
    samples = {"a": rng.normal(100, 10, 4000), "b": rng.normal(200, 10, 4000)}
    table = CaptureTable(("A", "B"), {(1, 1): 1})
    tables = {"a": table, "b": CaptureTable(("A", "B"), {(1, 0): 1})}

    def estimator(t):
        return fake_fit(samples["a" if t is table else "b"])

    fit = Stratified(tables, estimator).fit(seed=5)
    assert fit.diagnostics["combination"] == CONVOLUTION
    assert fit.estimate == pytest.approx(300, abs=1.5)
    spread = 1.96 * 10 * math.sqrt(2)
    assert fit.upper - fit.lower == pytest.approx(2 * spread, rel=0.05)
    mixed = Stratified(tables, lambda t: fake_fit(None if t is table else samples["b"]))
    assert mixed.fit().diagnostics["combination"] == LOGNORMAL


def test_failing_stratum_is_named():
    tables = split_strata(rows("ny_spina_bifida_by_ethnicity"), SPINA, ["eth"])
    with pytest.raises(EstimationError, match="stratum 'eth=other'"):
        Stratified(tables, loglinear).fit()
    with pytest.raises(EstimationError, match="no strata"):
        Stratified({}, loglinear).fit()


def test_mixed_confidence_refused():
    table = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
    levels = iter([0.95, 0.9])
    with pytest.raises(EstimationError, match="confidence"):
        Stratified(
            {"x": table, "y": table},
            lambda t: LogLinear(t, confidence=next(levels)).fit(),
        ).fit()
