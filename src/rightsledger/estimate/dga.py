"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

The method of the R package dga (``bma.cr``; Johndrow, Lum and Ball), written anew
from the paper:

- The ``2^k`` cells of the complete table (the unseen all-zero cell included) are
  multinomial given the total ``N = n_obs + N0``. Each decomposable graph on the k
  lists is a model; its cell probabilities get a hyper-Dirichlet prior with
  parameter ``delta`` per cell, so a clique table with ``|C|`` lists has
  ``delta * 2^(k - |C|)`` per cell.
- Given N0, the marginal likelihood of a decomposable model is the product over
  cliques of Dirichlet-multinomial terms divided by the same product over
  separators (Dawid & Lauritzen 1993), times the multinomial coefficient of the
  observed cells and the unseen count.
- With a prior on N (``1/N``, or the negative binomial Madigan & York used) and a
  uniform prior over the graphs, the joint posterior over (graph, N0) is computed
  exactly on a grid of N0 values; summing over graphs gives the model-averaged
  posterior of N, summing over N0 the posterior probability of each graph.

All terms are computed in logs with :func:`scipy.special.gammaln`, vectorised over
the grid. The grid is ``0, step, 2 step, ... <= nmax``; by default ``nmax`` starts
at ``3 n_obs`` and grows fourfold (up to ``3 * 4^6 n_obs``) until the posterior
mass above ``nmax / 2`` is below 1e-4, and ``step = max(1, nmax // 20000)``.
With the ``1/N`` prior the posterior under the saturated model has a heavy tail,
so the posterior *mean* and upper bound depend on ``nmax``: the grid is recorded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

from rightsledger.errors import EstimationError

from .graphs import MAX_VERTICES, DecomposableGraph, decomposable_graphs
from .histories import CaptureTable
from .results import EstimateFit, warn_and_record

__all__ = ["DGA", "Prior"]

Array = NDArray[np.float64]

#: ``"1/N"`` or ``("negbin", a, b)``: N ~ negative binomial with mean ``a * b``.
Prior = str | tuple[str, float, float]

_GRID_POINTS = 20_000
_PLOT_POINTS = 2_000
_TAIL_MASS = 1e-4
_CHUNK = 4_096

_ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "list dependence is captured by one of the decomposable graphical models",
    "the prior on N and the hyper-Dirichlet prior (delta) are reasonable",
    "records of the same person were linked without error",
)


