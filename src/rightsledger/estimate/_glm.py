"""A small Poisson GLM (log link) fitted by iteratively reweighted least squares.

Private to :mod:`rightsledger.estimate`; numpy only, no global state.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

Array = NDArray[np.float64]

_ETA_MAX = 700.0  # exp(700) is still finite in float64
_MU_MIN = 1e-10  # floor on working weights of cells fitted at (almost) zero


@dataclass(frozen=True, slots=True)
class GlmFit:
    beta: Array
    mu: Array
    loglik: float
    converged: bool
    iterations: int
    last_step: Array


def observable_patterns(k: int) -> Array:
    """All 2^k - 1 non-zero 0/1 patterns, first list most significant."""
    rows = [p for p in product((1, 0), repeat=k) if any(p)]
    return np.array(rows, dtype=np.float64)


def design(patterns: Array, pairs: list[tuple[int, int]]) -> Array:
    """Intercept, one main effect per list, one product column per pair."""
    cols = [np.ones(len(patterns)), *patterns.T]
    cols += [patterns[:, i] * patterns[:, j] for i, j in pairs]
    return np.column_stack(cols)


def poisson_loglik(y: Array, mu: Array) -> float:
    """Full Poisson log-likelihood, zero cells included."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(mu), 0.0) - mu - gammaln(y + 1)
    return float(terms.sum())


def _mean(x: Array, beta: Array, offset: float) -> tuple[Array, Array]:
    eta = np.clip(offset + x @ beta, -_ETA_MAX, _ETA_MAX)
    return eta, np.exp(eta)


def _least_squares(a: Array, b: Array) -> Array:
    return np.asarray(np.linalg.lstsq(a, b, rcond=None)[0], dtype=np.float64)


def irls(
    x: Array,
    y: Array,
    *,
    offset: float = 0.0,
    start: Array | None = None,
    max_iter: int = 100,
    tol: float = 1e-9,
) -> GlmFit:
    """Fit log E[y] = offset + x @ beta by IRLS; never raises on divergence.

    Divergence (a coefficient running off to infinity because the maximum
    likelihood estimate does not exist) shows as ``converged=False`` with a large
    ``last_step`` for the diverging coefficients.
    """
    if start is None:
        start = _least_squares(x, np.log(y + 0.5) - offset)
    beta: Array = np.asarray(start, dtype=np.float64)
    step = np.full_like(beta, np.inf)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported below
        eta, mu = _mean(x, beta, offset)
        w = np.maximum(mu, _MU_MIN)
        z = eta - offset + (y - mu) / w
        sw = np.sqrt(w)
        new = _least_squares(x * sw[:, None], z * sw)
        step = new - beta
        beta = new
        if np.max(np.abs(step)) < tol:
            break
    _, mu = _mean(x, beta, offset)
    converged = bool(np.max(np.abs(step)) < tol * 10)
    return GlmFit(beta, mu, poisson_loglik(y, mu), converged, iterations, step)


def covariance(x: Array, mu: Array) -> Array:
    """Inverse Fisher information (X' W X)^-1 at fitted means ``mu``."""
    info = x.T @ (x * mu[:, None])
    return np.asarray(np.linalg.pinv(info), dtype=np.float64)
