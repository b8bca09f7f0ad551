"""SparseMSE's pairwise log-linear models: fixed, main effects, and stepwise choice.

The method of Chan, Silverman and Vincent (2021, JASA 116:1297; arXiv 1902.05156)
as implemented in SparseMSE 2.0.1 (``estimatepopulation.0``, ``stepwisefit``,
``estimatepopulation``):

- **Model:** Poisson log-linear model of the 2^k - 1 observable cells with main
  effects and chosen pairwise terms. A pair whose lists share nobody takes its
  extended-MLE value (minus infinity): the cells holding both lists are dropped
  and the term left out (see :mod:`.existence`). ``N = n + exp(intercept)``.
- **Stepwise choice:** start from main effects. At each step, for every pair not
  yet in the model, compare the number seen on both lists, ``n*``, with its
  Poisson distribution under the current fit (mean: the sum of fitted values of
  the cells holding both lists); the p-value is
  ``min(P(X <= n*), P(X >= n*))``. A candidate whose model fails the existence or
  identifiability check counts as p = 1. Add the candidate with the smallest
  p-value (the first pair in the order (1,2), (1,3), ... on ties) if it is below
  ``pthresh`` (default 0.02), refit, repeat; stop otherwise. ``pthresh = 0``
  gives main effects; ``pthresh = 1`` the all-pairs model if it passes both checks.
- **Interval without bootstrap:** SparseMSE's, a Wald interval on the log of the
  unseen count: ``n + exp(b0 +- z se(b0))``, ``se`` from the inverse Fisher
  information at the fit, conditional on n.
- **Bootstrap** (``nboot > 0``): BCa interval (see :mod:`.bootstrap`) from
  multinomial resamples of the observed cells, each re-running the stepwise choice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import NormalDist
from typing import Any

import numpy as np
from scipy.stats import poisson

from rightsledger.errors import EstimationError

from . import _glm
from .bootstrap import bca_fit
from .existence import (
    IndexPair,
    ReducedModel,
    cell_counts,
    check_reduced,
    describe,
    failure_reason,
    pair_indices,
    reduce,
)
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["Fixed", "MainEffects", "Stepwise"]

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "no dependence between lists beyond the pairwise terms in the model, and no "
    "three-way or higher interactions",
    "everyone has the same chance of being on each list (no hidden heterogeneity)",
    "records of the same person were linked without error",
)


@dataclass(frozen=True, slots=True)
class _Fit:
    model: ReducedModel
    log_f0: float
    se_log_f0: float
    mu_all: _glm.Array  # fitted values on all 2^k - 1 cells (0 where dropped)
    deviance: float
    boundary: bool  # IRLS stopped with some cell fitted at (almost) zero


@dataclass(slots=True)
class _Step:
    pair: IndexPair
    p_value: float


@dataclass(slots=True)
class _Selection:
    fit: _Fit
    steps: list[_Step] = field(default_factory=list)


def _fit(patterns: _glm.Array, y: _glm.Array, pairs: Sequence[IndexPair]) -> _Fit:
    """Fit main effects plus ``pairs`` (no checks); raise if N runs off."""
    model = reduce(patterns, y, pairs)
    glm = _glm.irls(model.x, model.y)
    if not glm.converged and (
        abs(float(glm.last_step[0])) > 1e-6 or not math.isfinite(glm.beta[0])
    ):
        raise EstimationError(
            "no finite estimate of the unseen population: the intercept diverges"
        )
    cov = _glm.covariance(model.x, glm.mu)
    mu_all = np.zeros(len(y))
    mu_all[model.keep] = glm.mu
    deviance = 2 * (_glm.poisson_loglik(model.y, model.y) - glm.loglik)
    return _Fit(
        model=model,
        log_f0=float(glm.beta[0]),
        se_log_f0=math.sqrt(max(float(cov[0, 0]), 0.0)),
        mu_all=mu_all,
        deviance=deviance,
        boundary=not glm.converged,
    )


def _p_values(
    patterns: _glm.Array, y: _glm.Array, mu: _glm.Array, pairs: Sequence[IndexPair]
) -> _glm.Array:
    both = np.column_stack([patterns[:, i] * patterns[:, j] for i, j in pairs])
    seen = y @ both
    expected = mu @ both
    lower = poisson.cdf(seen, expected)
    upper = poisson.sf(seen - 1, expected)
    return np.asarray(np.minimum(lower, upper), dtype=np.float64)


def _passes(patterns: _glm.Array, y: _glm.Array, pairs: Sequence[IndexPair]) -> bool:
    exists, identifiable = check_reduced(reduce(patterns, y, pairs))
    return exists and identifiable


def _next_pair(
    patterns: _glm.Array,
    y: _glm.Array,
    sel: _Selection,
    remaining: list[IndexPair],
    pthresh: float,
) -> tuple[int, float] | None:
    """Position in ``remaining`` and p-value of the pair to add, or None."""
    chosen = [s.pair for s in sel.steps]
    p = _p_values(patterns, y, sel.fit.mu_all, remaining)
    for c in sorted(range(len(remaining)), key=lambda c: (p[c], c)):
        if p[c] >= pthresh:
            return None
        if _passes(patterns, y, [*chosen, remaining[c]]):
            return c, float(p[c])
    return None


def select_stepwise(patterns: _glm.Array, y: _glm.Array, pthresh: float) -> _Selection:
    """SparseMSE's ``stepwisefit``: forward selection of pairwise terms."""
    all_pairs = list(combinations(range(patterns.shape[1]), 2))
    if pthresh >= 1 and _passes(patterns, y, all_pairs):
        return _Selection(_fit(patterns, y, all_pairs))
    sel = _Selection(_fit(patterns, y, []))
    if pthresh <= 0:
        return sel
    remaining = list(all_pairs)
    while remaining:
        found = _next_pair(patterns, y, sel, remaining, pthresh)
        if found is None:
            break
        c, p = found
        sel.steps.append(_Step(remaining.pop(c), p))
        sel.fit = _fit(patterns, y, [s.pair for s in sel.steps])
    return sel


