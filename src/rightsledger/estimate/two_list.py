"""Two-list estimators: Lincoln-Petersen and Chapman, with a log-normal interval.

With ``n1`` persons on list A, ``n2`` on list B and ``m`` on both:

- Lincoln-Petersen: ``N = n1 * n2 / m`` (biased upwards for small ``m``).
- Chapman (1951): ``N = (n1 + 1)(n2 + 1) / (m + 1) - 1``, nearly unbiased when
  ``n1 + n2 >= N``.
- Variance (Seber 1970; Seber 1982, p. 60):
  ``Var = (n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2))``.
- Interval (Chao 1987): the unseen number ``f0 = N - n_obs`` is taken as
  log-normal, ``C = exp(z * sqrt(log(1 + Var / f0^2)))``, and the interval is
  ``[n_obs + f0 / C, n_obs + f0 * C]``. It never falls below the number seen.

Assumptions: a closed population, lists independent of each other (being on A does
not change the chance of being on B), every person equally likely to be on a list,
and perfect linkage. With more than two lists, list A is compared with the union of
the others; dependence among the others then no longer matters, but dependence
between A and the rest still biases the estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from rightsledger.errors import EstimationError

from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["Chapman", "chapman", "lognormal_interval", "seber_variance"]

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "list A and the other list(s) capture people independently",
    "everyone has the same chance of being on each list",
    "records of the same person were linked without error",
)


def chapman(n1: int, n2: int, m: int) -> float:
    """Chapman's nearly unbiased estimate of N (Chapman 1951)."""
    return (n1 + 1) * (n2 + 1) / (m + 1) - 1


def seber_variance(n1: int, n2: int, m: int) -> float:
    """Variance of Chapman's estimate (Seber 1982)."""
    return (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))


def lognormal_interval(
    n_observed: int, estimate: float, variance: float, confidence: float
) -> tuple[float, float]:
    """Chao's (1987) log-normal interval for N, bounded below by ``n_observed``."""
    f0 = estimate - n_observed
    if f0 <= 0 or variance <= 0:
        return float(n_observed), max(float(n_observed), estimate)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    c = math.exp(z * math.sqrt(math.log(1 + variance / f0**2)))
    return n_observed + f0 / c, n_observed + f0 * c


@dataclass(frozen=True, slots=True)
class Chapman:
    """Chapman's two-list estimator, statsmodels style: ``Chapman(table).fit()``.

    Args:
        table: the capture table (two lists, or more: see ``list_a``).
        list_a: with more than two lists, the list compared with the union of the
            others; default the first list.
        confidence: nominal coverage of the interval.

    Examples:
        >>> t = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
        >>> round(Chapman(t).fit().estimate, 1)
        199.0
    """

    table: CaptureTable
    list_a: str | None = None
    confidence: float = 0.95

    def _margins(self) -> tuple[str, int, int, int]:
        lists = self.table.lists
        if self.table.n_observed == 0:
            raise EstimationError("the capture table is empty: nobody was seen")
        if len(lists) < 2:
            raise EstimationError(
                f"need at least two lists to estimate, got {len(lists)}: {lists}"
            )
        a = self.list_a or lists[0]
        if a not in lists:
            raise EstimationError(f"list {a!r} is not in the table's lists {lists}")
        i = lists.index(a)
        n1 = sum(n for p, n in self.table.counts.items() if p[i])
        n2 = sum(n for p, n in self.table.counts.items() if _others(p, i))
        m = sum(n for p, n in self.table.counts.items() if p[i] and _others(p, i))
        return a, n1, n2, m

    def fit(self) -> EstimateFit:
        """Estimate N with Chapman's formula and Chao's log-normal interval.

        Raises:
            EstimationError: on an empty table, a single list, or lists that share
                nobody (no overlap: the data say nothing about the unseen).
        """
        a, n1, n2, m = self._margins()
        others = [x for x in self.table.lists if x != a]
        if m == 0:
            raise EstimationError(
                f"no overlap between list {a!r} and {' + '.join(others)}: with nobody"
                " on both, the unseen number cannot be estimated"
            )
        diagnostics: dict[str, Any] = {"n1": n1, "n2": n2, "m": m, "warnings": []}
        estimate = chapman(n1, n2, m)
        variance = seber_variance(n1, n2, m)
        diagnostics.update(
            lincoln_petersen=n1 * n2 / m, variance=variance, se=math.sqrt(variance)
        )
        if m < 7:
            warn_and_record(
                diagnostics,
                f"only {m} persons on both lists; Chapman's estimate and its interval"
                " are unstable below about 7 (Robson and Regier 1964)",
            )
        n_obs = self.table.n_observed
        lower, upper = lognormal_interval(n_obs, estimate, variance, self.confidence)
        return EstimateFit(
            estimate=estimate,
            lower=lower,
            upper=upper,
            confidence=self.confidence,
            method="chapman",
            model=f"two lists: {a} vs {' + '.join(others)} (independence)",
            n_observed=n_obs,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings={
                "list_a": a,
                "confidence": self.confidence,
                "interval": "log-normal (Chao 1987)",
            },
            assumptions=_ASSUMPTIONS,
        )


def _others(pattern: tuple[int, ...], i: int) -> bool:
    return any(x for j, x in enumerate(pattern) if j != i)
