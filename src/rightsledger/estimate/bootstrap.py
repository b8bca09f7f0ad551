"""Bias-corrected and accelerated (BCa) bootstrap intervals for population estimates.

For a capture table with cell counts ``y`` (n persons seen) and an estimator
``theta`` that maps a table to an estimate of N, as in Chan, Silverman and
Vincent (2021, section 3.3) and SparseMSE's ``estimatepopulation``:

- **Replicates:** ``B`` tables drawn as multinomial(n, y / n) over the observable
  cells; the estimator is re-run on each, so any model selection inside it is
  repeated (this is what carries model-choice uncertainty into the interval).
- **Jackknife:** for each cell with ``y_c > 0``, the estimate with one person
  removed from that cell, ``theta_(c)``; it stands for ``y_c`` deleted persons.
- **Acceleration** (Efron 1987; DiCiccio and Efron 1996): with weights ``w_c =
  y_c``, ``d_c = sum(w theta_()) / sum(w) - theta_(c)``,
  ``a = sum(w d^3) / (6 (sum(w d^2))^(3/2))``.
- **Bias correction:** ``z0 = Phi^-1(#{theta*_b < theta_hat} / B)``.
- **Limits:** for each tail probability ``q``, with ``zq = Phi^-1(q)``, the level
  ``Phi(z0 + (z0 + zq) / (1 - a (z0 + zq)))`` of the replicates, taken with the
  median-unbiased quantile rule (Hyndman and Fan 1996, type 8; R's
  ``quantile(type = 8)``, which SparseMSE uses).

Randomness comes only from the ``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rightsledger.errors import EstimationError

from .results import EstimateFit, warn_and_record

__all__ = [
    "acceleration",
    "bca_fit",
    "bca_interval",
    "bca_limits",
    "bias_z0",
    "jackknife_cells",
    "multinomial_replicates",
    "quantile_type8",
]

Array = NDArray[np.float64]
Estimator = Callable[[Array], float]

_NORMAL = NormalDist()


def quantile_type8(values: ArrayLike, probs: Sequence[float]) -> list[float]:
    """Median-unbiased sample quantiles (Hyndman-Fan type 8); tolerates +inf."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    out = []
    for p in probs:
        h = (n + 1 / 3) * p + 1 / 3
        lo = min(max(math.floor(h), 1), n)
        hi = min(lo + 1, n)
        frac = min(max(h - lo, 0.0), 1.0) if h >= 1 else 0.0
        a, b = float(x[lo - 1]), float(x[hi - 1])
        out.append(a if frac == 0.0 or a == b else a + frac * (b - a))
    return out


def bias_z0(theta_hat: float, replicates: ArrayLike) -> float:
    """``Phi^-1`` of the share of replicates below ``theta_hat`` (may be +-inf)."""
    reps = np.asarray(replicates, dtype=np.float64)
    share = float(np.mean(reps < theta_hat))
    if share <= 0.0:
        return -math.inf
    if share >= 1.0:
        return math.inf
    return _NORMAL.inv_cdf(share)


def acceleration(
    jackknife_values: ArrayLike, weights: ArrayLike | None = None
) -> float:
    """Jackknife estimate of the acceleration ``a`` (0 if the values are all equal)."""
    theta = np.asarray(jackknife_values, dtype=np.float64)
    w = np.ones_like(theta) if weights is None else np.asarray(weights, np.float64)
    d = float(np.sum(w * theta) / np.sum(w)) - theta
    spread = float(np.sum(w * d**2))
    if spread <= 0.0:
        return 0.0
    return float(np.sum(w * d**3)) / (6.0 * math.sqrt(spread) ** 3)


def bca_limits(
    theta_hat: float,
    replicates: ArrayLike,
    accel: float,
    tails: Sequence[float],
) -> list[float]:
    """BCa limits at the tail probabilities ``tails`` (e.g. 0.025 and 0.975).

    A share of replicates below ``theta_hat`` of exactly 0 or 1 is moved half a
    replicate inwards so that ``z0`` stays finite.
    """
    reps = np.asarray(replicates, dtype=np.float64)
    n = len(reps)
    if n == 0:
        raise EstimationError("BCa interval: no bootstrap replicates")
    share = float(np.mean(reps < theta_hat))
    share = min(max(share, 0.5 / n), 1 - 0.5 / n)
    z0 = _NORMAL.inv_cdf(share)
    levels = []
    for q in tails:
        zq = z0 + _NORMAL.inv_cdf(q)
        levels.append(_NORMAL.cdf(z0 + zq / (1 - accel * zq)))
    return quantile_type8(reps, levels)