def _prepare(table: CaptureTable) -> tuple[_glm.Array, _glm.Array]:
    k = len(table.lists)
    if table.n_observed == 0:
        raise EstimationError("the capture table is empty: nobody was seen")
    if k < 2:
        raise EstimationError(f"need at least two lists to estimate, got {k}")
    patterns = _glm.observable_patterns(k)
    return patterns, cell_counts(table, patterns)


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise EstimationError(f"alpha must be between 0 and 1, got {alpha}")
    return NormalDist().inv_cdf(1 - alpha / 2)


def _names(lists: Sequence[str], pairs: Sequence[IndexPair]) -> list[str]:
    return [f"{lists[i]}:{lists[j]}" for i, j in pairs]


def _diagnostics(lists: tuple[str, ...], fit: _Fit) -> dict[str, Any]:
    model = fit.model
    p = model.x.shape[1] + len(model.empty_pairs)
    f0 = math.exp(fit.log_f0)
    return {
        "warnings": [],
        "selected_pairs": _names(lists, model.pairs),
        "pair_terms": " ".join(_names(lists, model.fitted_pairs)),
        "empty_overlaps": _names(lists, model.empty_pairs),
        "f0": f0,
        "se_log_f0": fit.se_log_f0,
        "se_delta": f0 * fit.se_log_f0,
        "deviance": fit.deviance,
        "df": int(model.keep.sum()) - p,
        "aic": fit.deviance + 2 * p,
        "n_cells_fitted": int(model.keep.sum()),
    }


def _result(
    table: CaptureTable,
    fit: _Fit,
    *,
    alpha: float,
    method: str,
    settings: dict[str, Any],
) -> EstimateFit:
    """EstimateFit with SparseMSE's Wald interval on log f0."""
    n = table.n_observed
    z = _z(alpha)
    diagnostics = _diagnostics(table.lists, fit)
    if fit.boundary:
        warn_and_record(
            diagnostics,
            f"{describe(table.lists, fit.model.pairs)}: IRLS stopped with some "
            "cells fitted at (almost) zero (boundary estimate); N is stable",
        )
    return EstimateFit(
        estimate=n + math.exp(fit.log_f0),
        lower=n + math.exp(fit.log_f0 - z * fit.se_log_f0),
        upper=n + math.exp(fit.log_f0 + z * fit.se_log_f0),
        confidence=1 - alpha,
        method=method,
        model=describe(table.lists, fit.model.pairs),
        n_observed=n,
        lists=table.lists,
        diagnostics=diagnostics,
        inputs_hash=table.inputs_hash(),
        settings={
            "interval": "Wald on log f0 (SparseMSE estimatepopulation.0)",
            "alpha": alpha,
            "fitting": "IRLS, Poisson log link; empty overlaps as extended MLE",
            **settings,
        },
        assumptions=_ASSUMPTIONS,
    )


