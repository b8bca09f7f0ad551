"""Rcapture closedp.t models against Rcapture 1.4-4's own output on the same tables.

Tolerances: R prints N rounded to units, the standard error to 0.1 and BIC to
0.01. We allow half a unit of the printed digit plus R's own convergence slack
(glm stops at a relative deviance change of 1e-8): N and s.e. within 0.51 and
0.5, BIC within 0.01.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

import pytest

from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate import CaptureTable
from rightsledger.estimate.heterogeneity import MODELS, Heterogeneity, closedp

DATA = Path(__file__).parent / "data" / "rcapture"
OURS = {
    "closedp.t M0": "M0",
    "closedp.t Mt": "Mt",
    "closedp.t Mth Chao (LB)": "Mth-Chao",
    "closedp.t Mth Darroch": "Mth-Darroch",
    "closedp.t Mth Poisson2": "Mth-Poisson2",
}


def load(name: str) -> CaptureTable:
    return CaptureTable.from_csv_text((DATA / f"{name}.csv").read_text(), source=name)


def reference_rows(prefix: str) -> list[dict[str, str]]:
    with (DATA / "rcapture_reference.csv").open() as handle:
        return [r for r in csv.DictReader(handle) if r["method"].startswith(prefix)]


@cache
def fitted(name: str, model: str):
    return Heterogeneity(load(name), model).fit()


ROWS = [r for r in reference_rows("closedp.t ") if r["method"] in OURS]


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['dataset']}-{OURS[r['method']]}" for r in ROWS]
)
def test_closedp_matches_rcapture(row):
    fit = fitted(row["dataset"], OURS[row["method"]])
    assert fit.estimate == pytest.approx(float(row["estimate"]), abs=0.51)
    assert fit.diagnostics["stderr"] == pytest.approx(float(row["stderr"]), abs=0.5)
    bic = fit.diagnostics["bic"]
    if row["dataset"] == "new_orleans_trafficking" and "Chao" in row["method"]:
        # Same N and s.e. as R, but R counts one parameter more (an eta kept with
        # a positive value on cells that are all empty, where R's glm stops
        # before the direction is resolved); BIC differs by exactly log(n).
        assert bic + math.log(185) == pytest.approx(float(row["BIC"]), abs=0.01)
    else:
        assert bic == pytest.approx(float(row["BIC"]), abs=0.01)
    assert fit.lower < fit.estimate < fit.upper


def test_chao_drops_negative_eta_like_rcapture():
    # spina bifida: the one eta is negative, so Mth-Chao is Mt (R: 764, 20.6).
    chao, mt = (
        fitted("ny_spina_bifida_madigan_york", "Mth-Chao"),
        fitted("ny_spina_bifida_madigan_york", "Mt"),
    )
    assert chao.diagnostics["eta_removed"] == [1]
    assert chao.estimate == pytest.approx(mt.estimate, rel=1e-9)
    assert chao.diagnostics["df"] == mt.diagnostics["df"]


def test_mt_interval_is_rcapture_profile():
    # closedpCI.t for Mt on Rome HIV is the closedpMS.t best model [1,2,3,4].
    fit = fitted("rome_hiv", "Mt")
    assert fit.lower == pytest.approx(9532, abs=0.6)
    assert fit.upper == pytest.approx(13114, abs=0.6)


def test_closedp_fits_every_model_in_order():
    fits = closedp(load("allegheny_lesbian"))
    assert tuple(f.model for f in fits) == MODELS
    assert all(f.method == "closedp" for f in fits)
    # Rcapture: the heterogeneity models fit the lesbian data much better than Mt.
    bic = {f.model: f.diagnostics["bic"] for f in fits}
    assert bic["Mth-Darroch"] < bic["Mth-Chao"] < bic["Mt"] < bic["M0"]


def test_two_lists_leave_out_heterogeneity_models():
    table = CaptureTable(("A", "B"), {(1, 1): 167, (1, 0): 781, (0, 1): 254})
    with pytest.warns(EstimationWarning, match="at least 3 lists"):
        fits = closedp(table)
    assert [f.model for f in fits] == ["M0", "Mt"]
    with pytest.raises(EstimationError, match="Mh-Chao: heterogeneity models"):
        Heterogeneity(table, "Mh-Chao").fit()


def test_unknown_model_and_empty_table():
    with pytest.raises(EstimationError, match="unknown model"):
        Heterogeneity(load("rome_hiv"), "Mbh").fit()
    with pytest.raises(EstimationError, match="empty"):
        Heterogeneity(CaptureTable(("A", "B", "C"), {}), "Mt").fit()


def test_aliases_name_the_canonical_model():
    fit = Heterogeneity(load("ny_spina_bifida_madigan_york"), "Mth-Poisson").fit()
    assert fit.model == "Mth-Poisson2"
    assert fit.estimate == pytest.approx(675, abs=0.51)  # Rcapture 675


def test_result_records_inputs():
    table = load("rome_hiv")
    fit = Heterogeneity(table, "Mh-Poisson2").fit()
    assert fit.inputs_hash == table.inputs_hash()
    assert fit.settings["model"] == "Mh-Poisson2"
    assert {"stderr", "deviance", "df", "aic", "bic"} <= set(fit.diagnostics)
