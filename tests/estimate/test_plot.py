"""Figures: posterior with its interval, and the forest plot of several methods."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rightsledger.errors import EstimationError
from rightsledger.estimate import CaptureTable, fit_method
from rightsledger.estimate.plot import plot_comparison, plot_estimate, posterior_of

TABLE = CaptureTable(
    ("A", "B", "C"),
    {
        (1, 1, 0): 40,
        (1, 0, 0): 60,
        (0, 1, 0): 55,
        (0, 0, 1): 30,
        (1, 0, 1): 20,
        (0, 1, 1): 15,
        (1, 1, 1): 8,
    },
)
PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def fit():
    return fit_method("chapman", TABLE)


def test_posterior_sample_is_drawn_as_histogram(fit, tmp_path):
    draws = np.random.default_rng(0).normal(400, 30, 2000)
    bayes = replace(fit, method="lcmcr", diagnostics={"posterior_sample": draws})
    post = posterior_of(bayes)
    assert post is not None
    values, weights = post
    assert values.size == 2000 and weights.sum() == pytest.approx(1)
    out = plot_estimate(bayes, tmp_path / "sub" / "post.png")
    assert out.read_bytes()[:4] == PNG


@pytest.mark.parametrize(
    "grid",
    [
        {"N": [300, 350, 400], "prob": [1, 2, 1]},
        [[300, 1], [350, 2], [400, 1]],
        np.array([[300, 350, 400], [1, 2, 1]]),
    ],
)
def test_posterior_grids_are_read(fit, grid):
    bayes = replace(fit, method="dga", diagnostics={"posterior": grid})
    post = posterior_of(bayes)
    assert post is not None
    values, weights = post
    assert list(values) == [300, 350, 400]
    assert weights.tolist() == pytest.approx([0.25, 0.5, 0.25])


def test_grid_posterior_and_plain_fit_are_plotted(fit, tmp_path):
    bayes = replace(
        fit,
        method="dga",
        diagnostics={"posterior": {"N": [300, 350, 400], "p": [1, 2, 1]}},
    )
    assert plot_estimate(bayes, tmp_path / "g.png").read_bytes()[:4] == PNG
    assert posterior_of(fit) is None
    assert plot_estimate(fit, tmp_path / "f.png").read_bytes()[:4] == PNG
    unbounded = replace(fit, upper=float("inf"))
    assert plot_estimate(unbounded, tmp_path / "u.png").exists()


def test_forest_plot_shows_fits_and_failures(fit, tmp_path):
    other = fit_method("loglinear", TABLE)
    results = [fit, EstimationError("no"), other]
    out = plot_comparison(results, tmp_path / "forest.png")
    assert out.read_bytes()[:4] == PNG
    with pytest.raises(EstimationError, match="nothing to plot"):
        plot_comparison([EstimationError("no")], tmp_path / "none.png")
