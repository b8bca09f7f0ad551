"""DGA (Madigan & York model averaging) against dga 2.0.2 on the same tables.

Reference: ``data/dga/reference_dga.csv``, a copy of
``shared/datasets/mse/reference/dga.csv`` (dga ``bma.cr`` run with R 4.2.2). Each
row is fitted on the grid that run used (``grid`` column; dga's grid starts at
N0 = 1, ours at 0, which moves nothing visible). Tolerances: 2% on mean, median,
interval bounds and mode; 0.02 on the top model's posterior probability.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate.dga import DGA
from rightsledger.estimate.graphs import decomposable_graphs, is_chordal
from rightsledger.estimate.histories import CaptureTable

DATA = Path(__file__).parent / "data" / "dga"
REFERENCE = list(csv.DictReader((DATA / "reference_dga.csv").read_text().splitlines()))


def load(name: str) -> CaptureTable:
    return CaptureTable.from_csv_text((DATA / f"{name}.csv").read_text(), source=name)


def settings(row: dict[str, str]) -> dict[str, Any]:
    """DGA arguments equivalent to a reference row's setting and grid."""
    grid = re.fullmatch(r"1:(\d+) step (\d+)", row["grid"])
    assert grid is not None
    out: dict[str, Any] = {"nmax": int(grid[1]), "step": int(grid[2])}
    found = re.search(r"a=([\d.]+) b=([\d.]+)", row["setting"])
    if found:
        out["prior"] = ("negbin", float(found[1]), float(found[2]))
    if row["setting"].startswith("delta 1,"):
        out["delta"] = 1.0
    return out


@pytest.mark.parametrize(
    "row", REFERENCE, ids=[f"{r['dataset']}-{r['setting'][:12]}" for r in REFERENCE]
)
def test_reproduces_dga(row):
    fit = DGA(load(row["dataset"]), **settings(row)).fit()
    d = fit.diagnostics
    assert fit.n_observed == int(row["observed"])
    assert d["n_models"] == int(row["graphs"])
    for ours, ref in [
        (d["mean"], row["mean"]),
        (fit.estimate, row["median"]),
        (fit.lower, row["lo95"]),
        (fit.upper, row["hi95"]),
        (d["mode"], row["mode"]),
    ]:
        assert ours == pytest.approx(float(ref), rel=0.02)
    assert d["top_model_probability"] == pytest.approx(
        float(row["top_model_prob"]), abs=0.02
    )
    assert fit.warnings == ()


def test_madigan_york_published_figures():
    # Madigan & York (1997), asserted in dga's tests: 731, mode 728, 0.37
    fit = DGA(
        load("ny_spina_bifida_madigan_york"),
        delta=1.0,
        prior=("negbin", 13.14, 55.17),
        nmax=300,
    ).fit()
    assert round(fit.estimate) == 731
    assert round(fit.diagnostics["mode"]) == 728
    assert round(fit.diagnostics["top_model_probability"], 2) == 0.37
    assert fit.diagnostics["top_model"] == "[S1][S2,S3]"


def test_default_grid_matches_reference_grid():
    table = load("dga_madigan_york_5list")
    auto = DGA(table).fit()
    assert auto.diagnostics["grid"]["stop"] == 3 * 537
    assert auto.diagnostics["tail_mass_upper_half"] < 1e-4
    assert auto.estimate == DGA(table, nmax=1611).fit().estimate


def test_posterior_and_weights_are_distributions():
    fit = DGA(load("rome_hiv"), nmax=91008, step=4).fit()
    post = fit.diagnostics["posterior"]
    assert len(post["N"]) <= 2000
    assert sum(post["probability"]) == pytest.approx(1.0)
    assert np.all(np.diff(post["N"]) > 0)
    assert post["N"][0] == fit.n_observed
    weights = fit.diagnostics["model_weights"]
    assert len(weights) == 61
    assert sum(weights.values()) == pytest.approx(1.0)
    top = fit.diagnostics["top_models"]
    assert [m["weight"] for m in top] == sorted(
        (m["weight"] for m in top), reverse=True
    )
    assert fit.settings["delta"] == 2**-4


def test_refuses_six_lists():
    table = CaptureTable(tuple("ABCDEF"), {(1, 0, 0, 0, 0, 0): 3})
    with pytest.raises(EstimationError, match="limited to 5 lists"):
        DGA(table).fit()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prior": "flat"}, "prior must be"),
        ({"prior": ("negbin", -1.0, 2.0)}, "prior must be"),
        ({"delta": 0.0}, "delta must be positive"),
        ({"nmax": 0}, "nmax >= 1"),
        ({"confidence": 1.5}, "confidence"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(EstimationError, match=message):
        DGA(load("ny_spina_bifida_madigan_york"), **kwargs).fit()


def test_empty_and_one_list_tables():
    with pytest.raises(EstimationError, match="empty"):
        DGA(CaptureTable(("A", "B"), {})).fit()
    with pytest.raises(EstimationError, match="at least 2 lists"):
        DGA(CaptureTable(("A",), {(1,): 4})).fit()


def test_short_grid_warns():
    with pytest.warns(EstimationWarning, match="raise nmax"):
        fit = DGA(load("ny_spina_bifida_madigan_york"), nmax=50).fit()
    assert "raise nmax" in fit.warnings[0]


def test_two_lists_independent():
    # 2 graphs: independence (near Lincoln-Petersen's 200) and the saturated
    # model, whose unseen cell is pulled to 0 by the small Dirichlet weight.
    table = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
    fit = DGA(table).fit()
    assert fit.diagnostics["n_models"] == 2
    by_model = {m["model"]: m for m in fit.diagnostics["top_models"]}
    assert by_model["[A][B]"]["median"] == pytest.approx(200, abs=5)
    assert by_model["[A,B]"]["median"] == 150


@pytest.mark.parametrize(("k", "count"), [(1, 1), (2, 2), (3, 8), (4, 61), (5, 822)])
def test_graph_counts(k, count):
    graphs = decomposable_graphs(k)
    assert len(graphs) == count
    assert len({g.edges for g in graphs}) == count
    for g in graphs:
        assert is_chordal(k, g.edges)
        # running intersection: clique sizes minus separator sizes count each vertex
        assert sum(map(len, g.cliques)) - sum(map(len, g.separators)) == k
        covered = {v for c in g.cliques for v in c}
        assert covered == set(range(k))


def test_chordality_and_cliques():
    square = ((0, 1), (0, 3), (1, 2), (2, 3))
    assert not is_chordal(4, square)
    assert is_chordal(4, (*square, (0, 2)))
    path = next(g for g in decomposable_graphs(3) if g.edges == ((0, 1), (1, 2)))
    assert path.cliques == ((0, 1), (1, 2))
    assert path.separators == ((1,),)
    assert path.describe(("A", "B", "C")) == "[A,B][B,C]"
    with pytest.raises(EstimationError, match="1 to 5 lists"):
        decomposable_graphs(6)
