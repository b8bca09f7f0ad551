"""Appending to and reading the custody log table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..vault.custody import GENESIS, CustodyEntry, entry_hash
from .tables import CustodyRow

#: Custody actions that change nothing a page derives from the ledger's data:
#: sign-ins, refusals, user administration, reads and job bookkeeping.
_DATA_NEUTRAL = frozenset(
    {
        "sign-in",
        "sign-out",
        "denied",
        "set-password",
        "set-language",
        "issue-token",
        "add-user",
        "change-user",
        "backup",
    }
)


def changes_data(action: str) -> bool:
    """Whether a custody action records a change of the ledger's data (evidence,
    runs, catalogue, decisions), as opposed to access and bookkeeping."""
    return action not in _DATA_NEUTRAL and not action.startswith(
        ("read-", "job-", "export")
    )


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    at: datetime,
    detail: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Append one entry inside the caller's transaction (so it lands with the write
    it records, or not at all)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE custody_log IN EXCLUSIVE MODE"))
    last = session.scalars(
        select(CustodyRow).order_by(CustodyRow.seq.desc()).limit(1)
    ).first()
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    body = detail or {}
    digest = entry_hash(prev, actor, action, target, at, body)
    session.add(
        CustodyRow(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target=target,
            detail=body,
            prev_hash=prev,
            hash=digest,
        )
    )
    session.flush()
    return CustodyEntry(seq, at, actor, action, target, body, prev, digest)


def entries(session: Session) -> Iterator[CustodyEntry]:
    for row in session.scalars(select(CustodyRow).order_by(CustodyRow.seq)):
        yield CustodyEntry(
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.target,
            row.detail,
            row.prev_hash,
            row.hash,
        )
