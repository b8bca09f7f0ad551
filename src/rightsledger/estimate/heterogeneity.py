"""Rcapture's standard closed-population models (``closedp.t``) as Poisson GLMs.

Each observable capture pattern ``x`` (k flags, c = number of lists it is on) has
a Poisson count with ``log mu(x) = u + ...`` (Baillargeon and Rivest 2007):

- ``M0``: ``+ b c`` (one capture probability for everyone and every list);
- ``Mt``: ``+ sum_i b_i x_i`` (a probability per list; same as independence);
- ``Mh-<h>``: ``+ b c + h(c)``, heterogeneity between persons only;
- ``Mth-<h>``: ``+ sum_i b_i x_i + h(c)``, both.

with the heterogeneity column ``h(c)`` of Rcapture's documentation: Poisson2
``2^c - 1``, Darroch ``c^2 / 2``, Gamma3.5 ``-log(3.5 + c) + log(3.5)``, and for
Chao's lower-bound model (Rivest and Baillargeon 2007) the k - 2 columns
``max(c - j + 1, 0)``, j = 3..k, whose "eta" coefficients must be >= 0: the first
negative one is dropped and the model refitted until none is (``neg=TRUE``).

``N = n + exp(u)``; the standard error is Rcapture's
``sqrt(exp(u) + exp(2u) var(u))``; BIC is ``-2 loglik + p log n``. The interval is
Rcapture's multinomial profile likelihood (``closedpCI.t``), Chao's columns being
re-pruned at every step as Rcapture does.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from rightsledger.errors import EstimationError, EstimationWarning

from . import _glm
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["ALIASES", "MODELS", "Heterogeneity", "closedp"]

#: The models of Rcapture's ``closedp.t`` fitted here (Mb and Mbh are not).
MODELS = (
    "M0",
    "Mt",
    "Mh-Chao",
    "Mh-Poisson2",
    "Mh-Darroch",
    "Mh-Gamma3.5",
    "Mth-Chao",
    "Mth-Poisson2",
    "Mth-Darroch",
    "Mth-Gamma3.5",
)

#: Other spellings accepted (Rcapture's ``h`` names without the parameter).
ALIASES = {
    "Mh-Poisson": "Mh-Poisson2",
    "Mth-Poisson": "Mth-Poisson2",
    "Mh-Gamma": "Mh-Gamma3.5",
    "Mth-Gamma": "Mth-Gamma3.5",
    "Mh-LB": "Mh-Chao",
    "Mth-LB": "Mth-Chao",
}

_ASSUMPTIONS = {
    "M0": "every person has the same chance of being on every list",
    "Mt": "lists differ in coverage but capture independently, people alike",
    "Mh": "people differ in their chance of being listed, lists alike",
    "Mth": "lists differ in coverage and people differ in their chance of being "
    "listed, in the form of the heterogeneity model",
}
_COMMON = (
    "a closed population over the period the lists cover",
    "records of the same person were linked without error",
)


def _heterogeneity_columns(h: str, c: _glm.Array, k: int) -> _glm.Array:
    if h == "Chao":
        return np.column_stack([np.maximum(c - j + 1, 0) for j in range(3, k + 1)])
    if h == "Poisson2":
        return (2.0**c - 1)[:, None]
    if h == "Darroch":
        return (c**2 / 2)[:, None]
    return (-np.log(3.5 + c) + math.log(3.5))[:, None]


def design(model: str, patterns: _glm.Array) -> tuple[_glm.Array, int]:
    """Design of ``model`` on ``patterns``; also the number of non-eta columns."""
    model = ALIASES.get(model, model)
    if model not in MODELS:
        raise EstimationError(f"unknown model {model!r}; choose from {MODELS}")
    k = patterns.shape[1]
    c = patterns.sum(axis=1)
    one = np.ones(len(patterns))
    base = (
        "M0" if model.startswith("Mh") else "Mt" if model.startswith("Mth") else model
    )
    x = np.column_stack([one, c] if base == "M0" else [one, *patterns.T])
    if model in ("M0", "Mt"):
        return x, x.shape[1]
    if k < 3:
        raise EstimationError(f"{model}: heterogeneity models need at least 3 lists")
    h = model.split("-", 1)[1]
    return np.column_stack([x, _heterogeneity_columns(h, c, k)]), x.shape[1]


def fit_chao(
    x: _glm.Array, y: _glm.Array, n_fixed: int
) -> tuple[_glm.GlmFit, list[int]]:
    """Fit, then drop the first negative eta column and refit until none is left.

    Returns the final fit and the (original) indices of the columns kept.
    """
    keep = list(range(x.shape[1]))
    fit = _glm.newton(x, y)
    while True:
        negative = [j for j in range(n_fixed, len(keep)) if fit.beta[j] < 0]
        if not negative:
            return fit, keep
        del keep[negative[0]]
        fit = _glm.newton(x[:, keep], y)


@dataclass(frozen=True, slots=True)
class Heterogeneity:
    """One of Rcapture's ``closedp.t`` models, fitted as a Poisson GLM.

    Args:
        table: the capture table (3 lists or more for the Mh and Mth models).
        model: one of :data:`MODELS`, e.g. ``"Mth-Chao"`` (or an :data:`ALIASES`
            spelling such as ``"Mth-Poisson"``).
        confidence: nominal coverage of the profile-likelihood interval.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 40, (0, 1, 0): 30,
        ...     (0, 0, 1): 20, (1, 1, 0): 6, (1, 0, 1): 5, (0, 1, 1): 4,
        ...     (1, 1, 1): 1})
        >>> round(Heterogeneity(t, "Mt").fit().estimate)
        276
    """

    table: CaptureTable
    model: str = "Mth-Chao"
    confidence: float = 0.95

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", ALIASES.get(self.model, self.model))

    def _fit(self, x: _glm.Array, y: _glm.Array, n_fixed: int) -> Any:
        if self.model.endswith("Chao"):
            return fit_chao(x, y, n_fixed)
        return _glm.newton(x, y), list(range(x.shape[1]))

    def fit(self) -> EstimateFit:
        """Fit the model; N with Rcapture's standard error and profile interval.

        Raises:
            EstimationError: on an empty table, an unknown model, too few lists,
                or when the estimate of N is not finite.
        """
        k = len(self.table.lists)
        if self.table.n_observed == 0:
            raise EstimationError("the capture table is empty: nobody was seen")
        if k < 2:
            raise EstimationError(f"need at least two lists to estimate, got {k}")
        cells = _glm.observable_patterns(k)
        x, n_fixed = design(self.model, cells)
        y = np.array(
            [self.table.counts.get(tuple(int(v) for v in row), 0) for row in cells],
            dtype=np.float64,
        )
        fit, keep = self._fit(x, y, n_fixed)
        diagnostics: dict[str, Any] = {"warnings": []}
        self._check(fit, diagnostics)
        diagnostics.update(_statistics(x[:, keep], y, fit))
        diagnostics["eta_removed"] = [
            j - n_fixed + 1 for j in range(x.shape[1]) if j not in keep
        ]
        estimate = self.table.n_observed + math.exp(float(fit.beta[0]))
        prof = _glm.multinomial_profile(
            x,
            y,
            estimate,
            self.confidence,
            fit_fn=lambda a, b: self._fit(a, b, n_fixed)[0],
        )
        diagnostics["profile_n_max"] = prof.n_max
        if math.isinf(prof.upper):
            warn_and_record(
                diagnostics, f"{self.model}: profile likelihood has no upper bound"
            )
        return EstimateFit(
            estimate=estimate,
            lower=prof.lower,
            upper=prof.upper,
            confidence=self.confidence,
            method="closedp",
            model=self.model,
            n_observed=self.table.n_observed,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings={
                "model": self.model,
                "confidence": self.confidence,
                "interval": "multinomial profile likelihood (Rcapture closedpCI.t)",
                "chao_negative_eta": "set to zero (Rcapture neg=TRUE)",
            },
            assumptions=(*_COMMON, _ASSUMPTIONS[self.model.split("-")[0]]),
        )

    def _check(self, fit: _glm.GlmFit, diagnostics: dict[str, Any]) -> None:
        if fit.converged:
            return
        if abs(float(fit.last_step[0])) > 1e-6 or not math.isfinite(fit.beta[0]):
            raise EstimationError(
                f"{self.model}: no finite estimate of the unseen population (the "
                "maximum likelihood estimate does not exist)"
            )
        warn_and_record(
            diagnostics,
            f"{self.model}: some fitted cells are at zero (boundary estimate); "
            "the estimate of N is the limit",
        )


def _statistics(x: _glm.Array, y: _glm.Array, fit: _glm.GlmFit) -> dict[str, Any]:
    n = float(y.sum())
    p = x.shape[1]
    f0 = math.exp(float(fit.beta[0]))
    var_u = float(_glm.covariance(x, fit.mu)[0, 0])
    return {
        "stderr": math.sqrt(f0 + f0**2 * var_u),
        "deviance": _glm.deviance(y, fit.mu),
        "df": len(y) - p,
        "aic": -2 * fit.loglik + 2 * p,
        "bic": -2 * fit.loglik + p * math.log(n),
        "converged": fit.converged,
    }


def closedp(table: CaptureTable, confidence: float = 0.95) -> tuple[EstimateFit, ...]:
    """Every model of :data:`MODELS` that can be fitted, in that order.

    A model without a finite estimate (or needing more lists) is left out with an
    :class:`~rightsledger.errors.EstimationWarning` that names it and says why.
    """
    fits = []
    for model in MODELS:
        try:
            fits.append(Heterogeneity(table, model, confidence).fit())
        except EstimationError as e:
            warnings.warn(
                f"closedp: {model} left out: {e}", EstimationWarning, stacklevel=2
            )
    return tuple(fits)
