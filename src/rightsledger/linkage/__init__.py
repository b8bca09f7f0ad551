"""Record linkage: which records on different lists are the same person.

The public surface is the :class:`LinkageBackend` protocol and its first
implementation, :class:`ExactKeyLinker` (exact name key and birth year). A
probabilistic backend replaces it later behind the same protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rightsledger.domain import Clustering, PersonRecord

from .evaluate import pairwise_scores
from .exact import link_exact, person_id

__all__ = [
    "ExactKeyLinker",
    "LinkageBackend",
    "link_exact",
    "pairwise_scores",
    "person_id",
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
