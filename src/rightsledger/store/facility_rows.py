"""Observations about facilities, a page at a time, and how many each facility has.

These queries never load every observation: a page is ``LIMIT``/``OFFSET`` over
the observations of one facility, newest first, and the counts are one grouped
query. ``public_only`` keeps to the observations of public sources (a viewer's
view), by joining the sources table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..domain import Confidentiality
from .tables import ObservationRow, SourceRow

_Row = TypeVar("_Row", bound=tuple[Any, ...])


@dataclass(frozen=True, slots=True)
class FacilityObservation:
    """One observation about a facility, with what the page shows of its source."""

    id: str
    observed_on: date
    indicator_key: str
    stance: str
    credibility: int
    summary: str
    value: float | None
    origin: str
    source_id: str
    source_title: str
    source_kind: str
    source_reliability: str
    source_origin: str


def _public(query: Select[_Row], public_only: bool) -> Select[_Row]:
    """Restrict a query over observations joined to sources to public sources."""
    if public_only:
        return query.where(SourceRow.confidentiality == Confidentiality.PUBLIC.value)
    return query


def count_by_facility(session: Session, *, public_only: bool) -> dict[str, int]:
    """How many observations name each facility (facilities with none left out)."""
    query = (
        select(ObservationRow.facility_id, func.count())
        .join(SourceRow, SourceRow.id == ObservationRow.source_id)
        .where(ObservationRow.facility_id.is_not(None))
        .group_by(ObservationRow.facility_id)
    )
    rows = session.execute(_public(query, public_only)).all()
    return {str(fid): int(n) for fid, n in rows}


def count_for_facility(session: Session, facility_id: str, *, public_only: bool) -> int:
    """How many observations name ``facility_id``."""
    query = (
        select(func.count())
        .select_from(ObservationRow)
        .join(SourceRow, SourceRow.id == ObservationRow.source_id)
        .where(ObservationRow.facility_id == facility_id)
    )
    return int(session.execute(_public(query, public_only)).scalar_one())


def observation_page(
    session: Session,
    facility_id: str,
    *,
    public_only: bool,
    limit: int,
    offset: int,
) -> list[FacilityObservation]:
    """The observations naming ``facility_id``, newest first (ties by id)."""
    query = (
        select(
            ObservationRow.id,
            ObservationRow.observed_on,
            ObservationRow.indicator_key,
            ObservationRow.stance,
            ObservationRow.credibility,
            ObservationRow.summary,
            ObservationRow.value,
            ObservationRow.origin,
            SourceRow.id,
            SourceRow.title,
            SourceRow.kind,
            SourceRow.reliability,
            SourceRow.origin,
        )
        .join(SourceRow, SourceRow.id == ObservationRow.source_id)
        .where(ObservationRow.facility_id == facility_id)
        .order_by(ObservationRow.observed_on.desc(), ObservationRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        FacilityObservation(*row)
        for row in session.execute(_public(query, public_only)).all()
    ]
