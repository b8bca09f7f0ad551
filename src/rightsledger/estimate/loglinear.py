"""Log-linear models of the incomplete 2^k table (Fienberg 1972).

Each observable capture pattern ``x`` (one 0/1 flag per list, never all zero) has a
Poisson count with ``log mu(x) = u + sum_i u_i x_i [+ sum_{i<j} u_ij x_i x_j]``.
The unseen cell is the pattern with all flags 0, whose expected count is
``exp(u)``; so ``N = n_obs + exp(u)`` (Bishop, Fienberg and Holland 1975, ch. 6).

- ``interactions="none"``: main effects only, i.e. lists independent of each other
  (the same estimate as Rcapture's model Mt and SparseMSE's main-effects model).
- ``interactions="two-way"``: every pair of lists may be dependent; the highest
  order term is then assumed absent. Or pass the pairs to include.

The interval is a profile-likelihood interval for ``u`` (all other parameters
maximised out, chi-square with 1 degree of freedom), carried over to N; it is
conditional on n_obs, like SparseMSE's. The delta-method standard error
``exp(u) * se(u)`` is stored in the diagnostics for comparison.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
from scipy.optimize import brentq

from rightsledger.errors import EstimationError

from . import _glm
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["Interactions", "LogLinear"]

Interactions = Literal["none", "two-way"] | Sequence[tuple[str, str]]

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "no dependence between lists beyond the interaction terms in the model",
    "everyone has the same chance of being on each list (no hidden heterogeneity)",
    "records of the same person were linked without error",
)


@dataclass(frozen=True, slots=True)
class LogLinear:
    """Poisson log-linear model for multiple systems estimation.

    Args:
        table: the capture table, at least two lists.
        interactions: ``"none"`` (independence), ``"two-way"`` (all pairs), or a
            sequence of list-name pairs to include.
        confidence: nominal coverage of the profile-likelihood interval.
        max_iter: IRLS iteration limit.

    Examples:
        >>> t = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
        >>> round(LogLinear(t).fit().estimate)
        200
    """

    table: CaptureTable
    interactions: Interactions = "none"
    confidence: float = 0.95
    max_iter: int = 100

    def _pairs(self) -> list[tuple[int, int]]:
        lists = self.table.lists
        if self.interactions == "none":
            return []
        if self.interactions == "two-way":
            return list(combinations(range(len(lists)), 2))
        if isinstance(self.interactions, str):
            raise EstimationError(f"unknown interactions {self.interactions!r}")
        pairs = []
        for a, b in self.interactions:
            if a not in lists or b not in lists or a == b:
                raise EstimationError(f"interaction {a}:{b} is not a pair of {lists}")
            pairs.append(tuple(sorted((lists.index(a), lists.index(b)))))
        return sorted(set(pairs))  # type: ignore[arg-type]

    def _describe(self, pairs: list[tuple[int, int]]) -> str:
        if not pairs:
            return "independence (main effects only)"
        names = [f"{self.table.lists[i]}:{self.table.lists[j]}" for i, j in pairs]
        return "main effects + " + ", ".join(names)

    def _check(self, x: _glm.Array) -> None:
        k = len(self.table.lists)
        if self.table.n_observed == 0:
            raise EstimationError("the capture table is empty: nobody was seen")
        if k < 2:
            raise EstimationError(f"need at least two lists to estimate, got {k}")
        rank = int(np.linalg.matrix_rank(x))
        if rank < x.shape[1]:
            raise EstimationError(
                f"model not identifiable: {x.shape[1]} parameters but only {rank} "
                f"can be estimated from the {x.shape[0]} observable cells"
            )

    def fit(self) -> EstimateFit:
        """Fit by IRLS and return N-hat with a profile-likelihood interval.

        Raises:
            EstimationError: on an empty or one-list table, an unidentifiable model,
                or data for which the estimate of N is not finite.
        """
        k = len(self.table.lists)
        pairs = self._pairs()
        cells = _glm.observable_patterns(k)
        x = _glm.design(cells, pairs)
        self._check(x)
        y = np.array(
            [self.table.counts.get(tuple(int(v) for v in row), 0) for row in cells],
            dtype=np.float64,
        )
        diagnostics: dict[str, Any] = {"warnings": []}
        fit = _glm.irls(x, y, max_iter=self.max_iter)
        self._check_convergence(fit, diagnostics)
        log_f0 = float(fit.beta[0])
        f0 = math.exp(log_f0)
        n_obs = self.table.n_observed
        cov = _glm.covariance(x, fit.mu)
        se_log_f0 = math.sqrt(max(float(cov[0, 0]), 0.0))
        lower, upper = _profile_interval(x, y, fit, se_log_f0, self.confidence)
        if math.isinf(upper):
            warn_and_record(diagnostics, "profile likelihood has no finite upper bound")
        diagnostics.update(_fit_stats(fit, x, y, se_log_f0))
        return EstimateFit(
            estimate=n_obs + f0,
            lower=n_obs + math.exp(lower),
            upper=n_obs + math.exp(upper) if math.isfinite(upper) else math.inf,
            confidence=self.confidence,
            method="loglinear",
            model=self._describe(pairs),
            n_observed=n_obs,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings=self._settings(pairs),
            assumptions=_ASSUMPTIONS,
        )

    def _settings(self, pairs: list[tuple[int, int]]) -> dict[str, Any]:
        lists = self.table.lists
        return {
            "interactions": [f"{lists[i]}:{lists[j]}" for i, j in pairs],
            "confidence": self.confidence,
            "interval": "profile likelihood on log f0, chi-square(1)",
            "fitting": "IRLS, Poisson log link",
            "max_iter": self.max_iter,
        }

    def _check_convergence(self, fit: _glm.GlmFit, diagnostics: dict[str, Any]) -> None:
        if fit.converged:
            return
        if abs(float(fit.last_step[0])) > 1e-6 or not math.isfinite(fit.beta[0]):
            raise EstimationError(
                f"{self._describe(self._pairs())}: no finite estimate of the unseen "
                "population (the maximum likelihood estimate does not exist; zero "
                "cells let the intercept run off). Use a model with fewer "
                "interactions."
            )
        warn_and_record(
            diagnostics,
            f"IRLS did not converge in {fit.iterations} iterations: some fitted "
            "cells are at zero (boundary estimate); the estimate of N is stable",
        )


def _fit_stats(
    fit: _glm.GlmFit, x: _glm.Array, y: _glm.Array, se_log_f0: float
) -> dict[str, Any]:
    p = x.shape[1]
    f0 = math.exp(float(fit.beta[0]))
    saturated = _glm.poisson_loglik(y, y)
    return {
        "f0": f0,
        "se_log_f0": se_log_f0,
        "se_delta": f0 * se_log_f0,
        "deviance": 2 * (saturated - fit.loglik),
        "df": x.shape[0] - p,
        "aic": -2 * fit.loglik + 2 * p,
        "bic": -2 * fit.loglik + p * math.log(float(y.sum())),
        "iterations": fit.iterations,
        "converged": fit.converged,
    }


def _profile_interval(
    x: _glm.Array, y: _glm.Array, fit: _glm.GlmFit, se: float, confidence: float
) -> tuple[float, float]:
    """Values of log f0 where the profile deviance rises by the chi-square cut."""
    cut = NormalDist().inv_cdf(0.5 + confidence / 2) ** 2
    rest = x[:, 1:]
    start = fit.beta[1:]
    best = fit.loglik

    def excess(t: float) -> float:
        prof = _glm.irls(rest, y, offset=t, start=start)
        return 2 * (best - prof.loglik) - cut

    centre = float(fit.beta[0])
    step = max(se, 0.05)
    return (
        _bracket_root(excess, centre, -step),
        _bracket_root(excess, centre, step),
    )


def _bracket_root(fn: Any, centre: float, step: float) -> float:
    for _ in range(40):
        edge = centre + step
        if fn(edge) > 0:
            return float(brentq(fn, centre, edge, xtol=1e-10))
        step *= 2
        if abs(step) > 60:
            break
    return math.inf if step > 0 else -math.inf
