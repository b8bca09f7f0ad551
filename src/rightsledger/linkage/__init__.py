"""Record linkage: which records on different lists are the same person.

The public surface is the :class:`LinkageBackend` protocol and its two
implementations: :class:`ExactKeyLinker` (exact name key and birth year) and
:class:`ProbabilisticLinker` (a Splink model with Korean name comparisons and
guarded clustering; Splink is imported only when a run starts). Review queue,
alternative clusterings and incremental linking work on its :class:`LinkResult`.
See ``docs/linkage.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rightsledger.domain import Clustering, PersonRecord

from .cluster import Decision, cluster_pairs
from .evaluate import bcubed_scores, pairwise_scores
from .exact import link_exact, person_id
from .probabilistic import LinkageConfig, ProbabilisticLinker, link_incremental
from .result import LinkModel, LinkResult, ScoredPair, ScoredPairs
from .review import alternative_clusterings, decisions_as_labels, review_queue

__all__ = [
    "Decision",
    "ExactKeyLinker",
    "LinkModel",
    "LinkResult",
    "LinkageBackend",
    "LinkageConfig",
    "ProbabilisticLinker",
    "ScoredPair",
    "ScoredPairs",
    "alternative_clusterings",
    "bcubed_scores",
    "cluster_pairs",
    "decisions_as_labels",
    "link_exact",
    "link_incremental",
    "pairwise_scores",
    "person_id",
    "review_queue",
]


@runtime_checkable
class LinkageBackend(Protocol):
    """Anything that groups person records into persons."""

    def link(self, records: Sequence[PersonRecord]) -> Clustering:
        """Cluster ``records``; every record id appears in the assignment."""
        ...


@dataclass(frozen=True, slots=True)
class ExactKeyLinker:
    """Linkage v1: equal name key and birth year, one record per list per person.

    Args:
        key: name canonicaliser, e.g. ``rightsledger.names.name_key``.
        birth_year_tolerance: allowed difference of birth years, in years.
    """

    key: Callable[[str], str]
    birth_year_tolerance: int = 0

    def link(self, records: Sequence[PersonRecord]) -> Clustering:
        """Cluster ``records`` with :func:`link_exact`."""
        return link_exact(
            records, self.key, birth_year_tolerance=self.birth_year_tolerance
        )
