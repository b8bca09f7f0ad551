"""Decomposable (chordal) graphs on k labelled vertices, with cliques and separators.

A decomposable graphical model for k lists is an undirected graph on the lists
with no chordless cycle of length four or more. Its maximal cliques can be put in
an order with the running-intersection property; the intersections of each clique
with the union of the earlier ones are the separators (Lauritzen 1996, ch. 2). The
model's marginal likelihood factorises over cliques and separators, which is what
Madigan & York (1997) average over.

There are 1, 2, 8, 61, 822 such graphs on 1 to 5 labelled vertices (OEIS A058862);
all are enumerated here by testing each of the ``2^(k(k-1)/2)`` graphs, which is
cheap for ``k <= 5`` (1,024 graphs).

Vertices are numbered ``0 .. k-1``. Separators that are empty (the graph has
several connected components) are left out: their factor in the marginal
likelihood is 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

from rightsledger.errors import EstimationError

__all__ = ["MAX_VERTICES", "DecomposableGraph", "decomposable_graphs", "is_chordal"]

#: Largest number of vertices (lists) enumerated; 6 would give 18,154 graphs.
MAX_VERTICES = 5

Edge = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DecomposableGraph:
    """One decomposable graph.

    Attributes:
        k: number of vertices.
        edges: sorted pairs ``(i, j)`` with ``i < j``.
        cliques: maximal cliques, each a sorted tuple, in running-intersection order.
        separators: the non-empty separators, each a sorted tuple (a multiset:
            the same separator can occur more than once).
    """

    k: int
    edges: tuple[Edge, ...]
    cliques: tuple[tuple[int, ...], ...]
    separators: tuple[tuple[int, ...], ...]

    def describe(self, names: tuple[str, ...] | None = None) -> str:
        """The cliques in brackets, sorted, e.g. ``[A,B][B,C]`` for A - B - C."""
        labels = names or tuple(str(i + 1) for i in range(self.k))
        return "".join(
            "[" + ",".join(labels[v] for v in clique) + "]"
            for clique in sorted(self.cliques)
        )


def _neighbours(k: int, edges: tuple[Edge, ...]) -> list[set[int]]:
    adj: list[set[int]] = [set() for _ in range(k)]
    for i, j in edges:
        adj[i].add(j)
        adj[j].add(i)
    return adj


def is_chordal(k: int, edges: tuple[Edge, ...]) -> bool:
    """Whether the graph has no chordless cycle of length 4 or more.

    Removes simplicial vertices (whose neighbours are all joined) one at a time;
    a graph is chordal exactly when this empties it (Fulkerson & Gross 1965).
    """
    adj = _neighbours(k, edges)
    left = set(range(k))
    while left:
        for v in sorted(left):
            nb = adj[v] & left
            if all(b in adj[a] for a, b in combinations(sorted(nb), 2)):
                left.remove(v)
                break
        else:
            return False
    return True


def _maximal_cliques(k: int, edges: tuple[Edge, ...]) -> list[tuple[int, ...]]:
    adj = _neighbours(k, edges)
    cliques = [
        subset
        for size in range(k, 0, -1)
        for subset in combinations(range(k), size)
        if all(b in adj[a] for a, b in combinations(subset, 2))
    ]
    return [c for c in cliques if not any(set(c) < set(other) for other in cliques)]


def _junction_order(
    cliques: list[tuple[int, ...]],
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
    """Order cliques by a maximum-weight spanning tree (Prim, weight = overlap).

    For a chordal graph such a tree is a junction tree, so each added clique's
    overlap with the tree so far is its separator.
    """
    order = [cliques[0]]
    rest = list(cliques[1:])
    separators: list[tuple[int, ...]] = []
    while rest:
        best = max(
            rest,
            key=lambda c: max(len(set(c) & set(o)) for o in order),
        )
        overlap = max((tuple(sorted(set(best) & set(o))) for o in order), key=len)
        rest.remove(best)
        order.append(best)
        if overlap:
            separators.append(overlap)
    return tuple(order), tuple(sorted(separators))


@cache
def decomposable_graphs(k: int) -> tuple[DecomposableGraph, ...]:
    """All decomposable graphs on ``k`` labelled vertices, sparsest first.

    Args:
        k: number of vertices, 1 to :data:`MAX_VERTICES`.

    Returns:
        The graphs, ordered by number of edges and then by edge set.

    Raises:
        EstimationError: if ``k`` is outside 1 to 5.

    Examples:
        >>> [len(decomposable_graphs(k)) for k in (3, 4, 5)]
        [8, 61, 822]
    """
    if not 1 <= k <= MAX_VERTICES:
        raise EstimationError(
            f"decomposable graphs are enumerated for 1 to {MAX_VERTICES} lists, not {k}"
        )
    pairs = list(combinations(range(k), 2))
    found = []
    for size in range(len(pairs) + 1):
        for edges in combinations(pairs, size):
            if is_chordal(k, edges):
                cliques, separators = _junction_order(_maximal_cliques(k, edges))
                found.append(DecomposableGraph(k, edges, cliques, separators))
    return tuple(found)
