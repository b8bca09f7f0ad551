"""Linkage v1: records with the same name key and birth year are one person.

The rule, in order (records are first sorted by ``record_id`` so that the result
never depends on input order):

1. Records are grouped by ``key(full_name)``; nothing links across name keys.
2. Within a name key, records with a birth year are taken by (birth year, record
   id). Each joins the first existing cluster whose dated members are all within
   ``birth_year_tolerance`` years of it and that holds no record of the same list
   (``source_id``); otherwise it starts a new cluster. One record per list and
   cluster stops two namesakes on one list from chaining into one person; the
   record with the smaller id is the one that links.
3. Records without a birth year come next, by record id. Such a record joins a
   cluster of its name key only when exactly one cluster could take it (no record
   of its list there yet); with two or more candidates the match is ambiguous and
   it stays alone, rather than be guessed into someone else's history.

Person ids are ``"P-"`` plus the first 12 hex digits of the SHA-256 of the sorted
record ids of the cluster, so the same records always give the same id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rightsledger.domain import Clustering, PersonRecord

METHOD = "exact-key"

__all__ = ["METHOD", "link_exact", "person_id"]


@dataclass(slots=True)
class _Cluster:
    records: list[PersonRecord] = field(default_factory=list)

    @property
    def lists(self) -> set[str]:
        return {r.source_id for r in self.records}

    def accepts_year(self, year: int, tolerance: int) -> bool:
        years = [r.birth_year for r in self.records if r.birth_year is not None]
        return all(abs(year - y) <= tolerance for y in years)


def person_id(record_ids: Sequence[str]) -> str:
    """Deterministic person id from the ids of the records in a cluster.

    Args:
        record_ids: ids of the cluster's records, in any order.

    Returns:
        ``"P-"`` followed by 12 hex digits.
    """
    raw = "\n".join(sorted(record_ids)).encode()
    return "P-" + hashlib.sha256(raw).hexdigest()[:12]


def _cluster_name_group(
    records: Sequence[PersonRecord], tolerance: int
) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    dated = sorted(
        (r for r in records if r.birth_year is not None),
        key=lambda r: (r.birth_year, r.record_id),
    )
    for rec in dated:
        assert rec.birth_year is not None  # noqa: S101 - filtered just above
        home = next(
            (
                c
                for c in clusters
                if rec.source_id not in c.lists
                and c.accepts_year(rec.birth_year, tolerance)
            ),
            None,
        )
        if home is None:
            home = _Cluster()
            clusters.append(home)
        home.records.append(rec)
    undated = sorted(
        (r for r in records if r.birth_year is None), key=lambda r: r.record_id
    )
    for rec in undated:
        candidates = [c for c in clusters if rec.source_id not in c.lists]
        if len(candidates) == 1:
            candidates[0].records.append(rec)
        else:
            clusters.append(_Cluster([rec]))
    return clusters


def link_exact(
    records: Sequence[PersonRecord],
    key: Callable[[str], str],
    *,
    birth_year_tolerance: int = 0,
) -> Clustering:
    """Group records into persons by exact name key and birth year.

    Args:
        records: person-level records from one or more lists.
        key: canonicalises a full name (for example ``rightsledger.names.name_key``).
        birth_year_tolerance: largest difference in birth years, in years, between
            records of one person (0 = equal years only).

    Returns:
        A :class:`~rightsledger.domain.Clustering` whose ``assignment`` maps every
        record id to a person id, with the method and settings in ``parameters``.

    Raises:
        ValueError: if the tolerance is negative or a record id repeats.

    Examples:
        >>> link_exact([], str.lower).n_persons
        0
    """
    if birth_year_tolerance < 0:
        raise ValueError("birth_year_tolerance must be 0 or more")
    ids = [r.record_id for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("record ids must be unique")
    by_key: dict[str, list[PersonRecord]] = defaultdict(list)
    for rec in sorted(records, key=lambda r: r.record_id):
        by_key[key(rec.full_name)].append(rec)
    assignment: dict[str, str] = {}
    for name_key in sorted(by_key):
        for cluster in _cluster_name_group(by_key[name_key], birth_year_tolerance):
            pid = person_id([r.record_id for r in cluster.records])
            for rec in cluster.records:
                assignment[rec.record_id] = pid
    parameters = {
        "method": METHOD,
        "birth_year_tolerance": birth_year_tolerance,
        "key": getattr(key, "__qualname__", repr(key)),
        "one_record_per_list": True,
        "missing_birth_year": "joins only a single unambiguous cluster",
    }
    return Clustering(assignment=assignment, method=METHOD, parameters=parameters)
