"""SparseMSE 2.0.1's stepwise method, fixed models and BCa bootstrap, number for number.

References: ``data/sparsemse/sparsemse_reference.csv`` (copied from
``shared/datasets/mse/reference/sparsemse.csv``: SparseMSE run on this machine kind).

- ``estimatepopulation.0`` rows (main effects and stepwise, p = 0.02): estimate and
  Wald interval to the printed digits (|ours - R| <= 0.6), and the selected terms.
  R's ``pair_terms`` column lists the terms of the glm formula, which leaves out
  selected pairs with an empty overlap (fitted as extended-MLE terms by dropping
  cells); we report those separately as ``empty_overlaps``.
- ``estimatepopulation`` rows (1,000 BCa replicates): R's random numbers cannot be
  reproduced, so the limits are compared within Monte Carlo error. We measured that
  error by pooling 4,000 of our replicates per table and recomputing the BCa
  limits on 300 subsets of 1,000 (scaled up by 1/0.87 for drawing from a finite
  pool): the standard deviation of a limit is 0.1-0.3% for the Madigan-York
  tables, 1-2% for Rome and Allegheny, 3% for the upper limits of Western and
  New Orleans (5 lists), and 7-8% for their lower limits, where the BCa level
  falls in the extreme tail (below 0.1% of the replicates). The tolerance of each
  limit is 3 such standard deviations, and never below 5%. One bootstrap of 1,000
  takes 1-7 s per table here, so these tests are marked slow.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate.bootstrap import (
    acceleration,
    bca_interval,
    bias_z0,
    quantile_type8,
)
from rightsledger.estimate.histories import CaptureTable
from rightsledger.estimate.stepwise import Fixed, MainEffects, Stepwise

DATA = Path(__file__).parent / "data" / "sparsemse"


def load(name: str) -> CaptureTable:
    return CaptureTable.from_csv_text((DATA / f"{name}.csv").read_text(), source=name)


def reference_rows(kind: str) -> list[dict[str, str]]:
    with (DATA / "sparsemse_reference.csv").open() as f:
        return [r for r in csv.DictReader(f) if r["method"].startswith(kind)]


POINT_ROWS = reference_rows("estimatepopulation.0")


@pytest.mark.parametrize(
    "row", POINT_ROWS, ids=[f"{r['dataset']}-{r['method'][21:]}" for r in POINT_ROWS]
)
def test_estimatepopulation0_rows(row):
    table = load(row["dataset"])
    if row["method"].endswith("main"):
        fit = MainEffects(table).fit()
    else:
        fit = Stepwise(table, pthresh=0.02).fit()
    assert fit.n_observed == int(row["observed"])
    assert abs(fit.estimate - float(row["estimate"])) <= 0.6
    assert abs(fit.lower - float(row["lo95"])) <= 0.6
    assert abs(fit.upper - float(row["hi95"])) <= 0.6
    assert fit.diagnostics["pair_terms"] == row["pair_terms"]


def test_netherlands_selects_empty_overlaps_as_extended_terms():
    fit = Stepwise(load("netherlands_trafficking")).fit()
    assert fit.diagnostics["selected_pairs"] == [
        "O:Z", "P:Z", "I:Z", "P:R", "O:P", "K:R", "I:K", "K:O",
    ]  # fmt: skip
    assert fit.diagnostics["empty_overlaps"] == ["K:R", "I:K"]
    assert [s["pair"] for s in fit.diagnostics["steps"]] == fit.diagnostics[
        "selected_pairs"
    ]
    assert all(s["p_value"] < 0.02 for s in fit.diagnostics["steps"])


@pytest.mark.parametrize(
    ("name", "published", "terms"),
    [
        ("new_orleans_trafficking", 1184, "D:E"),  # Chan et al. 2021
        ("us_western_site_trafficking", 2483, "A:E"),  # Chan et al. 2021
        ("new_orleans_trafficking_5list", 1034, ""),  # Chan et al. 2021
    ],
)
def test_published_stepwise_estimates(name, published, terms):
    fit = Stepwise(load(name)).fit()
    assert round(fit.estimate) == published
    assert fit.diagnostics["pair_terms"] == terms


def test_pthresh_extremes():
    table = load("ny_spina_bifida_madigan_york")
    assert Stepwise(table, pthresh=0).fit().model == "main effects only"
    full = Stepwise(table, pthresh=1).fit()
    assert full.model == "main effects + S1:S2, S1:S3, S2:S3"
    assert full.diagnostics["df"] == 0


def test_fixed_matches_the_stepwise_choice():
    table = load("us_western_site_trafficking")
    fixed = Fixed(table, [("A", "E")]).fit()
    step = Stepwise(table).fit()
    assert fixed.estimate == pytest.approx(step.estimate, rel=1e-12)
    assert fixed.lower == pytest.approx(step.lower, rel=1e-12)
    assert fixed.method == "loglinear-fixed"


def test_fit_records_inputs_settings_and_interval_kind():
    table = load("us_western_site_trafficking")
    fit = Stepwise(table).fit(alpha=0.2)
    assert fit.confidence == pytest.approx(0.8)
    assert fit.inputs_hash == table.inputs_hash()
    assert fit.settings["pthresh"] == 0.02
    assert "Wald" in fit.settings["interval"]
    assert fit.lower < fit.estimate < fit.upper
    assert "Assumes:" in fit.summary()


def test_empty_and_one_list_tables_are_refused():
    with pytest.raises(EstimationError, match="at least two lists"):
        Stepwise(CaptureTable(("A",), {(1,): 4})).fit()
    with pytest.raises(EstimationError, match="empty"):
        Stepwise(CaptureTable(("A", "B"), {})).fit()
    with pytest.raises(EstimationError, match="alpha"):
        Stepwise(load("ny_spina_bifida_madigan_york")).fit(alpha=1.5)


def test_boundary_fit_warns_and_records():
    table = CaptureTable(("A", "B", "C"), {(1, 1, 0): 5, (1, 0, 0): 9, (0, 1, 0): 7})
    with pytest.warns(EstimationWarning, match="boundary"):
        fit = Stepwise(table).fit()
    assert fit.warnings


def test_bootstrap_is_reproducible_with_a_seed():
    table = load("ny_spina_bifida_madigan_york")
    a = Stepwise(table).fit(seed=11, nboot=60)
    b = Stepwise(table).fit(seed=11, nboot=60)
    c = Stepwise(table).fit(seed=12, nboot=60)
    assert (a.lower, a.upper) == (b.lower, b.upper)
    assert (a.lower, a.upper) != (c.lower, c.upper)
    assert a.method == "stepwise+bca"
    assert a.settings["seed"] == 11
    assert a.diagnostics["wald_interval"] == pytest.approx((707.5, 761.1), abs=0.1)


# dataset, R lower, R upper, tolerance lower, tolerance upper (3 MC s.d., >= 5%)
BCA_ROWS = [
    ("ny_spina_bifida_madigan_york", 708, 759, 0.05, 0.05),
    ("rome_hiv", 8550, 13499, 0.06, 0.05),
    ("us_western_site_trafficking", 1245, 3713, 0.22, 0.09),
    ("new_orleans_trafficking_5list", 556, 1615, 0.26, 0.10),
    ("allegheny_lesbian", 4357, 7300, 0.07, 0.06),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lo", "hi", "tol_lo", "tol_hi"), BCA_ROWS)
def test_bca_bootstrap_rows_within_monte_carlo_error(name, lo, hi, tol_lo, tol_hi):
    fit = Stepwise(load(name)).fit(seed=2024, nboot=1000)
    assert fit.lower == pytest.approx(lo, rel=tol_lo)
    assert fit.upper == pytest.approx(hi, rel=tol_hi)
    assert fit.lower < fit.estimate < fit.upper


def test_quantile_type8_matches_numpy_median_unbiased():
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, size=37)
    probs = [0.0, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999, 1.0]
    expected = np.quantile(x, probs, method="median_unbiased")
    assert quantile_type8(x, probs) == pytest.approx(list(expected))
    assert quantile_type8([1.0, 2.0, np.inf, np.inf], [0.99]) == [np.inf]


def test_bca_reduces_to_percentiles_without_bias_or_acceleration():
    reps = np.arange(1.0, 1002.0)  # 1..1001, centre 501
    lo, hi = bca_interval(501.0 + 1e-9, reps, [1.0, 2.0, 3.0], alpha=0.1)
    expected = np.quantile(reps, [0.05, 0.95], method="median_unbiased")
    assert (lo, hi) == pytest.approx(tuple(expected), abs=1.0)


def test_acceleration_and_bias_by_hand():
    # d = mean - theta = (1, 0, -1) with weights (1, 1, 2) -> mean 1.75...
    theta = np.array([1.0, 2.0, 4.0])
    w = np.array([1.0, 1.0, 2.0])
    d = (theta * w).sum() / w.sum() - theta
    expected = (w * d**3).sum() / (6 * (w * d**2).sum() ** 1.5)
    assert acceleration(theta, w) == pytest.approx(expected)
    assert acceleration([5.0, 5.0]) == 0.0
    assert bias_z0(2.0, [1.0, 3.0]) == pytest.approx(0.0)
    assert bias_z0(0.0, [1.0, 3.0]) == -np.inf
