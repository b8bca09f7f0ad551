"""Does a log-linear model have a finite, identifiable estimate on this table?

The two checks of Chan, Silverman and Vincent (2021, JASA; arXiv 1902.05156), as
SparseMSE 2.0.1 applies them before it fits a model with pairwise terms:

1. **Extended maximum likelihood.** A pair of lists that share nobody (an
   *empty overlap*) has its interaction at minus infinity in the extended MLE:
   every cell that holds both lists is fitted at zero. The model is then fitted to
   the remaining cells without that term. Pairs that do overlap keep their column.
2. **Existence** (Fienberg and Rinaldo 2012, Ann. Statist. 40:996): with design
   ``A`` (parameters x remaining cells) and sufficient statistics ``t = A y``, the
   MLE exists if and only if ``t`` lies in the relative interior of the cone
   spanned by the columns of ``A``, i.e. some strictly positive table ``z`` has
   ``A z = t``. The linear program ``max s`` subject to ``A (w + s 1) = t``,
   ``w >= 0``, ``s >= 0`` has an optimum ``s* > 0`` exactly then.
3. **Identifiability:** the design restricted to the remaining cells has full
   column rank.

All cells of the 2^k - 1 observable patterns take part, zero counts included,
except those removed in step 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from rightsledger.errors import EstimationError

from . import _glm
from .histories import CaptureTable

__all__ = [
    "ModelCheck",
    "ReducedModel",
    "cell_counts",
    "check_model",
    "check_reduced",
    "describe",
    "failure_reason",
    "mle_exists",
    "pair_indices",
    "reduce",
]

_LP_TOL = 1e-7  # s* below this counts as zero (counts are integers, so s* is
# either 0 or a rational number far above rounding error)

IndexPair = tuple[int, int]
NDArrayBool = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """Outcome of the existence and identifiability checks for one model.

    Attributes:
        exists: the (extended) maximum likelihood estimate exists.
        identifiable: the design on the remaining cells has full column rank.
        reason: in words, naming the model; says why a check failed.
        empty_pairs: pairs of the model whose lists share nobody (fitted as
            extended MLE terms at minus infinity).
    """

    exists: bool
    identifiable: bool
    reason: str
    empty_pairs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Both checks pass."""
        return self.exists and self.identifiable


@dataclass(frozen=True, slots=True)
class ReducedModel:
    """A pairwise model laid out on the cells it is fitted to.

    Attributes:
        x: design (intercept, main effects, overlapping pairs), remaining cells.
        y: counts of the remaining cells.
        keep: mask over all 2^k - 1 patterns of the remaining cells.
        pairs: the model's pairs, in the order given.
        fitted_pairs: pairs with a column in ``x`` (non-empty overlap).
        empty_pairs: pairs with an empty overlap (cells removed).
    """

    x: _glm.Array
    y: _glm.Array
    keep: NDArrayBool
    pairs: tuple[IndexPair, ...]
    fitted_pairs: tuple[IndexPair, ...]
    empty_pairs: tuple[IndexPair, ...]


def pair_indices(
    lists: Sequence[str], pairs: Sequence[tuple[str, str]]
) -> tuple[IndexPair, ...]:
    """List-name pairs as sorted index pairs, in the order given, without repeats.

    Raises:
        EstimationError: a name is not a list, or a pair repeats one list.
    """
    out: list[IndexPair] = []
    for a, b in pairs:
        if a not in lists or b not in lists or a == b:
            raise EstimationError(
                f"interaction {a}:{b} is not a pair of {tuple(lists)}"
            )
        i, j = sorted((lists.index(a), lists.index(b)))
        if (i, j) not in out:
            out.append((i, j))
    return tuple(out)


def describe(lists: Sequence[str], pairs: Sequence[IndexPair]) -> str:
    """The model in words: ``main effects + A:B, B:C``."""
    if not pairs:
        return "main effects only"
    return "main effects + " + ", ".join(f"{lists[i]}:{lists[j]}" for i, j in pairs)


