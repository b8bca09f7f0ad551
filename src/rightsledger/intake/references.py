"""Checks that evidence refers only to things the ledger knows, before any write."""

from __future__ import annotations

from collections.abc import Sequence, Set

from ..domain import Observation, PersonRecord
from ..errors import InputError


def reference_problems(
    observations: Sequence[Observation],
    records: Sequence[PersonRecord],
    *,
    sources: Set[str],
    indicators: Set[str],
    facilities: Set[str],
    label: str = "evidence",
) -> list[InputError]:
    """Every unknown source, indicator or facility id, each with its place."""
    problems: list[InputError] = []

    def check(value: str | None, known: Set[str], where: str, what: str) -> None:
        if value is not None and value not in known:
            problems.append(
                InputError(f"unknown {what} {value!r}", file=label, field=where)
            )

    for i, o in enumerate(observations):
        check(o.source_id, sources, f"observations[{i}].source_id", "source")
        check(
            o.indicator_key, indicators, f"observations[{i}].indicator_key", "indicator"
        )
        check(o.facility_id, facilities, f"observations[{i}].facility_id", "facility")
    for i, r in enumerate(records):
        check(r.source_id, sources, f"records[{i}] ({r.record_id}).source_id", "source")
        check(
            r.facility_id,
            facilities,
            f"records[{i}] ({r.record_id}).facility_id",
            "facility",
        )
    return problems
