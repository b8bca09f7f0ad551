"""Chao's lower bound and the sample-coverage estimators of Chao and Tsay (1998).

Notation: k lists, ``n`` persons seen, ``f_c`` the number seen on exactly ``c``
lists, ``n_j`` the size of list j, ``Z_j`` the number seen on list j only,
``Z_jh`` the number seen on lists j and h and no other, ``n_jh`` the number seen
on both j and h (whatever else).

**Chao's lower bound** (Chao 1987, Biometrics 43:783-791), valid under
heterogeneous capture probabilities (model Mh), is
``N = n + f1^2 / (2 f2)`` with
``Var = f2 [ (f1/f2)^4 / 4 + (f1/f2)^3 + (f1/f2)^2 / 2 ]``. When ``f2 = 0`` the
bias-corrected form (Chao 2005, *Species estimation and applications*,
Encyclopedia of Statistical Sciences, 2nd ed.) ``N = n + f1 (f1 - 1) / 2`` is used,
with ``Var = f1 (f1 - 1) / 2 + f1 (2 f1 - 1)^2 / 4 - f1^4 / (4 N)``. The interval
is Chao's (1987) log-normal one: the unseen ``f0 = N - n`` with
``C = exp(z sqrt(log(1 + Var / f0^2)))`` gives ``[n + f0 / C, n + f0 C]``.
It is a *lower bound*: under strong heterogeneity N is larger.

**Sample coverage** (Chao and Tsay 1998, JASA 93:283-293, eqs. 14, 15 and 20;
Chao, Tsay, Lin, Shau and Chao 2001, Stat. Med. 20:3123, eqs. 9, 12, 13):

- coverage ``C = 1 - (1/k) sum_j Z_j / n_j``;
- ``D = (1/k) sum_j D_j`` with ``D_j = n - Z_j`` seen on lists other than j;
- independent lists: ``N0 = D / C``;
- with dependence, the coefficient of covariation of lists j and h is
  ``g_jh = N n_jh / (n_j n_h) - 1`` and
  ``N = D / C + (1 / (k C)) sum_{j<h} (Z_j + Z_h + 2 Z_jh) g_jh``; solved for N,
  ``N = (k D - sum A_jh) / (k C - sum A_jh n_jh / (n_j n_h))`` with
  ``A_jh = Z_j + Z_h + 2 Z_jh`` (replaced by n when the denominator is below
  1e-4 or the result below n, as Chao's CARE1 does);
- the one-step estimator for low coverage (Chao et al. 2001, eq. 13): plug
  ``N0`` into ``g_jh``, compute ``N~ = N0 + (1/(kC)) sum A_jh g_jh(N0)``, then
  ``N1 = D / C + (1/(kC)) sum A_jh g_jh(N~)``.

For k = 3, 4, 5 these are algebraically the expressions of Chao's R package CARE1
(``estN.Indep``, ``estN.HSC``, ``estN.LSC``). Chao and Tsay advise N when C is
high and N1 when C is at most about 0.55. Standard errors come from a parametric
bootstrap as in CARE1: N-hat persons (the seen cells with their observed shares
plus N-hat - n unseen) resampled multinomially, the estimator re-run, and the
log-normal interval above built from the bootstrap variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from statistics import NormalDist
from typing import Any, Literal

import numpy as np

from rightsledger.errors import EstimationError

from . import _glm
from .existence import cell_counts
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = [
    "ChaoLowerBound",
    "SampleCoverage",
    "capture_frequencies",
    "coverage_estimates",
]

Coverage = Literal["independent", "high_coverage", "one_step"]

_ASSUMPTIONS_CHAO = (
    "a closed population over the period the lists cover",
    "lists are exchangeable samples: capture chances may differ between persons "
    "(heterogeneity) but not between lists, and lists do not influence each other",
    "records of the same person were linked without error",
    "the result is a lower bound for N",
)
_ASSUMPTIONS_COVERAGE = (
    "a closed population over the period the lists cover",
    "dependence between lists is captured by pairwise coefficients of covariation",
    "records of the same person were linked without error",
)


def capture_frequencies(table: CaptureTable) -> list[int]:
    """``[f1, ..., fk]``: how many persons were seen on exactly c lists."""
    freq = [0] * len(table.lists)
    for pattern, count in table.counts.items():
        freq[sum(pattern) - 1] += count
    return freq


def _interval(
    n: float, estimate: float, var: float, alpha: float
) -> tuple[float, float]:
    f0 = estimate - n
    if f0 <= 0 or var <= 0:
        return n, max(n, estimate)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    c = math.exp(z * math.sqrt(math.log(1 + var / f0**2)))
    return n + f0 / c, n + f0 * c


def chao_unseen(f1: int, f2: int, n: int) -> tuple[float, float, str]:
    """Chao's unseen count ``f0``, its variance, and the form used (see module)."""
    if f2 > 0:
        r = f1 / f2
        return f1**2 / (2 * f2), f2 * (r**4 / 4 + r**3 + r**2 / 2), "f1^2 / (2 f2)"
    f0 = f1 * (f1 - 1) / 2
    var = f1 * (f1 - 1) / 2 + f1 * (2 * f1 - 1) ** 2 / 4 - f1**4 / (4 * (n + f0))
    return f0, var, "bias-corrected f1 (f1 - 1) / 2 (f2 = 0)"


