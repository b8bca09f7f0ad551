"""Exhaustive search over hierarchical log-linear models, as Rcapture ``closedpMS.t``.

Every hierarchical model of the incomplete 2^k table with all main effects and
interaction terms up to ``max_order`` (see :mod:`.hierarchy`) is fitted as a
Poisson log-linear model of the observable cells, the models are ranked by BIC
(``-2 loglik + p log n``, n = persons seen, as Rcapture), AIC or AICc, and the
best model's estimate ``N = n + exp(u)`` is reported with Rcapture's multinomial
profile-likelihood interval (``closedpCI.t``) and standard error
``sqrt(exp(u) + exp(2u) var(u))``.

Models whose unseen-cell estimate runs off (no finite MLE of N, or N not
identifiable, e.g. a saturated model with empty cells) are never ranked: they
are counted and named in the diagnostics. Models that reach their likelihood
only on the boundary (some fitted cells at zero, typically a pair of lists with
no one in common, whose interaction goes to minus infinity) but whose N settles
to a finite limit (the extended MLE) are ranked by default, as Rcapture does;
they are flagged ``boundary`` in the diagnostics, and ``include_boundary=False``
skips them too. Rcapture's reference script also dropped models for which R's
``glm`` warned "fitted rates numerically 0" (fitted cells below 2.2e-15 when it
stopped), an artefact of where R's iterations stop that we do not copy: on the
6-list Netherlands table it makes R report its second-best model.

Model averaging (``average=True``): weights ``exp(-delta / 2)`` over the ranked
models; the estimate is the weighted mean of their N, and the interval is the
``confidence`` central interval of the weighted mixture of the models' log-normal
distributions for the unseen count (Chao 1987: ``log(N - n)`` normal with
variance ``log(1 + se^2 / f0^2)``), so it carries model-selection uncertainty
among the ranked models (Burnham and Anderson 2002, sec. 4.3).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
from scipy.optimize import brentq

from rightsledger.errors import EstimationError

from . import _glm
from .hierarchy import Term, describe, hierarchical_models, rcapture_name, terms
from .hierarchy import term_columns as _term_columns
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["Criterion", "LogLinearSearch"]

Criterion = Literal["bic", "aic", "aicc"]

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "the dependence between lists is captured by one of the searched models",
    "the interval is conditional on the chosen model (no model-selection error)",
    "records of the same person were linked without error",
)
_MAX_NAMED_FAILURES = 100


@dataclass(frozen=True, slots=True)
class _Ranked:
    """All fitted models of a search, with their statistics (aligned arrays)."""

    masks: Any
    fits: _glm.ManyFits
    estimate: Any
    stderr: Any
    deviance: Any
    df: Any
    aic: Any
    bic: Any
    aicc: Any
    usable: Any


@dataclass(frozen=True, slots=True)
class LogLinearSearch:
    """Every hierarchical log-linear model up to ``max_order``, ranked.

    Args:
        table: the capture table, at least two lists.
        criterion: ``"bic"`` (Rcapture's choice), ``"aic"`` or ``"aicc"`` (AIC
            with the small-sample term, the sample size being the number of
            observable cells).
        max_order: highest interaction order, 1 to ``k - 1``.
        confidence: nominal coverage of the interval.
        average: report the criterion-weighted model average instead of the best
            model (see the module docstring for the interval).
        include_boundary: rank models whose likelihood is maximised on the
            boundary with a finite N (extended MLE), as Rcapture does.
        top: how many of the best models to list in the diagnostics.
        max_models: refuse searches larger than this, as Rcapture's
            ``stopiflong``; 6 lists up to 3-way terms are 3,702,013 models and
            take about 8 minutes on 2 cores (pairwise: 32,768 models, ~2 s).

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 40, (0, 1, 0): 30,
        ...     (0, 0, 1): 20, (1, 1, 0): 6, (1, 0, 1): 5, (0, 1, 1): 4,
        ...     (1, 1, 1): 1})
        >>> fit = LogLinearSearch(t).fit()
        >>> fit.diagnostics["n_models"]
        8
    """

    table: CaptureTable
    criterion: Criterion = "bic"
    max_order: int = 2
    confidence: float = 0.95
    average: bool = False
    include_boundary: bool = True
    top: int = 10
    max_models: int = 250_000

    def fit(self, timer: Callable[[], float] | None = None) -> EstimateFit:
        """Fit every model, rank them and report the best (or the average).

        Args:
            timer: a clock such as ``time.perf_counter``; when given, the search
                time is stored as ``diagnostics["seconds"]``.

        Raises:
            EstimationError: on an empty table, a bad ``max_order`` or
                ``criterion``, a search larger than ``max_models``, or when no
                model has a finite estimate.
        """
        started = timer() if timer else 0.0
        ranked, x_full, y = self._search()
        order = self._order(ranked)
        diagnostics = self._diagnostics(ranked, order)
        best = int(order[0])
        x_best = x_full[:, self._columns(int(ranked.masks[best]))]
        n_obs = self.table.n_observed
        if self.average:
            estimate, lower, upper, info = _average(
                ranked, order, self.criterion, n_obs, self.confidence
            )
            diagnostics.update(info)
        else:
            estimate = float(ranked.estimate[best])
            prof = _glm.multinomial_profile(x_best, y, estimate, self.confidence)
            lower, upper = prof.lower, prof.upper
            diagnostics["profile_n_max"] = prof.n_max
            if math.isinf(upper):
                warn_and_record(diagnostics, "profile likelihood: no upper bound")
        if timer:
            diagnostics["seconds"] = timer() - started
        return EstimateFit(
            estimate=estimate,
            lower=lower,
            upper=upper,
            confidence=self.confidence,
            method="loglinear-search",
            model=self._name(int(ranked.masks[best])),
            n_observed=n_obs,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings=self._settings(),
            assumptions=_ASSUMPTIONS,
        )

    # -- the search -----------------------------------------------------------

    def _terms(self) -> list[Term]:
        return terms(len(self.table.lists), self.max_order)

    def _columns(self, mask: int) -> list[int]:
        k = len(self.table.lists)
        bits = [i for i in range(len(self._terms())) if (mask >> i) & 1]
        return list(range(k + 1)) + [k + 1 + i for i in bits]

    def _name(self, mask: int) -> str:
        return describe(mask, self._terms(), self.table.lists)

    def _search(self) -> tuple[_Ranked, _glm.Array, _glm.Array]:
        k = len(self.table.lists)
        if self.table.n_observed == 0:
            raise EstimationError("the capture table is empty: nobody was seen")
        if self.criterion not in ("bic", "aic", "aicc"):
            raise EstimationError(f"unknown criterion {self.criterion!r}")
        masks = hierarchical_models(k, self.max_order)
        if masks.size > self.max_models:
            raise EstimationError(
                f"{masks.size:,} models for {k} lists up to order {self.max_order}; "
                f"more than max_models={self.max_models:,}"
            )
        cells = _glm.observable_patterns(k)
        x = _term_columns(cells, self._terms())
        y = np.array(
            [self.table.counts.get(tuple(int(v) for v in row), 0) for row in cells],
            dtype=np.float64,
        )
        base = _glm.irls(x[:, : k + 1], y)
        fits = _glm.fit_many(x, y, masks, k + 1, base.beta)
        return _statistics(masks, fits, y, self.include_boundary), x, y

    def _order(self, ranked: _Ranked) -> Any:
        score = np.where(ranked.usable, getattr(ranked, self.criterion), np.inf)
        order = np.argsort(score, kind="stable")
        order = order[np.isfinite(score[order])]
        if order.size == 0:
            raise EstimationError(
                f"none of the {ranked.masks.size} hierarchical models up to order "
                f"{self.max_order} has a finite maximum likelihood estimate"
            )
        return order

    # -- reporting --------------------------------------------------------------

    def _row(self, ranked: _Ranked, j: int, best_score: float) -> dict[str, Any]:
        k, mask = len(self.table.lists), int(ranked.masks[j])
        score = float(getattr(ranked, self.criterion)[j])
        return {
            "model": self._name(mask),
            "rcapture": rcapture_name(mask, self._terms(), k),
            "estimate": float(ranked.estimate[j]),
            "stderr": float(ranked.stderr[j]),
            "deviance": float(ranked.deviance[j]),
            "df": int(ranked.df[j]),
            "aic": float(ranked.aic[j]),
            "bic": float(ranked.bic[j]),
            "aicc": float(ranked.aicc[j]),
            "delta": score - best_score,
            "boundary": bool(ranked.fits.status[j] == _glm.BOUNDARY),
        }

    def _diagnostics(self, ranked: _Ranked, order: Any) -> dict[str, Any]:
        status = ranked.fits.status
        score = getattr(ranked, self.criterion)
        best_score = float(score[order[0]])
        top = [self._row(ranked, int(j), best_score) for j in order[: self.top]]
        failed = np.flatnonzero(~ranked.usable)
        k = len(self.table.lists)
        names = [
            rcapture_name(int(ranked.masks[j]), self._terms(), k)
            + (" (boundary)" if status[j] == _glm.BOUNDARY else " (N diverges)")
            for j in failed[:_MAX_NAMED_FAILURES]
        ]
        near = ranked.estimate[order[score[order] - best_score <= 2.0]]
        return {
            "warnings": [],
            "criterion": self.criterion,
            "best": top[0],
            "stderr": top[0]["stderr"],
            "top_models": top,
            "n_models": int(ranked.masks.size),
            "n_ranked": int(order.size),
            "n_converged": int(np.sum(status == _glm.CONVERGED)),
            "n_boundary": int(np.sum(status == _glm.BOUNDARY)),
            "n_diverging": int(np.sum(status == _glm.DIVERGING)),
            "n_failed": int(failed.size),
            "failed_models": names,
            "failed_models_truncated": bool(failed.size > _MAX_NAMED_FAILURES),
            "estimate_range_delta2": [float(near.min()), float(near.max())],
        }

    def _settings(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "max_order": self.max_order,
            "confidence": self.confidence,
            "average": self.average,
            "include_boundary": self.include_boundary,
            "models": "hierarchical, all main effects forced (Rcapture closedpMS.t)",
            "interval": "multinomial profile likelihood (Rcapture closedpCI.t)"
            if not self.average
            else "criterion-weighted mixture of per-model log-normal intervals",
            "fitting": "Newton-Raphson, Poisson log link, numba",
        }


def _statistics(
    masks: Any, fits: _glm.ManyFits, y: _glm.Array, include_boundary: bool
) -> _Ranked:
    n = float(y.sum())
    cells = y.size
    p = fits.n_params.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        f0 = np.exp(fits.intercept)
        stderr = np.sqrt(f0 + f0**2 * fits.var_intercept)
        aicc_term = np.where(
            cells - p - 1 > 0, 2 * p * (p + 1) / (cells - p - 1), np.inf
        )
    aic = -2 * fits.loglik + 2 * p
    usable = fits.status == _glm.CONVERGED
    if include_boundary:
        usable |= fits.status == _glm.BOUNDARY
    usable &= np.isfinite(f0) & np.isfinite(stderr)
    return _Ranked(
        masks=masks,
        fits=fits,
        estimate=n + f0,
        stderr=stderr,
        deviance=2 * (_glm.poisson_loglik(y, y) - fits.loglik),
        df=cells - fits.n_params,
        aic=aic,
        bic=-2 * fits.loglik + p * math.log(n),
        aicc=aic + aicc_term,
        usable=usable,
    )


def _weights(ranked: _Ranked, order: Any, criterion: str) -> tuple[Any, Any]:
    """Normalised weights ``exp(-delta / 2)`` of the ranked models (in ``order``)."""
    score = getattr(ranked, criterion)[order]
    w = np.exp(-(score - score[0]) / 2)
    keep = w > 1e-12 * w.sum()
    return order[keep], w[keep] / w[keep].sum()


def _average(
    ranked: _Ranked, order: Any, criterion: str, n_obs: int, confidence: float
) -> tuple[float, float, float, dict[str, Any]]:
    """Weighted mean of N and the central interval of the log-normal mixture."""
    idx, w = _weights(ranked, order, criterion)
    f0 = ranked.estimate[idx] - n_obs
    sigma = np.sqrt(np.log1p(ranked.stderr[idx] ** 2 / f0**2))
    log_f0 = np.log(f0)
    normal = NormalDist()

    def cdf_minus(q: float) -> Callable[[float], float]:
        def fn(v: float) -> float:
            z = (v - log_f0) / sigma
            return float(np.dot(w, [normal.cdf(float(c)) for c in z])) - q

        return fn

    lo_span = float(np.min(log_f0 - 12 * sigma)), float(np.max(log_f0 + 12 * sigma))
    tail = (1 - confidence) / 2
    bounds = [brentq(cdf_minus(q), *lo_span, xtol=1e-10) for q in (tail, 1 - tail)]
    estimate = float(np.dot(w, ranked.estimate[idx]))
    info = {"n_averaged": int(idx.size), "weight_best": float(w[0])}
    return estimate, n_obs + math.exp(bounds[0]), n_obs + math.exp(bounds[1]), info
