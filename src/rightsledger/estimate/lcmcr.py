"""Bayesian latent-class model for multiple systems estimation (LCMCR).

Manrique-Vallier (2016, Biometrics 72:1246), "Bayesian population size estimation
using Dirichlet process mixtures": each person belongs to one of up to ``K``
latent classes; within a class the lists record people independently, person on
list ``j`` with probability ``lambda[j, k]``. Classes capture heterogeneity in
how findable people are, and so dependence between lists. Priors: truncated
stick-breaking weights with concentration ``alpha ~ Gamma(a_alpha, b_alpha)``
(shape, rate), ``lambda ~ Beta(1, 1)``, and ``p(N) ∝ 1/N``.

The Gibbs sampler (in :mod:`._lcmcr_kernel`) works on the table of distinct
capture patterns, as the R package LCMCR does, so its cost grows with ``K`` and
the number of patterns, not with the number of people. Several chains run from
seeds spawned from one seed; split R-hat and the effective sample size of N
are part of the result, and a warning is raised when the chains disagree.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rightsledger.errors import EstimationError

from . import _lcmcr_kernel as kernel
from .histories import CaptureTable
from .mcmc import effective_sample_size, rank_split_rhat, split_rhat
from .results import EstimateFit, warn_and_record

__all__ = ["LCMCR"]

#: Above this split R-hat, or below this ESS, the fit carries a warning.
RHAT_LIMIT = 1.1
ESS_LIMIT = 400
#: Most draws of N kept in ``diagnostics["posterior_sample"]``.
MAX_KEPT = 2000

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "within each latent class, being on one list does not change the chance of "
    "being on another (dependence only through the classes)",
    "the people never recorded resemble, class by class, the people recorded",
    "records of the same person were linked without error",
)


@dataclass(frozen=True, slots=True)
class LCMCR:
    """Dirichlet-process latent-class model of Manrique-Vallier (2016).

    Args:
        table: the capture table, at least three lists.
        K: truncation, the largest number of latent classes.
        a_alpha: shape of the gamma prior on the concentration ``alpha``.
        b_alpha: rate of that prior.
        confidence: probability of the equal-tailed credible interval.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {
        ...     (1, 0, 0): 60, (0, 1, 0): 60, (0, 0, 1): 60, (1, 1, 0): 30,
        ...     (1, 0, 1): 30, (0, 1, 1): 30, (1, 1, 1): 15})
        >>> fit = LCMCR(t, K=3).fit(seed=1)  # doctest: +SKIP
        >>> fit.diagnostics["rhat"] < 1.1  # doctest: +SKIP
        True
    """

    table: CaptureTable
    K: int = 10
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    confidence: float = 0.95

    def _check(self, burnin: int, samples: int, thinning: int, chains: int) -> None:
        name = "LCMCR latent-class model"
        if len(self.table.lists) < 3:
            raise EstimationError(
                f"{name}: needs at least 3 lists, got {len(self.table.lists)};"
                " with fewer the classes cannot be told apart from the unseen total"
            )
        if self.table.n_observed == 0:
            raise EstimationError(f"{name}: nobody was recorded on any list")
        if self.K < 1 or self.a_alpha <= 0 or self.b_alpha <= 0:
            raise EstimationError(f"{name}: K >= 1 and a_alpha, b_alpha > 0 needed")
        if burnin < 0 or samples < 4 or thinning < 1 or chains < 1:
            raise EstimationError(
                f"{name}: burnin >= 0, samples >= 4, thinning >= 1, chains >= 1 needed"
            )

    def fit(
        self,
        seed: int,
        burnin: int = 10_000,
        samples: int = 10_000,
        thinning: int = 10,
        chains: int = 3,
    ) -> EstimateFit:
        """Run the Gibbs sampler and summarise the posterior of N.

        Each chain runs ``burnin + samples * thinning`` sweeps and keeps every
        ``thinning``-th draw after the burn-in. Same seed, same result (except
        the timing entries of the diagnostics).

        Args:
            seed: seed of ``numpy.random.SeedSequence``; one child per chain.
            burnin: sweeps discarded at the start of each chain.
            samples: draws kept per chain.
            thinning: sweeps per kept draw.
            chains: independent chains (3 or more to judge convergence).

        Returns:
            The fit: posterior median, equal-tailed credible interval, and in
            ``diagnostics``: ``posterior_mean``, ``chain_medians``, ``rhat``
            (split R-hat of N), ``rhat_rank`` (rank-normalised), ``ess``,
            ``iterations_per_second``, ``seconds_per_1000_iterations``,
            ``alpha_mean``, ``occupied_classes_mean``, ``posterior_sample``.

        Raises:
            EstimationError: fewer than 3 lists, an empty table or bad settings.
        """
        self._check(burnin, samples, thinning, chains)
        draws, extra, seconds, capped = self._run(
            seed, burnin, samples, thinning, chains
        )
        return self._summarise(draws, extra, seconds, capped, seed, burnin, thinning)

    def _run(
        self, seed: int, burnin: int, samples: int, thinning: int, chains: int
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], float, int]:
        patterns = np.array(list(self.table.counts), dtype=np.uint8)
        counts = np.array(list(self.table.counts.values()), dtype=np.int64)
        draws = np.empty((chains, samples))
        extra = np.empty((chains, samples, 2))
        seconds, capped = 0.0, 0
        _compile()
        for c, child in enumerate(np.random.SeedSequence(seed).spawn(chains)):
            rng = np.random.default_rng(child)
            lam, pi, state = _initial_state(rng, patterns.shape[1], self.K, counts)
            start = time.perf_counter()
            out, hit = kernel.run_chain(
                rng, patterns, counts, lam, pi, state,
                self.a_alpha, self.b_alpha, burnin, samples, thinning,
            )  # fmt: skip
            seconds += time.perf_counter() - start
            draws[c], extra[c], capped = out[:, 0], out[:, 1:], capped + hit
        return draws, extra, seconds, capped

    def _summarise(
        self,
        draws: NDArray[np.float64],
        extra: NDArray[np.float64],
        seconds: float,
        capped: int,
        seed: int,
        burnin: int,
        thinning: int,
    ) -> EstimateFit:
        chains, samples = draws.shape
        pooled = draws.ravel()
        tail = (1.0 - self.confidence) / 2.0
        median, lower, upper = np.quantile(pooled, [0.5, tail, 1.0 - tail])
        sweeps = chains * (burnin + samples * thinning)
        step = math.ceil(pooled.size / MAX_KEPT)
        diagnostics: dict[str, Any] = {
            "posterior_mean": float(pooled.mean()),
            "chain_medians": [float(np.median(d)) for d in draws],
            "rhat": split_rhat(draws),
            "rhat_rank": rank_split_rhat(draws),
            "ess": effective_sample_size(draws),
            "iterations_per_second": sweeps / seconds if seconds > 0 else math.inf,
            "seconds_per_1000_iterations": 1000.0 * seconds / sweeps,
            "alpha_mean": float(extra[:, :, 0].mean()),
            "occupied_classes_mean": float(extra[:, :, 1].mean()),
            "posterior_sample": [int(x) for x in pooled[::step]],
        }
        _warn_on_trouble(diagnostics, capped, sweeps)
        return EstimateFit(
            estimate=float(median),
            lower=float(lower),
            upper=float(upper),
            confidence=self.confidence,
            method="lcmcr",
            model=f"Dirichlet-process mixture of up to {self.K} latent classes",
            n_observed=self.table.n_observed,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings={
                "K": self.K,
                "a_alpha": self.a_alpha,
                "b_alpha": self.b_alpha,
                "seed": seed,
                "burnin": burnin,
                "samples": samples,
                "thinning": thinning,
                "chains": chains,
            },
            assumptions=_ASSUMPTIONS,
        )


def _compile() -> None:
    """Compile (or load from cache) the kernel outside the timed runs."""
    rng = np.random.default_rng(0)
    patterns = np.ones((1, 3), dtype=np.uint8)
    counts = np.ones(1, dtype=np.int64)
    lam, pi, state = _initial_state(rng, 3, 2, counts)
    kernel.run_chain(rng, patterns, counts, lam, pi, state, 1.0, 1.0, 0, 1, 1)


def _initial_state(
    rng: np.random.Generator, n_lists: int, n_classes: int, counts: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """A draw from the prior (alpha = 1), with n0 started at the number seen."""
    lam = rng.beta(1.0, 1.0, size=(n_lists, n_classes))
    breaks = rng.beta(1.0, 1.0, size=n_classes)
    breaks[-1] = 1.0
    rest = np.concatenate([[1.0], np.cumprod(1.0 - breaks[:-1])])
    state = np.array([1.0, float(counts.sum())])
    return lam, breaks * rest, state


def _warn_on_trouble(diagnostics: dict[str, Any], capped: int, sweeps: int) -> None:
    rhat, ess = diagnostics["rhat"], diagnostics["ess"]
    medians = ", ".join(f"{m:,.0f}" for m in diagnostics["chain_medians"])
    if not rhat <= RHAT_LIMIT:
        warn_and_record(
            diagnostics,
            f"LCMCR chains disagree (split R-hat {rhat:.2f}, effective sample size "
            f"{ess:,.0f}; chain medians {medians}): the posterior is not reliably "
            "explored; run longer chains and do not report this estimate alone",
        )
    elif ess < ESS_LIMIT:
        warn_and_record(
            diagnostics,
            f"LCMCR chains mixed slowly (effective sample size {ess:,.0f}, below "
            f"{ESS_LIMIT}; split R-hat {rhat:.2f}; chain medians {medians}): the "
            "interval's ends rest on few independent draws; run longer chains",
        )
    if capped:
        warn_and_record(
            diagnostics,
            f"LCMCR: {capped} of {sweeps} draws of the unseen count were unbounded "
            "(a class almost never recorded); the posterior of N may be improper",
        )
