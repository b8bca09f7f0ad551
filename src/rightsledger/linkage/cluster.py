"""Scored pairs -> persons: strongest links first, with guards (pure).

The rule, deterministic for a given set of scored pairs (so a run on the same
pairs always gives the same persons, whatever order they came in):

1. Accepted decisions are applied first, in sorted order: the two records are
   put together, unless that would join a rejected pair.
2. Pairs at or above the threshold are taken by descending match weight (ties
   by record ids). Two clusters merge unless the merge would put two records of
   the same list together (lists declared as repeating are exempt) or join a
   rejected pair. So a namesake on one list can never chain two people.
3. Person ids come from :func:`~rightsledger.linkage.exact.person_id`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .exact import person_id

__all__ = ["Decision", "cluster_pairs"]


@dataclass(frozen=True, slots=True)
class Decision:
    """An investigator's judgement on a pair (the ledger adds who and when)."""

    left: str
    right: str
    accept: bool

    @property
    def key(self) -> tuple[str, str]:
        """The pair in sorted order."""
        return (min(self.left, self.right), max(self.left, self.right))


class _Clusters:
    """Union-find over record ids, with each cluster's members and lists.

    Records that are never merged have no entries (a million singletons would
    otherwise cost a dict, a list and a set each): a record without a parent is
    a root, and a root without members is a cluster of itself.
    """

    def __init__(self, lists: Mapping[str, str], repeating: Collection[str]) -> None:
        self.source = lists
        self.repeating = repeating
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.lists: dict[str, set[str]] = {}
        self.banned: dict[str, set[str]] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while root in parent:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def _members(self, root: str) -> list[str]:
        return self.members.get(root) or [root]

    def _lists(self, root: str) -> set[str]:
        if root in self.lists:
            return self.lists[root]
        src = self.source[root]
        return set() if src in self.repeating else {src}

    def ban(self, a: str, b: str) -> None:
        self.banned.setdefault(a, set()).add(b)
        self.banned.setdefault(b, set()).add(a)

    def _rejected(self, ra: str, rb: str) -> bool:
        small, large = sorted((ra, rb), key=lambda r: len(self._members(r)))
        others = set(self._members(large))
        return any(self.banned.get(m, set()) & others for m in self._members(small))

    def merge(self, a: str, b: str, *, check_lists: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        lists_a, lists_b = self._lists(ra), self._lists(rb)
        if check_lists and lists_a & lists_b:
            return False
        if self.banned and self._rejected(ra, rb):
            return False
        members_a, members_b = self._members(ra), self._members(rb)
        if len(members_a) < len(members_b):
            ra, rb = rb, ra
            members_a, members_b = members_b, members_a
            lists_a, lists_b = lists_b, lists_a
        self.parent[rb] = ra
        self.members[ra] = members_a + members_b
        self.members.pop(rb, None)
        self.lists[ra] = lists_a | lists_b
        self.lists.pop(rb, None)
        return True

    def assignment(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for root in self.source:
            if root in self.parent:
                continue
            members = self._members(root)
            pid = person_id(members)
            for m in members:
                out[m] = pid
        return out


def cluster_pairs(
    lists: Mapping[str, str],
    left: Sequence[str],
    right: Sequence[str],
    match_weight: Sequence[float] | np.ndarray,
    probability: Sequence[float] | np.ndarray,
    *,
    threshold: float,
    repeating_lists: Collection[str] = (),
    decisions: Iterable[Decision] = (),
) -> dict[str, str]:
    """Cluster records from scored pairs.

    Args:
        lists: record id -> list (source) id, for every record to cluster.
        left, right, match_weight, probability: the scored pairs, in columns.
        threshold: least match probability for a link.
        repeating_lists: lists that may hold one person more than once.
        decisions: accepted pairs are forced together, rejected pairs are never
            in one person.

    Returns:
        Record id -> person id, for every record in ``lists``.
    """
    clusters = _Clusters(lists, set(repeating_lists))
    chosen: dict[tuple[str, str], Decision] = {}
    for d in decisions:
        if d.left in lists and d.right in lists:
            chosen[d.key] = d  # the latest decision on a pair wins
    for (a, b), d in sorted(chosen.items()):
        if not d.accept:
            clusters.ban(a, b)
    for (a, b), d in sorted(chosen.items()):
        if d.accept:
            clusters.merge(a, b, check_lists=False)
    weights = np.asarray(match_weight, dtype=np.float64)
    probs = np.asarray(probability, dtype=np.float64)
    candidates = np.flatnonzero(probs >= threshold)
    left_arr = np.asarray(left, dtype=str)
    right_arr = np.asarray(right, dtype=str)
    # Descending weight, ties by ids: numpy compares str by code point, as
    # Python does, and sorts about three times faster than a key function.
    keys = (right_arr[candidates], left_arr[candidates], -weights[candidates])
    for i in candidates[np.lexsort(keys)].tolist():
        clusters.merge(str(left_arr[i]), str(right_arr[i]), check_lists=True)
    return clusters.assignment()
