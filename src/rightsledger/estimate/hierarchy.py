"""Hierarchical log-linear models of the incomplete 2^k table, enumerated.

A hierarchical model keeps every main effect and a set of interaction terms that
is closed downwards: if it holds the term ``{1, 2, 3}`` it also holds ``{1, 2}``,
``{1, 3}`` and ``{2, 3}``. This is the model family that Rcapture's
``closedpMS.t(maxorder=...)`` searches with its default ``forced = 1:t`` (Baillargeon
and Rivest 2007); it counts 8 models for 3 lists up to pairs, 113 for 4 lists up to
3-way terms, 6,893 for 5 lists up to 4-way terms and 32,768 for 6 lists up to pairs.

A model is stored as a bit mask over the interaction terms of :func:`terms`
(bit ``i`` set = term ``i`` in the model), so millions of models fit in one
``numpy.uint64`` array.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from rightsledger.errors import EstimationError

__all__ = [
    "Term",
    "count_models",
    "describe",
    "hierarchical_models",
    "model_terms",
    "rcapture_name",
    "term_columns",
    "terms",
]

#: An interaction term: the 0-based indices of its lists, increasing.
Term = tuple[int, ...]

_MAX_TERMS = 63  # bits usable in a uint64 mask


def terms(k: int, max_order: int) -> list[Term]:
    """Interaction terms of order 2 to ``max_order``, by order then lexicographic."""
    _check(k, max_order)
    return [t for r in range(2, max_order + 1) for t in combinations(range(k), r)]


def _check(k: int, max_order: int) -> None:
    if k < 2:
        raise EstimationError(f"need at least two lists for a model search, got {k}")
    if not 1 <= max_order <= k - 1:
        raise EstimationError(
            f"max_order must be between 1 and {k - 1} (the number of lists less "
            f"one) for {k} lists, got {max_order}"
        )


def hierarchical_models(k: int, max_order: int) -> NDArray[np.uint64]:
    """Every hierarchical model with all main effects and terms up to ``max_order``.

    Args:
        k: number of lists.
        max_order: highest interaction order allowed (1 = main effects only).

    Returns:
        One bit mask per model over :func:`terms`; the independence model is 0.

    Raises:
        EstimationError: if ``max_order`` is out of range or there are more than 63
            interaction terms.
    """
    all_terms = terms(k, max_order)
    if len(all_terms) > _MAX_TERMS:
        raise EstimationError(
            f"{len(all_terms)} interaction terms for {k} lists up to order "
            f"{max_order}: too many models to enumerate; lower max_order"
        )
    index = {t: i for i, t in enumerate(all_terms)}
    masks = np.zeros(1, dtype=np.uint64)
    for i, term in enumerate(all_terms):
        bit = np.uint64(1) << np.uint64(i)
        required = np.uint64(0)
        for face in combinations(term, len(term) - 1):
            if len(face) >= 2:
                required |= np.uint64(1) << np.uint64(index[face])
        allowed = masks[(masks & required) == required]
        masks = np.concatenate([masks, allowed | bit])
    return masks


def count_models(k: int, max_order: int) -> int:
    """Number of models :func:`hierarchical_models` enumerates."""
    return int(hierarchical_models(k, max_order).size)


def model_terms(mask: int, all_terms: Sequence[Term]) -> list[Term]:
    """The interaction terms whose bits are set in ``mask``."""
    return [t for i, t in enumerate(all_terms) if (int(mask) >> i) & 1]


def _generators(k: int, model: Sequence[Term]) -> list[Term]:
    """Terms of the model not contained in a larger term (mains included)."""
    full = [(i,) for i in range(k)] + list(model)
    tops = [t for t in full if not any(set(t) < set(u) for u in full)]
    return sorted(tops, key=lambda t: (-len(t), t))


def rcapture_name(mask: int, all_terms: Sequence[Term], k: int) -> str:
    """Rcapture's model name, e.g. ``"[123,25,4]"`` (lists numbered from 1).

    Terms at the top of the hierarchy, highest order first, then in lexicographic
    order, as ``closedpMS.t`` prints them.
    """
    tops = _generators(k, model_terms(mask, all_terms))
    return "[" + ",".join("".join(str(i + 1) for i in t) for t in tops) + "]"


def describe(mask: int, all_terms: Sequence[Term], lists: Sequence[str]) -> str:
    """The model in list names, e.g. ``"[LA*NG*PF, NG*GP, GO]"``."""
    tops = _generators(len(lists), model_terms(mask, all_terms))
    return "[" + ", ".join("*".join(lists[i] for i in t) for t in tops) + "]"


def term_columns(
    patterns: NDArray[np.float64], all_terms: Sequence[Term]
) -> NDArray[np.float64]:
    """Design columns: intercept, one per list, then one product per term."""
    cols = [np.ones(len(patterns)), *patterns.T]
    cols += [np.prod(patterns[:, list(t)], axis=1) for t in all_terms]
    return np.column_stack(cols).astype(np.float64)