@dataclass(frozen=True, slots=True)
class ChaoLowerBound:
    """Chao's (1987) lower bound for N from the numbers seen once and twice.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 20, (0, 1, 0): 20,
        ...     (1, 1, 0): 10, (0, 1, 1): 10, (1, 1, 1): 5})
        >>> round(ChaoLowerBound(t).fit().estimate, 1)
        105.0
    """

    table: CaptureTable

    def fit(self, alpha: float = 0.05) -> EstimateFit:
        """Estimate N and its log-normal interval.

        Raises:
            EstimationError: fewer than two lists, or an empty table.
        """
        k = len(self.table.lists)
        n = self.table.n_observed
        if k < 2 or n == 0:
            raise EstimationError(
                f"Chao's lower bound needs at least two lists and somebody seen "
                f"(got {k} lists, {n} persons)"
            )
        freq = capture_frequencies(self.table)
        diagnostics: dict[str, Any] = {"warnings": [], "f": freq}
        f0, var, form = chao_unseen(freq[0], freq[1], n)
        if freq[1] == 0:
            warn_and_record(
                diagnostics,
                "nobody was seen on exactly two lists (f2 = 0): Chao's bound uses its "
                "bias-corrected form and is very uncertain",
            )
        lower, upper = _interval(n, n + f0, var, alpha)
        diagnostics.update(f0=f0, variance=var, se=math.sqrt(max(var, 0.0)), form=form)
        return EstimateFit(
            estimate=n + f0,
            lower=lower,
            upper=upper,
            confidence=1 - alpha,
            method="chao-lower-bound",
            model=f"Mh lower bound, {form}",
            n_observed=n,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings={"alpha": alpha, "interval": "log-normal (Chao 1987)"},
            assumptions=_ASSUMPTIONS_CHAO,
        )


def coverage_estimates(patterns: _glm.Array, y: _glm.Array) -> dict[str, float]:
    """Chao-Tsay statistics for cell counts ``y`` over ``patterns`` (see module).

    Returns:
        ``coverage``, ``D``, ``independent`` (N0), ``high_coverage`` (N),
        ``one_step`` (N1), and ``high_coverage_capped`` (1.0 if N was replaced
        by n).

    Raises:
        EstimationError: a list is empty or the coverage is not positive.
    """
    k = patterns.shape[1]
    n = float(y.sum())
    size = patterns.T @ y
    if np.any(size <= 0):
        raise EstimationError("sample coverage: every list must hold somebody")
    depth = patterns.sum(axis=1)
    only = np.array([y[(depth == 1) & (patterns[:, j] > 0)].sum() for j in range(k)])
    coverage = 1 - float(np.mean(only / size))
    if coverage <= 0:
        raise EstimationError("sample coverage estimate is not positive: no overlap")
    d = n - float(np.mean(only))
    a_terms, ratio = [], []
    for j, h in combinations(range(k), 2):
        both = (patterns[:, j] * patterns[:, h]) > 0
        exactly = float(y[both & (depth == 2)].sum())
        a_terms.append(only[j] + only[h] + 2 * exactly)
        ratio.append(float(y[both].sum()) / (size[j] * size[h]))
    a, r = np.array(a_terms), np.array(ratio)
    n0 = d / coverage
    denom = k * coverage - float(a @ r)
    n_hsc = (k * d - float(a.sum())) / denom if denom >= 1e-4 else n
    step = n0 + float(a @ (n0 * r - 1)) / (k * coverage)
    n1 = d / coverage + float(a @ (step * r - 1)) / (k * coverage)
    return {
        "coverage": coverage,
        "D": d,
        "independent": n0,
        "high_coverage": max(n_hsc, n),
        "high_coverage_capped": float(denom < 1e-4 or n_hsc < n),
        "one_step": n1,
    }


