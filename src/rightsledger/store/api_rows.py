"""Queries behind the JSON API: pages of observations and persons by keyset, and
the small public tables (facilities, stored agreements, a stored link decision).

Pages are read by keyset (``WHERE (observed_on, id) > (:day, :id) ORDER BY
observed_on, id LIMIT n``), so page 1,000 of a million observations costs what
page 1 does. Nothing here decrypts: person pages carry record pseudonyms and
source ids only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, select, tuple_
from sqlalchemy.orm import Session

from .tables import (
    AgreementRow,
    FacilityRow,
    IndicatorRow,
    ObservationRow,
    PersonLinkRow,
    RecordRow,
    SourceRow,
)

#: The columns of an observation as the API shows it, in this order.
OBSERVATION_COLUMNS = (
    ObservationRow.id,
    ObservationRow.source_id,
    ObservationRow.indicator_key,
    IndicatorRow.benchmark_id,
    ObservationRow.facility_id,
    ObservationRow.observed_on,
    ObservationRow.stance,
    ObservationRow.credibility,
    ObservationRow.summary,
    ObservationRow.value,
    ObservationRow.status,
    ObservationRow.origin,
)


@dataclass(frozen=True, slots=True)
class ObservationFilter:
    """Which observations a page is drawn from (None: no condition)."""

    public_only: bool
    benchmark: str | None = None
    facility: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None


def _conditions(flt: ObservationFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.public_only:
        # A correlated EXISTS, not IN: the planner then keeps walking the
        # observations in page order instead of sorting every public one.
        public = (
            select(SourceRow.id)
            .where(SourceRow.id == ObservationRow.source_id)
            .where(SourceRow.confidentiality == "public")
        )
        where.append(public.exists())
    if flt.benchmark is not None:
        where.append(IndicatorRow.benchmark_id == flt.benchmark)
    if flt.facility is not None:
        where.append(ObservationRow.facility_id == flt.facility)
    if flt.source is not None:
        where.append(ObservationRow.source_id == flt.source)
    if flt.since is not None:
        where.append(ObservationRow.observed_on >= flt.since)
    if flt.until is not None:
        where.append(ObservationRow.observed_on <= flt.until)
    return where


def observation_page(
    session: Session,
    flt: ObservationFilter,
    *,
    after: tuple[date, str] | None,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """Up to ``limit`` observations in (observed_on, id) order, after the keyset
    ``after`` or skipping ``offset`` rows; each a tuple of
    :data:`OBSERVATION_COLUMNS`."""
    query: Select[Any] = (
        select(*OBSERVATION_COLUMNS)
        .join(IndicatorRow, IndicatorRow.key == ObservationRow.indicator_key)
        .where(*_conditions(flt))
        .order_by(ObservationRow.observed_on, ObservationRow.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(
            tuple_(ObservationRow.observed_on, ObservationRow.id)
            > tuple_(literal(after[0]), literal(after[1]))
        )
    if offset:
        query = query.offset(offset)
    return [tuple(row) for row in session.execute(query)]


def person_page(
    session: Session, run_id: str, *, after: str | None, limit: int
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Up to ``limit`` persons of a linkage run in person-id order, after the
    person id ``after``; each with its records' (pseudonym, source id)."""
    ids_query = (
        select(PersonLinkRow.person_id)
        .where(PersonLinkRow.run_id == run_id)
        .group_by(PersonLinkRow.person_id)
        .order_by(PersonLinkRow.person_id)
        .limit(limit)
    )
    if after is not None:
        ids_query = ids_query.where(PersonLinkRow.person_id > after)
    ids = list(session.scalars(ids_query))
    if not ids:
        return []
    members = session.execute(
        select(PersonLinkRow.person_id, RecordRow.pseudonym, RecordRow.source_id)
        .join(RecordRow, RecordRow.id == PersonLinkRow.record_id)
        .where(PersonLinkRow.run_id == run_id, PersonLinkRow.person_id.in_(ids))
        .order_by(PersonLinkRow.person_id, RecordRow.pseudonym)
    )
    grouped: dict[str, list[tuple[str, str]]] = {pid: [] for pid in ids}
    for pid, pseudonym, source_id in members:
        grouped[pid].append((pseudonym, source_id))
    return list(grouped.items())


def facilities(session: Session) -> Sequence[FacilityRow]:
    """Every facility (the catalogue's and imported ones), by id."""
    return list(session.scalars(select(FacilityRow).order_by(FacilityRow.id)))


def stored_agreements(session: Session) -> Sequence[AgreementRow]:
    """Agreements stored with evidence (e.g. a scenario's deal), by date and id."""
    query = select(AgreementRow).order_by(AgreementRow.signed_on, AgreementRow.id)
    return list(session.scalars(query))