def bca_interval(
    theta_hat: float,
    replicates: ArrayLike,
    jackknife_values: ArrayLike,
    alpha: float = 0.05,
    weights: ArrayLike | None = None,
) -> tuple[float, float]:
    """Two-sided BCa interval of nominal coverage ``1 - alpha``.

    Args:
        theta_hat: the estimate from the data.
        replicates: the estimates from the bootstrap samples.
        jackknife_values: leave-one-out estimates.
        alpha: total tail probability (0.05 gives a 95% interval).
        weights: how many deletions each jackknife value stands for (for a
            capture table: the count of its cell); default one each.

    Returns:
        (lower, upper).

    Examples:
        >>> reps = [float(v) for v in range(1, 1000)]
        >>> lo, hi = bca_interval(500.0, reps, [1.0, 2.0, 3.0], alpha=0.1)
        >>> round(lo), round(hi)
        (50, 949)
    """
    if not 0 < alpha < 1:
        raise EstimationError(f"alpha must be between 0 and 1, got {alpha}")
    accel = acceleration(jackknife_values, weights)
    lo, hi = bca_limits(theta_hat, replicates, accel, [alpha / 2, 1 - alpha / 2])
    return lo, hi


def multinomial_replicates(
    y: Array, estimator: Estimator, nboot: int, rng: np.random.Generator
) -> tuple[Array, int]:
    """Estimates on ``nboot`` multinomial resamples of the cell counts ``y``.

    Returns:
        The replicate estimates, and how many replicates had no finite estimate
        (the estimator raised :class:`EstimationError`); those count as +inf.
    """
    n = int(round(float(y.sum())))
    tables = rng.multinomial(n, y / y.sum(), size=nboot).astype(np.float64)
    out = np.empty(nboot)
    failed = 0
    for b in range(nboot):
        try:
            out[b] = estimator(tables[b])
        except EstimationError:
            out[b] = math.inf
            failed += 1
    return out, failed


def jackknife_cells(y: Array, estimator: Estimator) -> Array:
    """Leave-one-person-out estimates per cell (0 where the cell is empty).

    Use the counts ``y`` as weights in :func:`acceleration`.
    """
    values = np.zeros(len(y))
    for c in np.flatnonzero(y > 0):
        reduced = y.copy()
        reduced[c] -= 1
        values[c] = estimator(reduced)
    return values


def bca_fit(
    result: EstimateFit,
    y: Array,
    estimator: Estimator,
    *,
    seed: int | None,
    nboot: int,
    alpha: float,
    method: str,
    interval: str,
) -> EstimateFit:
    """``result`` with its interval replaced by a BCa bootstrap interval.

    Args:
        result: the fit on the data (its estimate is ``theta_hat``).
        y: cell counts over all observable patterns.
        estimator: maps cell counts to an estimate of N (re-runs any selection).
        seed: seed of ``numpy.random.default_rng``.
        nboot: number of replicates (> 0).
        alpha: 1 - nominal coverage.
        method: the method name of the returned fit.
        interval: how the interval was made, for ``settings["interval"]``.

    Returns:
        A new fit; the previous interval is kept as ``diagnostics["wald_interval"]``.
    """
    rng = np.random.default_rng(seed)
    reps, failed = multinomial_replicates(y, estimator, nboot, rng)
    jack = jackknife_cells(y, estimator)
    accel = acceleration(jack[y > 0], y[y > 0])
    lower, upper = bca_limits(result.estimate, reps, accel, [alpha / 2, 1 - alpha / 2])
    diagnostics = _bca_diagnostics(result, reps, accel, failed)
    settings = {**result.settings, "interval": interval}
    return dataclasses.replace(
        result,
        lower=lower,
        upper=upper,
        method=method,
        diagnostics=diagnostics,
        settings=settings,
    )


def _bca_diagnostics(
    result: EstimateFit, reps: Array, accel: float, failed: int
) -> dict[str, object]:
    z0 = bias_z0(result.estimate, reps)
    diagnostics = dict(result.diagnostics)
    diagnostics["warnings"] = list(result.warnings)
    diagnostics.update(
        wald_interval=(result.lower, result.upper),
        bootstrap_z0=z0,
        bootstrap_acceleration=accel,
        bootstrap_failed=failed,
        bootstrap_median=float(np.median(reps)),
    )
    if failed:
        warn_and_record(
            diagnostics,
            f"{failed} of {len(reps)} bootstrap replicates had no finite estimate; "
            "they count as infinite",
        )
    if math.isinf(z0):
        warn_and_record(
            diagnostics,
            "all bootstrap replicates fall on one side of the estimate; the BCa "
            "bias correction is clipped",
        )
    return diagnostics
