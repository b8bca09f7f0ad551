"""Linkage runs' models and scored pairs, and investigators' review decisions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .tables import LinkDecisionRow, LinkModelRow, LinkPairRow, Meta

BATCH = 10_000


def save_model(session: Session, run_id: str, sealed_model: str) -> None:
    session.add(LinkModelRow(run_id=run_id, model=sealed_model))
    session.flush()


def load_model(session: Session, run_id: str) -> str | None:
    row = session.get(LinkModelRow, run_id)
    return None if row is None else row.model


def save_pairs(
    session: Session,
    run_id: str,
    pairs: Iterator[tuple[str, str, float, float, dict[str, float]]],
) -> int:
    batch: list[dict[str, Any]] = []
    n = 0
    for left, right, weight, probability, weights in pairs:
        batch.append(
            {
                "run_id": run_id,
                "left": left,
                "right": right,
                "match_weight": weight,
                "probability": probability,
                "weights": weights,
            }
        )
        if len(batch) >= BATCH:
            session.execute(insert(LinkPairRow), batch)
            n += len(batch)
            batch = []
    if batch:
        session.execute(insert(LinkPairRow), batch)
        n += len(batch)
    return n


def load_pairs(
    session: Session, run_id: str
) -> list[tuple[str, str, float, float, dict[str, float]]]:
    query = (
        select(
            LinkPairRow.left,
            LinkPairRow.right,
            LinkPairRow.match_weight,
            LinkPairRow.probability,
            LinkPairRow.weights,
        )
        .where(LinkPairRow.run_id == run_id)
        .order_by(LinkPairRow.left, LinkPairRow.right)
    )
    return [tuple(r) for r in session.execute(query)]


#: ledger_meta key: decisions from this id on carry their note sealed.
NOTES_SEALED_FROM = "review_notes_sealed_from"


def note_context(decision_id: int) -> str:
    """What a review note's ciphertext is bound to: its decision's row."""
    return f"link-note:{decision_id}"


def add_decision(
    session: Session,
    *,
    left: str,
    right: str,
    accept: bool,
    at: datetime,
    by: str,
    seal: Callable[[str], str],
) -> int:
    """Append a decision; ``seal(context)`` returns the note's hex ciphertext
    bound to ``context`` (the new row's, known once the row has its id)."""
    a, b = sorted((left, right))
    row = LinkDecisionRow(left=a, right=b, accept=accept, decided_at=at, decided_by=by)
    row.note = ""
    session.add(row)
    session.flush()
    row.note_sealed = seal(note_context(row.id))
    session.flush()
    return row.id


def seal_legacy_notes(session: Session, seal: Callable[[str, str], str]) -> int:
    """Seal the notes written before notes were sealed (``seal(note, context)``
    returns the hex ciphertext), empty their clear column and drop the boundary:
    from then on every note must be sealed. Returns how many were sealed."""
    rows = session.scalars(
        select(LinkDecisionRow).where(LinkDecisionRow.note_sealed.is_(None))
    ).all()
    for row in rows:
        row.note_sealed = seal(row.note, note_context(row.id))
        row.note = ""
    session.execute(delete(Meta).where(Meta.key == NOTES_SEALED_FROM))
    session.flush()
    return len(rows)


def decisions(
    session: Session, pair: tuple[str, str] | None = None
) -> Sequence[LinkDecisionRow]:
    """Every decision, or those on one pair (ids in either order), oldest first
    (a later one on a pair supersedes)."""
    query = select(LinkDecisionRow).order_by(LinkDecisionRow.id)
    if pair is not None:
        a, b = sorted(pair)
        query = query.where(LinkDecisionRow.left == a, LinkDecisionRow.right == b)
    return list(session.scalars(query))
