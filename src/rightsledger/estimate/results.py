"""The result of fitting an estimator: a frozen record of what was computed."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rightsledger import __version__
from rightsledger.domain import EstimateResult
from rightsledger.errors import EstimationWarning

__all__ = ["EstimateFit", "warn_and_record"]


def warn_and_record(diagnostics: dict[str, Any], message: str) -> None:
    """Raise an :class:`EstimationWarning` and keep its text in ``diagnostics``."""
    diagnostics.setdefault("warnings", []).append(message)
    warnings.warn(message, EstimationWarning, stacklevel=3)


@dataclass(frozen=True, slots=True)
class EstimateFit:
    """A fitted population estimate, with what is needed to reproduce it.

    Attributes:
        estimate: estimated total population N (seen and unseen).
        lower: lower end of the interval for N.
        upper: upper end of the interval for N.
        confidence: nominal coverage of the interval (0.95 = 95%).
        method: estimator name, e.g. ``"chapman"`` or ``"loglinear"``.
        model: the model in words, e.g. ``"independence (main effects)"``.
        n_observed: persons seen on at least one list.
        lists: the lists used, in order.
        diagnostics: fit statistics and ``"warnings"`` (list of messages).
        inputs_hash: SHA-256 of the canonical capture table.
        settings: the estimator's settings.
        software_version: ``rightsledger.__version__`` at fit time.
        assumptions: the assumptions the interval rests on, in words.
    """

    estimate: float
    lower: float
    upper: float
    confidence: float
    method: str
    model: str
    n_observed: int
    lists: tuple[str, ...]
    diagnostics: dict[str, Any]
    inputs_hash: str
    settings: dict[str, Any]
    assumptions: tuple[str, ...] = ()
    software_version: str = field(default=__version__)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Messages of the numerical warnings raised during the fit."""
        return tuple(self.diagnostics.get("warnings", ()))

    def summary(self) -> str:
        """A few plain-language lines: the estimate, its interval and assumptions."""
        pct = round(self.confidence * 100)
        lines = [
            f"Estimated total: {self.estimate:,.0f} ({pct}% interval "
            f"{self.lower:,.0f} to {self.upper:,.0f}); {self.n_observed:,} seen on "
            f"{len(self.lists)} lists, so about {self.estimate - self.n_observed:,.0f}"
            " never recorded.",
            f"Method: {self.method}, model: {self.model}.",
            f"If the model's assumptions hold, intervals built this way contain the "
            f"true total in about {pct} of {100} repetitions; they do not cover the "
            "error from wrong assumptions, which can be larger.",
        ]
        lines += [f"Assumes: {a}" for a in self.assumptions]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_result(self, population: str, as_of: date | None) -> EstimateResult:
        """The domain value stored and assessed: this fit for ``population``."""
        diagnostics = dict(self.diagnostics)
        diagnostics.update(
            model=self.model,
            inputs_hash=self.inputs_hash,
            settings=dict(self.settings),
            software_version=self.software_version,
        )
        return EstimateResult(
            population=population,
            method=self.method,
            estimate=self.estimate,
            lower=self.lower,
            upper=self.upper,
            observed=self.n_observed,
            lists=self.lists,
            confidence=self.confidence,
            diagnostics=diagnostics,
            as_of=as_of,
        )