def reduce(
    patterns: _glm.Array, y: _glm.Array, pairs: Sequence[IndexPair]
) -> ReducedModel:
    """Drop the cells of empty-overlap pairs and build the design of the rest."""
    keep = np.ones(len(y), dtype=bool)
    fitted: list[IndexPair] = []
    empty: list[IndexPair] = []
    for i, j in pairs:
        both = (patterns[:, i] * patterns[:, j]) > 0
        if float(y[both].sum()) == 0.0:
            empty.append((i, j))
            keep &= ~both
        else:
            fitted.append((i, j))
    x = _glm.design(patterns[keep], fitted)
    return ReducedModel(x, y[keep], keep, tuple(pairs), tuple(fitted), tuple(empty))


def mle_exists(x: _glm.Array, y: _glm.Array) -> bool:
    """Fienberg-Rinaldo linear program: is ``x.T @ y`` in the cone's interior?"""
    if np.all(y > 0):
        return True  # the observed table itself is strictly positive
    a = x.T
    t = a @ y
    n_cells = a.shape[1]
    a_eq = np.column_stack([a, a.sum(axis=1)])
    cost = np.zeros(n_cells + 1)
    cost[-1] = -1.0
    res = linprog(cost, A_eq=a_eq, b_eq=t, bounds=(0, None), method="highs")
    if res.status != 0:  # infeasible cannot happen (w = y, s = 0 is feasible)
        return False
    return bool(-res.fun > _LP_TOL)


def check_reduced(model: ReducedModel) -> tuple[bool, bool]:
    """(exists, identifiable) for a model already laid out by :func:`reduce`."""
    rank = int(np.linalg.matrix_rank(model.x)) if model.x.size else 0
    identifiable = rank == model.x.shape[1]
    return mle_exists(model.x, model.y), identifiable


def check_model(table: CaptureTable, pairs: Sequence[tuple[str, str]]) -> ModelCheck:
    """Check that a model of main effects plus ``pairs`` has a usable estimate.

    Args:
        table: the capture table.
        pairs: list-name pairs whose interactions are in the model.

    Returns:
        The outcome of both checks, with a reason in words that names the model.

    Raises:
        EstimationError: a pair does not name two lists of the table.

    Examples:
        >>> t = CaptureTable(("A", "B", "C"), {(1, 1, 0): 6, (1, 0, 0): 40,
        ...     (0, 1, 0): 30, (0, 0, 1): 20})
        >>> check_model(t, [("A", "B")]).exists
        False
    """
    lists = table.lists
    idx = pair_indices(lists, pairs)
    patterns = _glm.observable_patterns(len(lists))
    y = cell_counts(table, patterns)
    model = reduce(patterns, y, idx)
    exists, identifiable = check_reduced(model)
    name = describe(lists, idx)
    empty = tuple(f"{lists[i]}:{lists[j]}" for i, j in model.empty_pairs)
    return ModelCheck(
        exists, identifiable, failure_reason(name, exists, identifiable), empty
    )


def failure_reason(name: str, exists: bool, identifiable: bool) -> str:
    problems = []
    if not exists:
        problems.append(
            "the maximum likelihood estimate does not exist (Fienberg-Rinaldo "
            "linear program: no strictly positive table has the observed margins), "
            "so the estimate of the unseen population is not finite"
        )
    if not identifiable:
        problems.append(
            "the model is not identifiable (its design on the cells left after "
            "removing empty overlaps is not of full rank)"
        )
    if not problems:
        return f"model '{name}' passes the existence and identifiability checks"
    return f"model '{name}': " + "; and ".join(problems)


def cell_counts(table: CaptureTable, patterns: _glm.Array) -> _glm.Array:
    """Counts of ``table`` in the order of ``patterns`` (zeros included)."""
    return np.array(
        [table.counts.get(tuple(int(v) for v in row), 0) for row in patterns],
        dtype=np.float64,
    )