@dataclass(frozen=True, slots=True)
class Fixed:
    """A log-linear model with main effects and the given pairwise terms.

    Both checks of :func:`.existence.check_model` run first. A pair whose lists
    share nobody is fitted as an extended-MLE term (its cells are dropped).

    Args:
        table: the capture table, at least two lists.
        pairs: list-name pairs whose interactions are in the model.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 1, 0): 6, (1, 0, 0): 40,
        ...     (0, 1, 0): 30, (0, 0, 1): 20})
        >>> round(Fixed(t, [("A", "C"), ("B", "C")]).fit().estimate)
        296
    """

    table: CaptureTable
    pairs: Sequence[tuple[str, str]] = ()

    def fit(self, alpha: float = 0.05) -> EstimateFit:
        """Fit and return N-hat with SparseMSE's Wald interval on log f0.

        Raises:
            EstimationError: empty table, fewer than two lists, or a model whose
                estimate does not exist or is not identifiable (the message names
                the model and the failed check).
        """
        patterns, y = _prepare(self.table)
        idx = pair_indices(self.table.lists, self.pairs)
        model = reduce(patterns, y, idx)
        exists, identifiable = check_reduced(model)
        if not (exists and identifiable):
            name = describe(self.table.lists, idx)
            raise EstimationError(failure_reason(name, exists, identifiable))
        fit = _fit(patterns, y, idx)
        settings = {"pairs": _names(self.table.lists, idx)}
        return _result(
            self.table, fit, alpha=alpha, method="loglinear-fixed", settings=settings
        )


@dataclass(frozen=True, slots=True)
class MainEffects:
    """The independence model (main effects only): SparseMSE ``method="main"``.

    Examples:
        >>> t = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
        >>> round(MainEffects(t).fit().estimate)
        200
    """

    table: CaptureTable

    def fit(self, alpha: float = 0.05) -> EstimateFit:
        """Fit; see :meth:`Fixed.fit`."""
        return Fixed(self.table, ()).fit(alpha=alpha)


@dataclass(frozen=True, slots=True)
class Stepwise:
    """SparseMSE's stepwise choice of pairwise terms, optionally with a BCa bootstrap.

    Args:
        table: the capture table, at least two lists.
        pthresh: p-value a new pair must be below to enter (SparseMSE: 0.02).

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 30, (0, 1, 0): 30,
        ...     (0, 0, 1): 30, (1, 1, 0): 10, (1, 0, 1): 10, (0, 1, 1): 10,
        ...     (1, 1, 1): 3})
        >>> fit = Stepwise(t).fit()
        >>> fit.diagnostics["pair_terms"], round(fit.estimate)
        ('', 215)
    """

    table: CaptureTable
    pthresh: float = 0.02

    def estimate_counts(self, y: _glm.Array) -> float:
        """The stepwise point estimate of N for cell counts ``y`` (all patterns)."""
        patterns = _glm.observable_patterns(len(self.table.lists))
        fit = select_stepwise(patterns, y, self.pthresh).fit
        return float(y.sum()) + math.exp(fit.log_f0)

    def fit(
        self, seed: int | None = None, nboot: int = 0, alpha: float = 0.05
    ) -> EstimateFit:
        """Choose the model, estimate N, and give an interval.

        Args:
            seed: seed of ``numpy.random.default_rng`` for the bootstrap.
            nboot: bootstrap replicates; 0 gives SparseMSE's Wald interval on the
                chosen model (which ignores model-choice uncertainty).
            alpha: 1 - nominal coverage.

        Returns:
            The fit. ``diagnostics["steps"]``: pairs in the order they entered,
            with p-values; ``"pair_terms"``: those with a fitted term (as in
            SparseMSE's glm formula); ``"empty_overlaps"``: the others.

        Raises:
            EstimationError: empty table, fewer than two lists, or no finite
                estimate even for main effects.
        """
        patterns, y = _prepare(self.table)
        sel = select_stepwise(patterns, y, self.pthresh)
        settings = {"pthresh": self.pthresh, "nboot": nboot, "seed": seed}
        result = _result(
            self.table, sel.fit, alpha=alpha, method="stepwise", settings=settings
        )
        names = _names(self.table.lists, [s.pair for s in sel.steps])
        result.diagnostics["steps"] = [
            {"pair": name, "p_value": s.p_value}
            for name, s in zip(names, sel.steps, strict=True)
        ]
        if nboot <= 0:
            return result
        return bca_fit(
            result,
            y,
            self.estimate_counts,
            seed=seed,
            nboot=nboot,
            alpha=alpha,
            method="stepwise+bca",
            interval="BCa bootstrap, model selection repeated per replicate",
        )
