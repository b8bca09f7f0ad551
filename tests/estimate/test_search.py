"""Exhaustive hierarchical log-linear search against Rcapture 1.4-4 closedpMS.t.

The reference script took the lowest BIC among fits without R warnings and the
closedpCI.t profile interval (reference csv in data/rcapture). Tolerances: half
a unit of the printed digit plus R's convergence slack (glm: relative deviance
1e-8; optimize/uniroot: 1e-4 on N): N and bounds within 0.6, s.e. within 0.5,
BIC within 0.01.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pytest

from rightsledger.errors import EstimationError
from rightsledger.estimate import CaptureTable
from rightsledger.estimate.hierarchy import (
    count_models,
    describe,
    hierarchical_models,
    rcapture_name,
    terms,
)
from rightsledger.estimate.search import LogLinearSearch

DATA = Path(__file__).parent / "data" / "rcapture"


def load(name: str) -> CaptureTable:
    return CaptureTable.from_csv_text((DATA / f"{name}.csv").read_text(), source=name)


def rows() -> list[dict[str, str]]:
    with (DATA / "rcapture_reference.csv").open() as handle:
        return [
            r for r in csv.DictReader(handle) if r["method"].startswith("closedpMS")
        ]


def settings(row: dict[str, str]) -> tuple[str, int, int]:
    name = row["method"].split("BIC-best ")[1]
    found = re.match(r"(\d+) .*maxorder (\d)", row["note"])
    assert found is not None
    n_models, order = found.groups()
    return name, int(n_models), int(order)


SIX_LISTS = {"uk_modern_slavery_2013", "netherlands_trafficking"}
FAST = [r for r in rows() if r["dataset"] not in SIX_LISTS]


def check_row(fit, row):
    name, n_models, _ = settings(row)
    best = fit.diagnostics["best"]
    assert best["rcapture"] == name
    assert fit.diagnostics["n_models"] == n_models
    assert fit.estimate == pytest.approx(float(row["estimate"]), abs=0.6)
    assert best["stderr"] == pytest.approx(float(row["stderr"]), abs=0.5)
    assert best["bic"] == pytest.approx(float(row["BIC"]), abs=0.01)
    assert fit.lower == pytest.approx(float(row["lo95"]), abs=0.6)
    assert fit.upper == pytest.approx(float(row["hi95"]), abs=0.6)


@pytest.mark.parametrize("row", FAST, ids=[r["dataset"] for r in FAST])
def test_search_matches_rcapture(row):
    _, _, order = settings(row)
    check_row(LogLinearSearch(load(row["dataset"]), max_order=order).fit(), row)


@pytest.mark.slow
def test_uk_six_lists_matches_rcapture():
    (row,) = [r for r in rows() if r["dataset"] == "uk_modern_slavery_2013"]
    check_row(LogLinearSearch(load(row["dataset"]), max_order=2).fit(), row)


@pytest.mark.slow
def test_netherlands_six_lists_documented_difference():
    """R's pick is its second-best model: R's glm warned on the best one.

    [12,16,25,34,36,45,46] has two pairs of lists with no one in common, so two
    interactions go to minus infinity; R's glm left fitted cells below 2.2e-15
    ("fitted rates numerically 0"), and the reference script drops warned fits.
    Our best is that model, N = 116,667, which is also MultipleSystemsEstimation
    1.2.0's BIC choice (anchors-mse.md, 3.2). R's reported model comes second
    with R's numbers.
    """
    (row,) = [r for r in rows() if r["dataset"] == "netherlands_trafficking"]
    fit = LogLinearSearch(load(row["dataset"]), max_order=2).fit()
    assert fit.diagnostics["best"]["rcapture"] == "[12,16,25,34,36,45,46]"
    assert fit.estimate == pytest.approx(116667, abs=0.6)
    second = fit.diagnostics["top_models"][1]
    assert second["rcapture"] == settings(row)[0]
    assert second["boundary"]
    assert second["estimate"] == pytest.approx(float(row["estimate"]), abs=0.6)
    assert second["stderr"] == pytest.approx(float(row["stderr"]), abs=0.5)
    assert second["bic"] == pytest.approx(float(row["BIC"]), abs=0.01)


def test_model_counts_match_rcapture_getallmodels():
    assert count_models(3, 2) == 8
    assert count_models(4, 3) == 113
    assert count_models(5, 4) == 6893
    assert count_models(6, 2) == 32768
    assert count_models(6, 3) == 3702013
    assert count_models(2, 1) == 1


def test_every_enumerated_model_is_hierarchical_and_distinct():
    all_terms = terms(5, 3)
    masks = hierarchical_models(5, 3)
    assert len(set(masks.tolist())) == masks.size
    for mask in masks[:: max(1, masks.size // 300)]:
        chosen = {t for i, t in enumerate(all_terms) if (int(mask) >> i) & 1}
        for t in chosen:
            if len(t) > 2:
                faces = {tuple(x for x in t if x != drop) for drop in t}
                assert faces <= chosen


def test_names_follow_rcapture_syntax():
    all_terms = terms(5, 3)
    mask = sum(1 << all_terms.index(t) for t in [(0, 1), (0, 2), (1, 2), (0, 1, 2)])
    mask |= 1 << all_terms.index((1, 4))
    assert rcapture_name(mask, all_terms, 5) == "[123,25,4]"
    assert describe(mask, all_terms, "ABCDE") == "[A*B*C, B*E, D]"
    with pytest.raises(EstimationError, match="max_order"):
        terms(4, 4)


def test_models_without_finite_estimate_are_named_not_ranked():
    fit = LogLinearSearch(load("artificial_3_nonoverlap")).fit()
    failed = fit.diagnostics["failed_models"]
    # Chan et al. (2021): AB alone has no MLE; all three pairs are not identifiable.
    assert "[12,3] (N diverges)" in failed
    assert "[12,13,23] (N diverges)" in failed
    ranked = {m["rcapture"] for m in fit.diagnostics["top_models"]}
    assert not ranked & {"[12,3]", "[12,13,23]", "[12,13]", "[12,23]"}
    assert fit.diagnostics["n_failed"] == 4
    assert all(math.isfinite(m["estimate"]) for m in fit.diagnostics["top_models"])
    # AC + BC has an extended MLE (296, as LogLinear); it is flagged, or skipped.
    boundary = {m["rcapture"]: m for m in fit.diagnostics["top_models"]}["[13,23]"]
    assert boundary["boundary"]
    assert boundary["estimate"] == pytest.approx(296.0, abs=0.5)
    strict = LogLinearSearch(load("artificial_3_nonoverlap"), include_boundary=False)
    assert strict.fit().diagnostics["n_ranked"] == 1


def test_criteria_rank_by_their_own_value():
    table = load("allegheny_lesbian")
    for criterion in ("aic", "aicc", "bic"):
        top = LogLinearSearch(table, criterion=criterion, max_order=3).fit()
        values = [m[criterion] for m in top.diagnostics["top_models"]]
        assert values == sorted(values)
        assert top.diagnostics["top_models"][0]["delta"] == 0.0


def test_model_average():
    table = load("scotland_pwid_2006")
    best = LogLinearSearch(table, max_order=3).fit()
    avg = LogLinearSearch(table, max_order=3, average=True).fit()
    again = LogLinearSearch(table, max_order=3, average=True).fit()
    assert avg.estimate == again.estimate and avg.lower == again.lower
    estimates = [m["estimate"] for m in best.diagnostics["top_models"]]
    assert min(estimates) <= avg.estimate <= max(estimates)
    assert avg.lower < avg.estimate < avg.upper
    assert 0 < avg.diagnostics["weight_best"] <= 1
    assert avg.settings["average"] is True


def test_timer_is_a_parameter_and_guard_on_size():
    table = load("ny_spina_bifida_madigan_york")
    ticks = iter([10.0, 12.5])
    fit = LogLinearSearch(table).fit(timer=lambda: next(ticks))
    assert fit.diagnostics["seconds"] == 2.5
    assert "seconds" not in LogLinearSearch(table).fit().diagnostics
    with pytest.raises(EstimationError, match="max_models"):
        LogLinearSearch(table, max_models=5).fit()
    with pytest.raises(EstimationError, match="criterion"):
        LogLinearSearch(table, criterion="dic").fit()  # type: ignore[arg-type]


def test_result_records_search():
    table = load("rome_hiv")
    fit = LogLinearSearch(table, max_order=3).fit()
    d = fit.diagnostics
    assert fit.method == "loglinear-search"
    assert fit.model == "[c1, c2, c3, c4]"
    assert d["n_models"] == d["n_ranked"] + d["n_failed"]
    assert len(d["top_models"]) == 10
    assert fit.inputs_hash == table.inputs_hash()
    assert np.isfinite(d["profile_n_max"])
