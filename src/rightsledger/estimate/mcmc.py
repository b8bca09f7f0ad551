"""Convergence diagnostics for Markov chains: R-hat and effective sample size.

Any Bayesian estimator with several chains can use these. Draws come as an array
of shape ``(chains, draws)``. Chains are split in half first, so that a drift
within one chain shows up as disagreement between halves (Gelman et al. 2013,
Bayesian Data Analysis, 3rd ed., section 11.4; Vehtari, Gelman, Simpson,
Carpenter and Bürkner 2021, "Rank-normalization, folding, and localization").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri
from scipy.stats import rankdata

__all__ = ["effective_sample_size", "rank_split_rhat", "split_chains", "split_rhat"]


def split_chains(draws: ArrayLike) -> NDArray[np.float64]:
    """Cut each chain in two halves (dropping a middle draw if odd).

    Args:
        draws: array of shape ``(chains, draws)``, or 1-d for one chain.

    Returns:
        Array of shape ``(2 * chains, draws // 2)``.

    Raises:
        ValueError: if there are fewer than 4 draws per chain.
    """
    x = np.atleast_2d(np.asarray(draws, dtype=float))
    half = x.shape[1] // 2
    if half < 2:
        raise ValueError("need at least 4 draws per chain")
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half :]], axis=0)


def _rhat(chains: NDArray[np.float64]) -> float:
    n = chains.shape[1]
    within = float(np.mean(np.var(chains, axis=1, ddof=1)))
    between = n * float(np.var(np.mean(chains, axis=1), ddof=1))
    if within == 0.0:
        return 1.0 if between == 0.0 else float("inf")
    pooled = (n - 1) / n * within + between / n
    return float(np.sqrt(pooled / within))


def split_rhat(draws: ArrayLike) -> float:
    """Split potential scale reduction factor (BDA3, eq. 11.4).

    Values near 1 mean the chains agree; above 1.1 they do not.

    Args:
        draws: array of shape ``(chains, draws)``.

    Returns:
        R-hat; ``inf`` if every chain is constant but the chains differ.

    Examples:
        >>> rng = np.random.default_rng(0)
        >>> round(split_rhat(rng.normal(size=(4, 1000))), 2)
        1.0
    """
    return _rhat(split_chains(draws))


def _normal_scores(x: NDArray[np.float64]) -> NDArray[np.float64]:
    ranks = rankdata(x, axis=None).reshape(x.shape)
    return np.asarray(ndtri((ranks - 0.375) / (x.size + 0.25)), dtype=float)


def rank_split_rhat(draws: ArrayLike) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and tail versions.

    Robust to heavy tails, such as a population size's (Vehtari et al. 2021).

    Args:
        draws: array of shape ``(chains, draws)``.

    Returns:
        R-hat of the normal scores of the draws and of their distances from the
        median, whichever is larger.
    """
    x = split_chains(draws)
    bulk = _rhat(_normal_scores(x))
    tail = _rhat(_normal_scores(np.abs(x - np.median(x))))
    return max(bulk, tail)


def _autocovariance(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Autocovariance of each row at lags 0..n-1 (biased, via FFT)."""
    n = x.shape[1]
    centred = x - x.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=1)[:, :n]
    return np.asarray(acov / n, dtype=float)


def effective_sample_size(draws: ArrayLike) -> float:
    """Effective sample size of all chains together (BDA3, section 11.5).

    Autocorrelations are combined across split chains and summed over Geyer's
    initial positive and monotone sequence of paired lags.

    Args:
        draws: array of shape ``(chains, draws)``.

    Returns:
        The effective number of independent draws (at most about chains x draws
        for anticorrelated chains); the number of draws if all are constant.
    """
    x = split_chains(draws)
    m, n = x.shape
    acov = _autocovariance(x)
    within = float(np.mean(acov[:, 0]) * n / (n - 1))
    pooled = (n - 1) / n * within + float(np.var(x.mean(axis=1), ddof=1))
    if pooled <= 0.0:
        return float(m * n)
    rho = 1.0 - (within - np.mean(acov, axis=0)) / pooled
    rho[0] = 1.0
    pairs = rho[: n - n % 2].reshape(-1, 2).sum(axis=1)
    positive = np.flatnonzero(pairs <= 0.0)
    pairs = pairs[: positive[0]] if positive.size else pairs
    pairs = np.minimum.accumulate(pairs)
    tau = -1.0 + 2.0 * float(pairs.sum())
    return float(m * n / max(tau, 1.0 / np.log10(m * n)))
