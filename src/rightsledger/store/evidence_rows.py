"""Sources, observations and person records: rows <-> domain values.

Person records are stored with their identifying fields (full name, birth year)
encrypted; :func:`load_records` decrypts them only when a cipher is handed in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ..domain import (
    Confidentiality,
    Credibility,
    Observation,
    Origin,
    PersonRecord,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from ..domain.evidence import with_stored_id
from ..errors import NotFound
from ..vault.crypto import FieldCipher
from .tables import ObservationRow, RecordRow, SourceRow, TestimonyRow, WitnessRow


def upsert_sources(session: Session, sources: Iterable[Source]) -> int:
    n = 0
    for s in sources:
        session.merge(
            SourceRow(
                id=s.id,
                kind=s.kind.value,
                title=s.title,
                owner=s.owner,
                reliability=s.reliability.value,
                published_on=s.published_on,
                confidentiality=s.confidentiality.value,
                origin=s.origin.value,
                citation=s.citation,
            )
        )
        n += 1
    session.flush()
    return n


def load_sources(session: Session) -> dict[str, Source]:
    return {
        r.id: Source(
            id=r.id,
            kind=SourceKind(r.kind),
            title=r.title,
            owner=r.owner,
            reliability=Reliability(r.reliability),
            published_on=r.published_on,
            confidentiality=Confidentiality(r.confidentiality),
            origin=Origin(r.origin),
            citation=r.citation,
        )
        for r in session.scalars(select(SourceRow))
    }


def add_observations(
    session: Session, observations: Iterable[Observation], *, at: datetime, actor: str
) -> int:
    """Insert observations not already stored (ids are content hashes)."""
    existing = set(session.scalars(select(ObservationRow.id)))
    added = 0
    for o in observations:
        oid = o.id
        if oid in existing:
            continue
        existing.add(oid)
        session.add(
            ObservationRow(
                id=oid,
                source_id=o.source_id,
                indicator_key=o.indicator_key,
                facility_id=o.facility_id,
                observed_on=o.observed_on,
                stance=o.stance.value,
                credibility=int(o.credibility),
                summary=o.summary,
                value=o.value,
                status=o.status,
                origin=o.origin.value,
                recorded_at=at,
                recorded_by=actor,
            )
        )
        added += 1
    session.flush()
    return added


_OBSERVATION_COLUMNS = (
    ObservationRow.id,
    ObservationRow.source_id,
    ObservationRow.indicator_key,
    ObservationRow.observed_on,
    ObservationRow.stance,
    ObservationRow.credibility,
    ObservationRow.summary,
    ObservationRow.facility_id,
    ObservationRow.value,
    ObservationRow.status,
    ObservationRow.origin,
)


def load_observations(session: Session) -> list[Observation]:
    """Every observation, by date and id, carrying its stored id (content hash).

    Reads plain rows (no ORM instances) and shares repeated strings and enum
    members, so a million observations load in seconds.
    """
    return observations_where(session)


def observations_where(
    session: Session,
    *criteria: ColumnElement[bool],
    public_only: bool = False,
    ordered: bool = True,
) -> list[Observation]:
    """The observations meeting every one of ``criteria`` (SQL conditions on the
    observations table), read as :func:`load_observations` reads them all.

    Args:
        session: An open session.
        *criteria: Conditions on :class:`ObservationRow` columns; none: all rows.
        public_only: Only the observations of public sources (a viewer's view).
        ordered: By date and id (true), or in the order the database finds them
            (false: for a few rows found by a scan, which SQLite would otherwise
            make in date order through an index, a lookup per row).

    Returns:
        The observations, each carrying its stored id.
    """
    query = select(*_OBSERVATION_COLUMNS).where(*criteria)
    if public_only:
        query = query.join(SourceRow, SourceRow.id == ObservationRow.source_id).where(
            SourceRow.confidentiality == Confidentiality.PUBLIC.value
        )
    if ordered:
        query = query.order_by(ObservationRow.observed_on, ObservationRow.id)
    stances = {s.value: s for s in Stance}
    grades = {int(c): c for c in Credibility}
    origins = {o.value: o for o in Origin}
    shared: dict[str, str] = {}
    out = []
    conn = session.connection()  # Core rows, no ORM instances
    rows = conn.execution_options(yield_per=20_000).execute(query)
    for oid, src, key, on, stance, cred, summary, fac, value, status, origin in rows:
        obs = Observation(
            source_id=shared.setdefault(src, src),
            indicator_key=shared.setdefault(key, key),
            observed_on=on,
            stance=stances[stance],
            credibility=grades[cred],
            summary=summary,
            facility_id=fac if fac is None else shared.setdefault(fac, fac),
            value=value,
            status=status,
            origin=origins[origin],
        )
        out.append(with_stored_id(obs, oid))
    return out


def add_records(
    session: Session,
    records: Sequence[PersonRecord],
    cipher: FieldCipher,
    origin: Origin,
) -> int:
    existing = set(session.scalars(select(RecordRow.id)))
    added = 0
    for rec in records:
        if rec.record_id in existing:
            continue
        existing.add(rec.record_id)
        identity = {"full_name": rec.full_name, "birth_year": rec.birth_year}
        session.add(
            RecordRow(
                id=rec.record_id,
                source_id=rec.source_id,
                pseudonym=cipher.pseudonym(rec.record_id),
                identity=cipher.encrypt(identity, context=rec.record_id),
                sex=rec.sex,
                province=rec.province,
                facility_id=rec.facility_id,
                year_arrested=rec.year_arrested,
                seen_from=rec.seen_from,
                seen_to=rec.seen_to,
                fate=rec.fate,
                origin=origin.value,
            )
        )
        added += 1
    session.flush()
    return added


def load_records(
    session: Session, cipher: FieldCipher, ids: Collection[str] | None = None
) -> list[PersonRecord]:
    """Every record (or those of ``ids``) with its identity decrypted, by id
    (callers log the read)."""
    if ids is None:
        rows: Iterable[RecordRow] = session.scalars(
            select(RecordRow).order_by(RecordRow.id)
        )
    else:
        wanted = sorted(set(ids))
        rows = [
            r
            for start in range(0, len(wanted), 500)
            for r in session.scalars(
                select(RecordRow).where(RecordRow.id.in_(wanted[start : start + 500]))
            )
        ]
        rows = sorted(rows, key=lambda r: r.id)
    out = []
    for r in rows:
        ident = cipher.decrypt(r.identity, context=r.id)
        out.append(
            PersonRecord(
                record_id=r.id,
                source_id=r.source_id,
                full_name=ident["full_name"],
                sex=r.sex,
                birth_year=ident["birth_year"],
                province=r.province,
                facility_id=r.facility_id,
                year_arrested=r.year_arrested,
                seen_from=r.seen_from,
                seen_to=r.seen_to,
                fate=r.fate,
            )
        )
    return out


def load_pseudonymous_records(session: Session) -> list[PersonRecord]:
    """Every record with its pseudonym as the name and no birth year; nothing is
    decrypted."""
    query = select(
        RecordRow.id,
        RecordRow.source_id,
        RecordRow.pseudonym,
        RecordRow.sex,
        RecordRow.province,
        RecordRow.facility_id,
        RecordRow.year_arrested,
        RecordRow.seen_from,
        RecordRow.seen_to,
        RecordRow.fate,
    ).order_by(RecordRow.id)
    return [
        PersonRecord(
            record_id=rid,
            source_id=src,
            full_name=pseudonym,
            sex=sex,
            birth_year=None,
            province=province,
            facility_id=fac,
            year_arrested=arrested,
            seen_from=lo,
            seen_to=hi,
            fate=fate,
        )
        for rid, src, pseudonym, sex, province, fac, arrested, lo, hi, fate in (
            session.execute(query)
        )
    ]


def witness_ids(session: Session) -> set[str]:
    return set(session.scalars(select(WitnessRow.id)))


def load_witnesses(session: Session, cipher: FieldCipher) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for w in session.scalars(select(WitnessRow).order_by(WitnessRow.id)):
        identity = cipher.decrypt(w.identity, context=f"witness:{w.id}")
        out.append(
            {
                "witness_id": w.id,
                "pseudonym": w.pseudonym,
                "consent": w.consent,
                **identity,
            }
        )
    return out


def load_testimony(
    session: Session, cipher: FieldCipher, testimony_id: str
) -> dict[str, object]:
    row = session.get(TestimonyRow, testimony_id)
    if row is None:
        raise NotFound(f"no testimony {testimony_id!r}")
    return {
        "testimony_id": row.id,
        "source_id": row.source_id,
        "witness_id": row.witness_id,
        "recorded_on": row.recorded_on,
        "language": row.language,
        "text": cipher.decrypt_text(row.text, context=f"testimony:{row.id}"),
    }
