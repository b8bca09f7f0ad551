"""Stratified estimation: fit each stratum on its own, then add the strata up.

Stratifying (by place, period, sex, age...) groups people whose chances of being
listed are alike, which reduces the capture heterogeneity that biases a pooled
estimate (HRDAG's MSE FAQ, Q10-Q11; dga's ``make.strata``; verdata). The total is
the sum of the stratum totals. How its interval is built depends on the fits:

- **Bayesian fits** (every stratum exposes ``diagnostics["posterior_sample"]``,
  draws of N as LCMCR gives, or ``diagnostics["posterior"]``, a posterior grid
  as :class:`~rightsledger.estimate.dga.DGA` gives): strata are independent a
  posteriori, so the posterior of the total is the convolution of the stratum
  posteriors. It is computed by Monte Carlo: ``draws`` independent draws from
  each stratum (resampled from the sample, or drawn from the grid: a bin by its
  probability, then a value uniform within the bin) are added up. The estimate is
  the median of the sums, the interval their equal-tailed quantiles.
- **Otherwise** (frequentist fits): the estimate is the sum of the stratum
  estimates. Each stratum's unseen count ``f0 = N - n_obs`` is taken as
  log-normal, with the log-scale standard deviation read off its interval,
  ``sigma = (log(U - n) - log(L - n)) / (2 z)`` (from the upper side alone when
  ``L = n``), so ``Var f0 = f0^2 (exp(sigma^2) - 1)`` (delta method). The
  variances are added and Chao's log-normal interval is built on the total, as
  :func:`~rightsledger.estimate.two_list.lognormal_interval` does.

``diagnostics["combination"]`` says which was used; ``diagnostics["strata"]``
keeps every stratum's result, and the strata's warnings (already raised when they
were fitted) are repeated in the combined result's ``warnings``, prefixed by the
stratum.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rightsledger.errors import EstimationError, InputError, InputErrors

from .histories import CaptureTable, Pattern
from .results import EstimateFit, warn_and_record
from .two_list import lognormal_interval
from .validate import collapse_label_columns

__all__ = ["Stratified", "split_strata"]

FitFunction = Callable[[CaptureTable], EstimateFit]

CONVOLUTION = "convolution of independent posterior draws"
LOGNORMAL = "sum of estimates; log-normal delta-method interval"


def split_strata(
    rows: Iterable[Mapping[str, str | int]],
    list_columns: Sequence[str],
    stratum_columns: Sequence[str],
    *,
    source: str = "",
) -> dict[str, CaptureTable]:
    """Split rows of the shared capture format into one table per stratum.

    Args:
        rows: mappings such as ``csv.DictReader`` yields: one 0/1 column per
            list, the stratum columns and ``count``.
        list_columns: the list columns, in the order of the patterns.
        stratum_columns: the columns whose values define a stratum; none gives
            one stratum called ``"all"``.
        source: a file name used in error messages.

    Returns:
        Stratum name (``"col=value, col=value"``) -> its capture table, in the
        order strata first appear.

    Raises:
        InputErrors: every bad cell, with its row (header = row 1) and column.

    Examples:
        >>> rows = [{"A": "1", "B": "0", "eth": "x", "count": "3"}]
        >>> split_strata(rows, ["A", "B"], ["eth"])["eth=x"].counts
        {(1, 0): 3}
    """
    if not list_columns:
        raise InputError("no list columns given", field="list_columns")
    counts: dict[str, dict[Pattern, int]] = {}
    errors: list[InputError] = []
    rownum = 1
    for rownum, row in enumerate(rows, start=2):
        pattern, count, bad = _parse(row, list_columns, stratum_columns, rownum, source)
        errors += bad
        if not bad:
            name = ", ".join(f"{c}={row[c]}" for c in stratum_columns) or "all"
            cells = counts.setdefault(name, {})
            if any(pattern):
                cells[pattern] = cells.get(pattern, 0) + count
    errors = collapse_label_columns(errors, rownum - 1, source=source)
    InputErrors.raise_if_any(errors, what=source or "stratified capture table")
    return {
        name: CaptureTable(lists=tuple(list_columns), counts=cells)
        for name, cells in counts.items()
    }


def _parse(
    row: Mapping[str, str | int],
    list_columns: Sequence[str],
    stratum_columns: Sequence[str],
    rownum: int,
    source: str = "",
) -> tuple[Pattern, int, list[InputError]]:
    """One row's pattern and count, and every problem in it."""
    errors = [
        InputError("missing value", file=source, row=rownum, field=col)
        for col in stratum_columns
        if col not in row
    ]
    flags = []
    for col in list_columns:
        value = str(row.get(col, "")).strip()
        if value not in ("0", "1"):
            shown = repr(value) if value else "an empty cell"
            errors.append(
                InputError(
                    f"expected 0 or 1, got {shown}", file=source, row=rownum, field=col
                )
            )
        flags.append(int(value == "1"))
    text = str(row.get("count", "")).strip()
    count = int(text) if text.isdigit() else 0
    if not text.isdigit():
        errors.append(
            InputError(
                "expected a count of 0 or more", file=source, row=rownum, field="count"
            )
        )
    elif count and not any(flags):
        errors.append(
            InputError(
                "the all-zero pattern cannot be observed",
                file=source,
                row=rownum,
                field="count",
            )
        )
    return tuple(flags), count, errors


