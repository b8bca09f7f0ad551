"""Paged reads for the web pages: a page of rows and a count, never a whole table.

Person records are read here by pseudonym only: identities stay encrypted and
are decrypted solely by the ledger façade, which logs the read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .tables import AgreementRow, ObservationRow, RecordRow

Row = dict[str, Any]


def count_observations_of(session: Session, source_id: str) -> int:
    query = select(func.count()).where(ObservationRow.source_id == source_id)
    return int(session.scalar(query) or 0)


def observations_of(
    session: Session, source_id: str, *, offset: int, limit: int
) -> list[Row]:
    """One page of a source's observations, newest first."""
    query = (
        select(
            ObservationRow.id,
            ObservationRow.indicator_key,
            ObservationRow.facility_id,
            ObservationRow.observed_on,
            ObservationRow.stance,
            ObservationRow.credibility,
            ObservationRow.summary,
            ObservationRow.value,
            ObservationRow.origin,
        )
        .where(ObservationRow.source_id == source_id)
        .order_by(ObservationRow.observed_on.desc(), ObservationRow.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        {
            "id": oid,
            "indicator_key": key,
            "facility_id": fac,
            "observed_on": on.isoformat(),
            "stance": stance,
            "credibility": cred,
            "summary": summary,
            "value": value,
            "simulated": origin == "simulated",
        }
        for oid, key, fac, on, stance, cred, summary, value, origin in session.execute(
            query
        )
    ]


def count_records(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(RecordRow)) or 0)


def pseudonymous_records(session: Session, *, offset: int, limit: int) -> list[Row]:
    """One page of person records by id, with the pseudonym in place of a name
    and no birth year (the fields of ``Ledger.pseudonymous_records``)."""
    query = (
        select(
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
        )
        .order_by(RecordRow.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        {
            "record_id": rid,
            "source_id": src,
            "pseudonym": pseudonym,
            "sex": sex,
            "province": province,
            "facility_id": fac,
            "year_arrested": arrested,
            "seen_from": lo.isoformat() if lo else None,
            "seen_to": hi.isoformat() if hi else None,
            "fate": fate,
        }
        for rid, src, pseudonym, sex, province, fac, arrested, lo, hi, fate in (
            session.execute(query)
        )
    ]


def agreements(session: Session) -> list[Row]:
    """Every stored agreement (the catalogue's and those added as evidence, such
    as a simulated scenario's deal), by date."""
    query = select(
        AgreementRow.id,
        AgreementRow.title,
        AgreementRow.signed_on,
        AgreementRow.parties,
        AgreementRow.mentions_human_rights,
        AgreementRow.origin,
        AgreementRow.clauses,
    ).order_by(AgreementRow.signed_on, AgreementRow.id)
    return [
        {
            "id": aid,
            "title": title,
            "signed_on": on.isoformat(),
            "parties": list(parties or []),
            "mentions_human_rights": bool(hr),
            "simulated": origin == "simulated",
            "clauses": [
                {
                    "id": str(c.get("id", "")),
                    "text": str(c.get("text", "")),
                    "covers": [str(b) for b in c.get("covers") or []],
                    "note": str(c.get("note") or ""),
                }
                for c in clauses or []
                if isinstance(c, dict)
            ],
        }
        for aid, title, on, parties, hr, origin, clauses in session.execute(query)
    ]