@dataclass(frozen=True, slots=True)
class SampleCoverage:
    """Chao and Tsay's (1998) sample-coverage estimators for k lists.

    Args:
        table: the capture table, at least two lists, none empty.
        estimator: ``"high_coverage"`` (N-hat, the default), ``"one_step"``
            (N1-hat, for coverage at most about 0.55) or ``"independent"`` (N0-hat).

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 20, (0, 1, 0): 20,
        ...     (0, 0, 1): 20, (1, 1, 0): 10, (1, 0, 1): 10, (0, 1, 1): 10,
        ...     (1, 1, 1): 5})
        >>> round(SampleCoverage(t).fit(nboot=0).estimate, 1)
        135.0
    """

    table: CaptureTable
    estimator: Coverage = "high_coverage"

    def fit(
        self, seed: int | None = None, nboot: int = 200, alpha: float = 0.05
    ) -> EstimateFit:
        """Estimate N; with ``nboot > 0`` add a bootstrap s.e. and log-normal interval.

        Raises:
            EstimationError: fewer than two lists, an empty list, or no overlap.
        """
        k = len(self.table.lists)
        if k < 2:
            raise EstimationError(f"sample coverage needs at least two lists, got {k}")
        patterns = _glm.observable_patterns(k)
        y = cell_counts(self.table, patterns)
        diagnostics = self._point(patterns, y)
        n = float(self.table.n_observed)
        est = float(diagnostics[self.estimator])
        lower, upper = est, est
        if nboot > 0:
            var = self._bootstrap_variance(patterns, y, est, nboot, seed)
            diagnostics["se"] = math.sqrt(var)
            lower, upper = _interval(n, est, var, alpha)
        return EstimateFit(
            estimate=est,
            lower=lower,
            upper=upper,
            confidence=1 - alpha,
            method="sample-coverage",
            model=f"Chao-Tsay {self.estimator}",
            n_observed=int(n),
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings={
                "estimator": self.estimator,
                "nboot": nboot,
                "seed": seed,
                "alpha": alpha,
                "interval": "log-normal (Chao 1987), bootstrap variance",
            },
            assumptions=_ASSUMPTIONS_COVERAGE,
        )

    def _point(self, patterns: _glm.Array, y: _glm.Array) -> dict[str, Any]:
        stats = coverage_estimates(patterns, y)
        diagnostics: dict[str, Any] = {"warnings": [], **stats}
        if stats["coverage"] <= 0.55 and self.estimator == "high_coverage":
            warn_and_record(
                diagnostics,
                f"estimated sample coverage {stats['coverage']:.2f} is at most 0.55: "
                "N-hat is unstable; consider estimator='one_step'",
            )
        if stats["high_coverage_capped"] and self.estimator == "high_coverage":
            warn_and_record(
                diagnostics,
                "the high-coverage equation has no solution above n (too little "
                "overlap); N-hat is reported as n, as CARE1 does: not an estimate",
            )
        return diagnostics

    def _bootstrap_variance(
        self,
        patterns: _glm.Array,
        y: _glm.Array,
        est: float,
        nboot: int,
        seed: int | None,
    ) -> float:
        rng = np.random.default_rng(seed)
        total = max(round(est), int(y.sum()))
        probs = np.append(y, total - y.sum()) / total
        draws = rng.multinomial(total, probs, size=nboot)[:, :-1].astype(np.float64)
        values = []
        for table in draws:
            try:
                values.append(coverage_estimates(patterns, table)[self.estimator])
            except EstimationError:
                continue
        if len(values) < 2:
            raise EstimationError("sample coverage: bootstrap replicates all failed")
        return float(np.var(values, ddof=1))