@dataclass(frozen=True, slots=True)
class Stratified:
    """Fit an estimator per stratum and combine the strata into one total.

    Args:
        tables: stratum name -> capture table (e.g. from :func:`split_strata`).
        estimator: fits one table, e.g. ``lambda t: DGA(t).fit()``.
        draws: Monte Carlo draws per stratum for the convolution of posteriors.

    Examples:
        >>> from rightsledger.estimate.loglinear import LogLinear
        >>> t = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
        >>> fit = Stratified({"x": t, "y": t}, lambda s: LogLinear(s).fit()).fit()
        >>> round(fit.estimate)
        400
    """

    tables: Mapping[str, CaptureTable]
    estimator: FitFunction
    draws: int = 20_000

    def fit(self, seed: int | None = None) -> EstimateFit:
        """Fit every stratum, then combine (see the module docstring for how).

        Args:
            seed: seeds ``numpy.random.default_rng`` for the convolution of
                posteriors; unused for frequentist fits.

        Raises:
            EstimationError: with no strata, when a stratum cannot be fitted (the
                message names it), or when strata use different confidence levels.
        """
        if not self.tables:
            raise EstimationError("stratified: no strata to fit")
        fits = {name: self._fit_one(name, t) for name, t in self.tables.items()}
        confidence = _common_confidence(fits)
        diagnostics: dict[str, Any] = {
            "warnings": [
                f"stratum {n!r}: {w}" for n, f in fits.items() for w in f.warnings
            ]
        }
        if all(_has_posterior(f) for f in fits.values()):
            rng = np.random.default_rng(seed)
            estimate, lower, upper = self._convolve(fits, confidence, rng, diagnostics)
            combination = CONVOLUTION
        else:
            estimate, lower, upper = _lognormal_sum(fits, confidence, diagnostics)
            combination = LOGNORMAL
        methods = sorted({f.method for f in fits.values()})
        diagnostics.update(
            combination=combination,
            strata={name: _stratum_summary(f) for name, f in fits.items()},
        )
        return EstimateFit(
            estimate=estimate,
            lower=lower,
            upper=upper,
            confidence=confidence,
            method="stratified " + "+".join(methods),
            model=f"{len(fits)} strata fitted separately ({combination})",
            n_observed=sum(f.n_observed for f in fits.values()),
            lists=_union_lists(fits.values()),
            diagnostics=diagnostics,
            inputs_hash=_hash(self.tables),
            settings={
                "strata": list(fits),
                "combination": combination,
                "seed": seed,
                "draws": self.draws,
                "stratum_settings": {n: f.settings for n, f in fits.items()},
            },
            assumptions=_assumptions(fits.values()),
        )

    def _fit_one(self, name: str, table: CaptureTable) -> EstimateFit:
        try:
            return self.estimator(table)
        except EstimationError as e:
            raise EstimationError(f"stratified: stratum {name!r}: {e}") from e

    def _convolve(
        self,
        fits: Mapping[str, EstimateFit],
        confidence: float,
        rng: np.random.Generator,
        diagnostics: dict[str, Any],
    ) -> tuple[float, float, float]:
        if self.draws < 100:
            raise EstimationError(f"stratified: draws={self.draws} is below 100")
        total = np.zeros(self.draws)
        for fit in fits.values():
            total += _posterior_draws(fit, rng, self.draws)
        tail = (1 - confidence) / 2
        lower, median, upper = np.quantile(total, [tail, 0.5, 1 - tail])
        diagnostics.update(mean=float(total.mean()), median=float(median))
        return float(median), float(lower), float(upper)


