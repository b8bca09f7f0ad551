"""Checks that evidence refers only to things the ledger knows, before any write."""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import date

from ..domain import Observation, Origin, PersonRecord
from ..errors import InputError


def reference_problems(
    observations: Sequence[Observation],
    records: Sequence[PersonRecord],
    *,
    sources: Set[str],
    indicators: Set[str],
    facilities: Set[str],
    today: date,
    label: str = "evidence",
) -> list[InputError]:
    """Every unknown source, indicator or facility id, and every real observation
    dated after ``today``, each with its place. Simulated observations may lie in
    the future: a scenario plays out years that have not happened."""
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
        if o.origin is Origin.REAL and o.observed_on > today:
            problems.append(
                InputError(
                    f"dated {o.observed_on.isoformat()}, after today "
                    f"({today.isoformat()}); real evidence cannot come from the future",
                    file=label,
                    field=f"observations[{i}].observed_on",
                )
            )
    for i, r in enumerate(records):
        check(r.source_id, sources, f"records[{i}] ({r.record_id}).source_id", "source")
        check(
            r.facility_id,
            facilities,
            f"records[{i}] ({r.record_id}).facility_id",
            "facility",
        )
    return problems
