"""R-hat and effective sample size on chains whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from rightsledger.estimate.mcmc import (
    effective_sample_size,
    rank_split_rhat,
    split_chains,
    split_rhat,
)


def ar1(rng, phi: float, chains: int, n: int) -> np.ndarray:
    x = np.empty((chains, n))
    x[:, 0] = rng.normal(size=chains) / np.sqrt(1 - phi**2)
    noise = rng.normal(size=(chains, n))
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x


def test_split_chains_halves_and_needs_four_draws():
    x = np.arange(10.0).reshape(2, 5)
    assert split_chains(x).tolist() == [[0, 1], [5, 6], [3, 4], [8, 9]]
    with pytest.raises(ValueError, match="4 draws"):
        split_chains(np.zeros((2, 3)))


def test_split_rhat_matches_the_textbook_formula():
    x = np.array([[1.0, 2, 3, 4], [2, 4, 6, 8]])
    halves = np.array([[1.0, 2], [2, 4], [3, 4], [6, 8]])
    n = 2
    w = halves.var(axis=1, ddof=1).mean()
    b = n * halves.mean(axis=1).var(ddof=1)
    expected = np.sqrt(((n - 1) / n * w + b / n) / w)
    assert split_rhat(x) == pytest.approx(expected)


def test_iid_chains_converged_and_fully_effective():
    x = np.random.default_rng(1).normal(size=(4, 2000))
    assert split_rhat(x) == pytest.approx(1.0, abs=0.01)
    assert rank_split_rhat(x) == pytest.approx(1.0, abs=0.01)
    assert effective_sample_size(x) == pytest.approx(8000, rel=0.1)


def test_ar1_ess_matches_theory():
    phi = 0.9
    x = ar1(np.random.default_rng(2), phi, 4, 20_000)
    expected = x.size * (1 - phi) / (1 + phi)
    assert effective_sample_size(x) == pytest.approx(expected, rel=0.15)


def test_chains_in_different_places_are_flagged():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 1000))
    x[2] += 5
    assert split_rhat(x) > 2
    assert rank_split_rhat(x) > 1.5
    assert effective_sample_size(x) < 100


def test_a_drifting_chain_is_flagged_by_splitting():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 1000)) + np.linspace(0, 4, 1000)
    assert split_rhat(x) > 1.1


def test_heavy_tails_need_the_rank_version():
    x = np.random.default_rng(5).standard_cauchy(size=(4, 2000))
    assert rank_split_rhat(x) == pytest.approx(1.0, abs=0.02)


def test_constant_chains():
    assert split_rhat(np.ones((3, 10))) == 1.0
    assert effective_sample_size(np.ones((3, 10))) == 30.0
    assert split_rhat(np.array([[1.0] * 10, [2.0] * 10])) == float("inf")