def _has_posterior(fit: EstimateFit) -> bool:
    return "posterior_sample" in fit.diagnostics or "posterior" in fit.diagnostics


def _posterior_draws(
    fit: EstimateFit, rng: np.random.Generator, size: int
) -> NDArray[np.float64]:
    """Independent draws of N from a stratum's posterior sample or grid."""
    sample = fit.diagnostics.get("posterior_sample")
    if sample is not None:
        values = np.asarray(sample, dtype=np.float64)
        if values.size == 0:
            raise EstimationError("stratified: empty posterior_sample")
        return np.asarray(rng.choice(values, size=size, replace=True))
    grid = fit.diagnostics["posterior"]
    low = np.asarray(grid["N"], dtype=np.float64)
    prob = np.asarray(grid["probability"], dtype=np.float64)
    width = np.asarray(grid.get("bin_width", np.ones_like(low)), dtype=np.float64)
    pick = rng.choice(len(low), size=size, p=prob / prob.sum())
    return np.asarray(low[pick] + np.floor(rng.random(size) * width[pick]))


def _lognormal_sum(
    fits: Mapping[str, EstimateFit], confidence: float, diagnostics: dict[str, Any]
) -> tuple[float, float, float]:
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n_obs = sum(f.n_observed for f in fits.values())
    estimate = sum(f.estimate for f in fits.values())
    variance = 0.0
    for name, fit in fits.items():
        if not math.isfinite(fit.upper):
            warn_and_record(
                diagnostics,
                f"stratified: stratum {name!r} has no finite upper bound, so the "
                "total has none",
            )
            return estimate, float(n_obs), math.inf
        variance += _unseen_variance(fit, z)
    diagnostics["variance"] = variance
    lower, upper = lognormal_interval(n_obs, estimate, variance, confidence)
    return estimate, lower, upper


def _unseen_variance(fit: EstimateFit, z: float) -> float:
    """Variance of the unseen count implied by a log-normal fit to the interval."""
    f0 = fit.estimate - fit.n_observed
    high = fit.upper - fit.n_observed
    low = fit.lower - fit.n_observed
    if f0 <= 0 or high <= f0:
        return 0.0
    if low > 0:
        sigma = (math.log(high) - math.log(low)) / (2 * z)
    else:
        sigma = math.log(high / f0) / z
    return f0**2 * math.expm1(sigma**2)


def _common_confidence(fits: Mapping[str, EstimateFit]) -> float:
    levels = {f.confidence for f in fits.values()}
    if len(levels) != 1:
        raise EstimationError(
            f"stratified: strata have different confidence levels {sorted(levels)}"
        )
    return levels.pop()


def _stratum_summary(fit: EstimateFit) -> dict[str, Any]:
    return {
        "estimate": fit.estimate,
        "lower": fit.lower,
        "upper": fit.upper,
        "n_observed": fit.n_observed,
        "method": fit.method,
        "model": fit.model,
        "warnings": list(fit.warnings),
    }


def _assumptions(fits: Iterable[EstimateFit]) -> tuple[str, ...]:
    shared = dict.fromkeys(a for f in fits for a in f.assumptions)
    return ("strata are estimated independently; no information is shared", *shared)


def _union_lists(fits: Iterable[EstimateFit]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for f in fits for name in f.lists))


def _hash(tables: Mapping[str, CaptureTable]) -> str:
    parts = sorted((name, t.inputs_hash()) for name, t in tables.items())
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()