@dataclass(frozen=True, slots=True)
class DGA:
    """Model averaging over all decomposable graphs of 2 to 5 lists.

    Args:
        table: the capture table, 2 to 5 lists.
        delta: hyper-Dirichlet parameter per cell; default ``2^-k`` as in dga's
            examples.
        prior: ``"1/N"`` (dga's default) or ``("negbin", a, b)`` with
            ``log p(N) = N log b - (N + a) log(1 + b) + lgamma(N + a)
            - lgamma(N + 1) - lgamma(a)`` (Madigan & York 1997).
        nmax: largest unseen count N0 on the grid; default chosen as above.
        step: grid spacing; default ``max(1, nmax // 20000)``.
        confidence: probability inside the equal-tailed credible interval.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 0, 0): 60, (0, 1, 0): 49,
        ...     (0, 0, 1): 4, (1, 1, 0): 247, (1, 0, 1): 112, (0, 1, 1): 142,
        ...     (1, 1, 1): 12})
        >>> 600 < DGA(t).fit().estimate < 900
        True
    """

    table: CaptureTable
    delta: float | None = None
    prior: Prior = "1/N"
    nmax: int | None = None
    step: int | None = None
    confidence: float = 0.95

    def fit(self) -> EstimateFit:
        """Compute the posterior over (graph, N0) and summarise it.

        Returns:
            The posterior median of N with an equal-tailed credible interval;
            diagnostics hold the mean, mode, model weights, top models and the
            posterior of N on at most 2,000 points (``posterior``).

        Raises:
            EstimationError: with fewer than 2 or more than 5 lists, an empty
                table, or an invalid delta, prior or grid.
        """
        k, n, delta = self._check()
        model = _Posterior(
            _cells(self.table), decomposable_graphs(k), delta, self._log_prior
        )
        diagnostics: dict[str, Any] = {"warnings": []}
        if self.nmax is None:
            grid, weights, post = self._auto_grid(model, diagnostics)
        else:
            grid = _grid(self.nmax, self.step)
            weights, post = model.joint(grid)
            _check_tail(post, grid, diagnostics)
        summary = _summaries(grid + n, post, self.confidence)
        diagnostics.update(
            summary,
            **self._model_diagnostics(model, grid, weights),
            **_grid_diagnostics(grid, post, n),
        )
        return EstimateFit(
            estimate=summary["median"],
            lower=summary["lower"],
            upper=summary["upper"],
            confidence=self.confidence,
            method="dga",
            model=(
                f"average over {len(model.graphs)} decomposable graphs "
                f"(top: {diagnostics['top_model']})"
            ),
            n_observed=n,
            lists=self.table.lists,
            diagnostics=diagnostics,
            inputs_hash=self.table.inputs_hash(),
            settings=self._settings(delta, grid),
            assumptions=_ASSUMPTIONS,
        )

    def _check(self) -> tuple[int, int, float]:
        k = len(self.table.lists)
        if k > MAX_VERTICES:
            raise EstimationError(
                f"dga: model averaging over decomposable graphs is limited to "
                f"{MAX_VERTICES} lists (18,154 graphs on 6); got {k}. Merge or "
                "drop lists"
            )
        if k < 2:
            raise EstimationError(f"dga: need at least 2 lists, got {k}")
        n = self.table.n_observed
        if n == 0:
            raise EstimationError("dga: the capture table is empty: nobody was seen")
        delta = 2.0**-k if self.delta is None else float(self.delta)
        if not (delta > 0 and math.isfinite(delta)):
            raise EstimationError(f"dga: delta must be positive, got {self.delta}")
        if not 0 < self.confidence < 1:
            raise EstimationError(f"dga: confidence {self.confidence} not in (0, 1)")
        self._log_prior(np.array([float(n)]))  # validates the prior
        return k, n, delta

    def _log_prior(self, total: Array) -> Array:
        """Log prior of the total N (unnormalised)."""
        if self.prior == "1/N":
            return np.asarray(-np.log(total), dtype=np.float64)
        if (
            isinstance(self.prior, tuple)
            and len(self.prior) == 3
            and self.prior[0] == "negbin"
        ):
            a, b = float(self.prior[1]), float(self.prior[2])
            if a > 0 and b > 0:
                return np.asarray(
                    total * math.log(b)
                    - (total + a) * math.log1p(b)
                    + gammaln(total + a)
                    - gammaln(total + 1)
                    - gammaln(a),
                    dtype=np.float64,
                )
        raise EstimationError(
            f"dga: prior must be '1/N' or ('negbin', a, b) with a, b > 0; "
            f"got {self.prior!r}"
        )

    def _auto_grid(
        self, model: _Posterior, diagnostics: dict[str, Any]
    ) -> tuple[NDArray[np.int64], Array, Array]:
        n = int(model.cells.sum())
        for power in range(7):
            grid = _grid(3 * n * 4**power, self.step)
            weights, post = model.joint(grid)
            tail = post[grid > grid[-1] / 2].sum()
            if tail < _TAIL_MASS:
                break
        else:
            warn_and_record(
                diagnostics,
                f"dga: posterior mass {tail:.2g} above N0 = {grid[-1] // 2:,} even "
                f"with a grid to {grid[-1]:,}; the mean and upper bound are "
                "truncated by the grid",
            )
        return grid, weights, post

    def _model_diagnostics(
        self, model: _Posterior, grid: NDArray[np.int64], weights: Array
    ) -> dict[str, Any]:
        names = self.table.lists
        graphs = model.graphs
        order = np.argsort(-weights, kind="stable")
        top_models = []
        for i in order[:5]:
            post = _Posterior(model.cells, (graphs[i],), model.delta, model.log_prior)
            median = _quantile(grid, post.joint(grid)[1], 0.5) + int(model.cells.sum())
            top_models.append(
                {
                    "model": graphs[i].describe(names),
                    "weight": float(weights[i]),
                    "median": median,
                }
            )
        return {
            "top_model": graphs[order[0]].describe(names),
            "top_model_probability": float(weights[order[0]]),
            "top_models": top_models,
            "model_weights": {
                graphs[i].describe(names): float(weights[i]) for i in order
            },
            "n_models": len(graphs),
        }

    def _settings(self, delta: float, grid: NDArray[np.int64]) -> dict[str, Any]:
        return {
            "lists": list(self.table.lists),
            "delta": delta,
            "prior": self.prior if isinstance(self.prior, str) else list(self.prior),
            "nmax": int(grid[-1]),
            "step": _step_of(grid),
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class _Posterior:
    """The data, graphs and priors; :meth:`joint` evaluates them on a grid."""

    cells: Array
    graphs: tuple[DecomposableGraph, ...]
    delta: float
    log_prior: Callable[[Array], Array]

    def joint(self, grid: NDArray[np.int64]) -> tuple[Array, Array]:
        """Posterior model weights and posterior of N0 on ``grid`` (chunked)."""
        n = float(self.cells.sum())
        design = _design(self.graphs, len(self.cells).bit_length() - 1)
        rows, cols, maxima = [], [], []
        for start in range(0, len(grid), _CHUNK):
            n0 = grid[start : start + _CHUNK].astype(np.float64)
            log_post = design @ _component_terms(self.cells, self.delta, n0)
            log_post += gammaln(n + n0 + 1) - gammaln(n0 + 1)
            log_post += self.log_prior(n + n0) - gammaln(self.cells + 1).sum()
            maxima.append(float(log_post.max()))
            weights = np.exp(log_post - maxima[-1])
            rows.append(weights.sum(axis=1))
            cols.append(weights.sum(axis=0))
        scale = np.exp(np.array(maxima) - max(maxima))
        model = np.sum([r * c for r, c in zip(rows, scale, strict=True)], axis=0)
        n0_post = np.concatenate([c * s for c, s in zip(cols, scale, strict=True)])
        total = float(n0_post.sum())
        return model / total, n0_post / total


def _cells(table: CaptureTable) -> Array:
    """Counts by cell index; list i is bit ``k - 1 - i``; cell 0 (unseen) is 0."""
    k = len(table.lists)
    cells = np.zeros(2**k, dtype=np.float64)
    for pattern, count in table.counts.items():
        cells[int("".join(map(str, pattern)), 2)] = count
    return cells


def _mask(vertices: Sequence[int], k: int) -> int:
    return sum(1 << (k - 1 - v) for v in vertices)


def _design(graphs: Sequence[DecomposableGraph], k: int) -> Array:
    """+1 per clique and -1 per separator, over the ``2^k`` subsets of lists."""
    design = np.zeros((len(graphs), 2**k))
    for row, graph in enumerate(graphs):
        for clique in graph.cliques:
            design[row, _mask(clique, k)] += 1
        for sep in graph.separators:
            design[row, _mask(sep, k)] -= 1
    return design


def _component_terms(cells: Array, delta: float, n0: Array) -> Array:
    """Log Dirichlet-multinomial term of each subset's marginal table, per N0.

    Row ``s`` is ``lgamma(A) - lgamma(N + A) + sum_m [lgamma(y_m + a_s) -
    lgamma(a_s)]`` over the ``2^|s|`` cells ``m`` of the margin on subset ``s``,
    with ``a_s = delta 2^(k - |s|)``, ``A = delta 2^k``, and the unseen N0 added
    to the margin's all-zero cell. Row 0 (no lists) is 0.
    """
    size = len(cells)
    k = size.bit_length() - 1
    index = np.arange(size)
    total_alpha = delta * size
    norm = gammaln(total_alpha) - gammaln(cells.sum() + n0 + total_alpha)
    out = np.zeros((size, len(n0)))
    for subset in range(1, size):
        alpha = delta * 2.0 ** (k - bin(subset).count("1"))
        margin = np.bincount(index & subset, weights=cells, minlength=size)
        seen = margin[[m for m in range(1, size) if m & subset == m]]
        const = gammaln(seen + alpha).sum() - len(seen) * gammaln(alpha)
        zero_cell = gammaln(margin[0] + n0 + alpha) - gammaln(alpha)
        out[subset] = norm + const + zero_cell
    return out


def _grid(nmax: int, step: int | None) -> NDArray[np.int64]:
    if nmax < 1 or (step is not None and step < 1):
        raise EstimationError(
            f"dga: the N0 grid needs nmax >= 1 and step >= 1; got {nmax}, {step}"
        )
    spacing = step if step is not None else max(1, nmax // _GRID_POINTS)
    return np.arange(0, nmax + 1, spacing, dtype=np.int64)


def _step_of(grid: NDArray[np.int64]) -> int:
    return int(grid[1] - grid[0]) if len(grid) > 1 else 1


def _quantile(values: NDArray[np.int64], probs: Array, q: float) -> int:
    cdf = np.cumsum(probs)
    return int(values[min(int(np.searchsorted(cdf, q)), len(values) - 1)])


def _summaries(total: NDArray[np.int64], post: Array, conf: float) -> dict[str, Any]:
    tail = (1 - conf) / 2
    return {
        "mean": float(np.dot(total, post)),
        "median": float(_quantile(total, post, 0.5)),
        "mode": float(total[int(np.argmax(post))]),
        "lower": float(_quantile(total, post, tail)),
        "upper": float(_quantile(total, post, 1 - tail)),
    }


def _check_tail(
    post: Array, grid: NDArray[np.int64], diagnostics: dict[str, Any]
) -> None:
    last = post[grid > grid[-1] * 0.95].sum()
    if last > 0.01:
        warn_and_record(
            diagnostics,
            f"dga: {last:.1%} of the posterior lies in the last 5% of the grid "
            f"(N0 up to {grid[-1]:,}); raise nmax",
        )


def _grid_diagnostics(grid: NDArray[np.int64], post: Array, n: int) -> dict[str, Any]:
    return {
        "grid": {
            "start": int(grid[0]),
            "stop": int(grid[-1]),
            "step": _step_of(grid),
            "points": len(grid),
        },
        "posterior": _thin(grid + n, post),
        "tail_mass_upper_half": float(post[grid > grid[-1] / 2].sum()),
    }


def _thin(total: NDArray[np.int64], post: Array) -> dict[str, list[float]]:
    """The posterior on at most 2,000 bins: lowest N in each bin, and its mass."""
    width = max(1, math.ceil(len(total) / _PLOT_POINTS))
    starts = np.arange(0, len(total), width)
    return {
        "N": [float(v) for v in total[starts]],
        "probability": [float(v) for v in np.add.reduceat(post, starts)],
        "bin_width": [
            float(v)
            for v in np.diff(np.append(total[starts], total[-1] + _step_of(total)))
        ],
    }
