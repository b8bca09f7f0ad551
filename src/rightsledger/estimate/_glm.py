"""A small Poisson GLM (log link) fitted by iteratively reweighted least squares.

Private to :mod:`rightsledger.estimate`; numpy only, no global state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

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


def newton(
    x: Array, y: Array, *, start: Array | None = None, max_iter: int = 200
) -> GlmFit:
    """Newton-Raphson with step halving (compiled): robust where :func:`irls` jumps.

    Stops as :func:`fit_many` does; ``converged`` is False when the MLE does not
    exist (the likelihood is maximised only in the limit).
    """
    if start is None:
        start = _least_squares(x, np.log(y + 0.5))
    beta = np.array(start, dtype=np.float64)
    xc = np.ascontiguousarray(x, dtype=np.float64)
    yc = np.ascontiguousarray(y, dtype=np.float64)
    status, iterations, _, _ = _newton(xc, yc, beta, max_iter, 1e-9)
    mu = np.exp(np.minimum(xc @ beta, _ETA_MAX))
    step = np.zeros_like(beta)
    if status != CONVERGED:  # as irls: a large step on the intercept = N runs off
        step[1:] = 1.0
        step[0] = 1.0 if status == DIVERGING else 0.0
    return GlmFit(
        beta, mu, poisson_loglik(y, mu), status == CONVERGED, iterations, step
    )


def covariance(x: Array, mu: Array) -> Array:
    """Inverse Fisher information (X' W X)^-1 at fitted means ``mu``."""
    info = x.T @ (x * mu[:, None])
    return np.asarray(np.linalg.pinv(info), dtype=np.float64)


def deviance(y: Array, mu: Array) -> float:
    """Poisson deviance ``2 * sum(y log(y / mu) - (y - mu))``, zero cells included."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
    return float(2 * terms.sum())


FitFn = Callable[[Array, Array], GlmFit]


@dataclass(frozen=True, slots=True)
class Profile:
    """Multinomial profile likelihood of N (Cormack 1992), as Rcapture computes it.

    Attributes:
        n_max: the N that maximises the profile likelihood (the "multinomial
            estimate"; slightly below the Poisson estimate ``n + exp(u)``).
        lower: lower bound, ``n_observed`` when the likelihood never drops enough.
        upper: upper bound, ``inf`` when not found below ``fmax * estimate``.
    """

    n_max: float
    lower: float
    upper: float


def _stirling_term(big_n: float, n0: float) -> float:
    """``log(N! n0^n0 / (N^N n0!))``, Stirling's form above N = 100 (Cormack 1992)."""
    if big_n > 100:
        if n0 in (0.0, 1.0):
            return -big_n + 0.5 * math.log(2 * math.pi * big_n)
        return n0 - big_n - 0.5 * math.log(n0 / big_n)
    n0_log = n0 * math.log(n0) if n0 > 0 else 0.0
    return float(
        n0_log + gammaln(big_n + 1) - big_n * math.log(big_n) - gammaln(n0 + 1)
    )


def multinomial_profile(
    x: Array,
    y: Array,
    estimate: float,
    confidence: float,
    fit_fn: FitFn | None = None,
    fmax: float = 3.0,
) -> Profile:
    """Profile-likelihood interval for N of Rcapture's ``closedpCI.t``.

    For a trial N the unseen cell gets the count ``N - n`` and the model is
    refitted on the complete 2^k table (the unseen cell has every covariate 0);
    the multinomial log-likelihood is ``-(deviance - 2 c(N)) / 2`` with Cormack's
    correction ``c(N)``. The bounds are where it falls ``chi2_1(confidence) / 2``
    below its maximum, searched in ``[n, N_max]`` and ``[N_max, fmax * N]``.

    Args:
        x: design on the observable cells, intercept first.
        y: observed counts.
        estimate: the Poisson estimate of N (sets the search range).
        confidence: nominal coverage.
        fit_fn: refits a model on ``(x, y)``; default :func:`irls`.
        fmax: the upper search limit as a multiple of ``estimate``.
    """
    n = float(y.sum())
    x_full = np.vstack([x, np.eye(1, x.shape[1])])
    warm = [newton(x, y).beta]

    def default_fit(a: Array, b: Array) -> GlmFit:
        result = newton(a, b, start=warm[0])
        warm[0] = result.beta
        return result

    fit = fit_fn or default_fit

    def loglik(big_n: float) -> float:
        n0 = max(big_n - n, 0.0)
        y_full = np.append(y, n0)
        mu = fit(x_full, y_full).mu
        return -(deviance(y_full, mu) - 2 * _stirling_term(big_n, n0)) / 2

    best = minimize_scalar(
        lambda v: -loglik(v),
        bounds=(n, 3 * estimate),
        method="bounded",
        options={"xatol": 1e-5},
    )
    n_max, l_max = float(best.x), -float(best.fun)
    cut = l_max - float(chi2.ppf(confidence, 1)) / 2

    def excess(v: float) -> float:
        return loglik(v) - cut

    lower = n if excess(n) > 0 else float(brentq(excess, n, n_max, xtol=1e-7))
    top = fmax * estimate
    upper = (
        math.inf if excess(top) > 0 else float(brentq(excess, n_max, top, xtol=1e-7))
    )
    return Profile(n_max, lower, upper)


# --- Many models at once: Newton-Raphson compiled with numba -------------------

#: Status codes of :func:`fit_many`.
CONVERGED, BOUNDARY, DIVERGING = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ManyFits:
    """Per-model results of :func:`fit_many` (arrays aligned with the masks).

    ``status``: 0 converged to an interior maximum; 1 no finite MLE but the
    intercept settles (extended MLE on the boundary: some fitted cells go to 0);
    2 no finite MLE and the intercept (log of the unseen count) runs off.
    """

    intercept: Array
    var_intercept: Array
    loglik: Array
    n_params: NDArray[np.int64]
    status: NDArray[np.int8]
    iterations: NDArray[np.int64]


def fit_many(
    design: Array,
    y: Array,
    masks: NDArray[np.uint64],
    n_base: int,
    start: Array,
    *,
    max_iter: int = 60,
    tol: float = 1e-8,
) -> ManyFits:
    """Fit one Poisson log-linear model per mask over the columns of ``design``.

    Model ``m`` uses the first ``n_base`` columns of ``design`` and column
    ``n_base + i`` for every bit ``i`` set in ``masks[m]``. Models run in
    parallel (numba ``prange``); each starts from ``start`` (the base model's
    coefficients) with zeros for the extra terms, and is fitted by Newton's method
    with step halving. A model is stopped as having no finite MLE when the
    log-likelihood has stopped rising (relative change below 1e-11 on three
    successive steps) while its coefficients still move.
    """
    out = np.empty((masks.size, 3))
    out_int = np.empty((masks.size, 3), dtype=np.int64)
    x, yc = (np.ascontiguousarray(a, dtype=np.float64) for a in (design, y))
    masks = np.ascontiguousarray(masks, dtype=np.uint64)
    beta0 = np.ascontiguousarray(start, dtype=np.float64)
    _run(x, yc, masks, n_base, beta0, max_iter, tol, out, out_int)
    constant = float(gammaln(y + 1).sum())
    return ManyFits(
        intercept=out[:, 0],
        var_intercept=out[:, 1],
        loglik=out[:, 2] - constant,
        n_params=out_int[:, 2],
        status=out_int[:, 0].astype(np.int8),
        iterations=out_int[:, 1],
    )


@njit(cache=True)
def _columns(mask: np.uint64, n_base: int, n_cols: int) -> NDArray[np.int64]:
    cols = np.empty(n_cols, dtype=np.int64)
    p = 0
    for j in range(n_cols):
        if j < n_base or (mask >> np.uint64(j - n_base)) & np.uint64(1):
            cols[p] = j
            p += 1
    return cols[:p]


@njit(cache=True)
def _objective(x: Array, y: Array, beta: Array, mu: Array) -> float:
    eta = x @ beta
    total = 0.0
    for i in range(y.size):
        e = min(eta[i], _ETA_MAX)
        mu[i] = np.exp(e)
        total += y[i] * e - mu[i]
    return total


@njit(cache=True)
def _cholesky_solve(h: Array, g: Array) -> Array:
    """Solve ``h d = g`` for symmetric positive (semi)definite ``h`` in place."""
    p = g.size
    scale = 1e-13 * max(1.0, np.max(np.abs(np.diag(h))))
    for j in range(p):
        for i in range(j, p):
            s = h[i, j]
            for q in range(j):
                s -= h[i, q] * h[j, q]
            h[i, j] = np.sqrt(max(s, scale)) if i == j else s / h[j, j]
    d = g.copy()
    for i in range(p):
        for q in range(i):
            d[i] -= h[i, q] * d[q]
        d[i] /= h[i, i]
    for i in range(p - 1, -1, -1):
        for q in range(i + 1, p):
            d[i] -= h[q, i] * d[q]
        d[i] /= h[i, i]
    return d


@njit(cache=True)
def _information(x: Array, mu: Array) -> Array:
    n, p = x.shape
    h = np.zeros((p, p))
    for i in range(n):
        for a in range(p):
            xa = x[i, a] * mu[i]
            if xa != 0.0:
                for b in range(a + 1):
                    h[a, b] += xa * x[i, b]
    for a in range(p):
        for b in range(a):
            h[b, a] = h[a, b]
    return h


@njit(cache=True)
def _newton(
    x: Array, y: Array, beta: Array, max_iter: int, tol: float
) -> tuple[int, int, float, float]:
    """Newton-Raphson with step halving; returns status, iterations, var(b0), ll."""
    mu = np.empty(y.size)
    trial = np.empty(y.size)
    obj = _objective(x, y, beta, mu)
    stalls, status, it, step0 = 0, 2, 0, 0.0
    for it in range(1, max_iter + 1):  # noqa: B007 - returned below
        d = _cholesky_solve(_information(x, mu), x.T @ (y - mu))
        t, new = 1.0, obj
        for _ in range(40):
            new = _objective(x, y, beta + t * d, trial)
            if new >= obj - 1e-12 * abs(obj):
                break
            t *= 0.5
        beta += t * d
        mu[:] = trial
        biggest, step0 = np.max(np.abs(t * d)), abs(t * d[0])
        rise, obj = new - obj, new
        if biggest < tol:
            status = 0
            break
        stalls = stalls + 1 if rise < 1e-11 * (abs(obj) + 1.0) else 0
        if stalls >= 3:
            status = 2 if step0 > 1e-6 else 1
            break
    e0 = np.zeros(beta.size)
    e0[0] = 1.0
    var0 = _cholesky_solve(_information(x, mu), e0)[0]
    return status, it, var0, obj


@njit(parallel=True, cache=True)
def _run(design, y, masks, n_base, start, max_iter, tol, out, out_int):  # type: ignore[no-untyped-def]
    """``out[m]`` = intercept, var(intercept), log-likelihood; ``out_int[m]`` =
    status, iterations, number of parameters."""
    for m in prange(masks.size):
        cols = _columns(masks[m], n_base, design.shape[1])
        x = np.ascontiguousarray(design[:, cols])
        beta = np.zeros(cols.size)
        beta[:n_base] = start
        status, it, var0, ll = _newton(x, y, beta, max_iter, tol)
        out[m, 0] = beta[0]
        out[m, 1] = var0
        out[m, 2] = ll
        out_int[m, 0] = status
        out_int[m, 1] = it
        out_int[m, 2] = cols.size
