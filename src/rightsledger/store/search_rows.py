"""Search queries: case-insensitive ``LIKE`` with a ``LIMIT``.

Each query stops at its first ``limit`` matches, so searching a million
observations reads rows until it has enough instead of loading them all. The
user's text is a literal: ``%`` and ``_`` in it are escaped. Nothing here reads
an identity: records are found by their pseudonym, never by a name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .tables import (
    FacilityRow,
    ObservationRow,
    PersonLinkRow,
    RecordRow,
    SourceRow,
)

Row = dict[str, Any]


def _like(column: Any, text: str, dialect: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case. SQLite's ``LIKE`` already
    ignores ASCII case (Hangul has none), and without ``lower()`` on every row
    a full scan of a million summaries takes half the time; PostgreSQL gets
    ``ILIKE``."""
    found: ColumnElement[bool]
    if dialect == "sqlite":
        found = column.contains(text, autoescape=True)
    else:
        found = column.icontains(text, autoescape=True)
    return found


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def sources(session: Session, text: str, *, limit: int, public_only: bool) -> list[Row]:
    """Sources whose id, title, owner or citation contains ``text``."""
    d = _dialect(session)
    query = select(
        SourceRow.id,
        SourceRow.title,
        SourceRow.kind,
        SourceRow.reliability,
        SourceRow.confidentiality,
        SourceRow.origin,
    ).where(
        or_(
            *(
                _like(c, text, d)
                for c in (
                    SourceRow.id,
                    SourceRow.title,
                    SourceRow.owner,
                    SourceRow.citation,
                )
            )
        )
    )
    if public_only:
        query = query.where(SourceRow.confidentiality == "public")
    rows = session.execute(query.order_by(SourceRow.id).limit(limit))
    return [
        {
            "id": sid,
            "title": title,
            "kind": kind,
            "reliability": grade,
            "confidentiality": conf,
            "simulated": origin == "simulated",
        }
        for sid, title, kind, grade, conf, origin in rows
    ]


def observations(session: Session, text: str, *, limit: int) -> list[Row]:
    """Observations whose summary contains ``text`` (the first ``limit``)."""
    d = _dialect(session)
    query = (
        select(
            ObservationRow.id,
            ObservationRow.source_id,
            ObservationRow.indicator_key,
            ObservationRow.observed_on,
            ObservationRow.stance,
            ObservationRow.summary,
            ObservationRow.origin,
        )
        .where(_like(ObservationRow.summary, text, d))
        .limit(limit)
    )
    return [
        {
            "id": oid,
            "source_id": src,
            "indicator_key": key,
            "observed_on": on.isoformat(),
            "stance": stance,
            "summary": summary,
            "simulated": origin == "simulated",
        }
        for oid, src, key, on, stance, summary, origin in session.execute(query)
    ]


def facilities(session: Session, text: str, *, limit: int) -> list[Row]:
    """Facilities whose id, name, location or operator contains ``text``."""
    d = _dialect(session)
    columns = (
        FacilityRow.id,
        FacilityRow.name,
        FacilityRow.location,
        FacilityRow.operator,
    )
    query = (
        select(FacilityRow.id, FacilityRow.name, FacilityRow.type, FacilityRow.location)
        .where(or_(*(_like(c, text, d) for c in columns)))
        .order_by(FacilityRow.id)
        .limit(limit)
    )
    return [
        {"id": fid, "name": name, "type": kind, "location": where}
        for fid, name, kind, where in session.execute(query)
    ]


def records_by_pseudonym(session: Session, text: str, *, limit: int) -> list[Row]:
    """Records whose pseudonym or record id contains ``text`` (no identity)."""
    d = _dialect(session)
    query = (
        select(
            RecordRow.id,
            RecordRow.pseudonym,
            RecordRow.source_id,
            RecordRow.fate,
            RecordRow.origin,
        )
        .where(or_(_like(RecordRow.pseudonym, text, d), _like(RecordRow.id, text, d)))
        .order_by(RecordRow.id)
        .limit(limit)
    )
    return [
        {
            "record_id": rid,
            "pseudonym": pseudonym,
            "source_id": src,
            "fate": fate,
            "simulated": origin == "simulated",
        }
        for rid, pseudonym, src, fate, origin in session.execute(query)
    ]


def persons(session: Session, run_id: str, text: str, *, limit: int) -> list[Row]:
    """Persons of a linkage run whose id contains ``text``, with their records."""
    d = _dialect(session)
    ids = list(
        session.scalars(
            select(PersonLinkRow.person_id)
            .where(PersonLinkRow.run_id == run_id)
            .where(_like(PersonLinkRow.person_id, text, d))
            .distinct()
            .order_by(PersonLinkRow.person_id)
            .limit(limit)
        )
    )
    if not ids:
        return []
    members: dict[str, list[str]] = {pid: [] for pid in ids}
    query = select(PersonLinkRow.person_id, PersonLinkRow.record_id).where(
        PersonLinkRow.run_id == run_id, PersonLinkRow.person_id.in_(ids)
    )
    for pid, rid in session.execute(query):
        members[pid].append(rid)
    return [{"person_id": pid, "records": sorted(members[pid])} for pid in ids]
