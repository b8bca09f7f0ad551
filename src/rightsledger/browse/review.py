"""The link review's history: every decision with who, when and why."""

from __future__ import annotations

from typing import Any

from ..ledger import Ledger


def recent_decisions(ledger: Ledger, *, limit: int = 100) -> list[dict[str, Any]]:
    """The latest ``limit`` review decisions, newest first, each marked
    ``superseded`` when a later decision on the same pair replaced it. Record
    ids only: no name is read.

    Raises:
        Forbidden: the user may not review links.
    """
    rows = [
        (d.id, d.left, d.right, d.accept, d.decided_at, d.decided_by, d.note)
        for d in ledger.review_history()
    ]
    latest: dict[tuple[str, str], int] = {}
    for row_id, left, right, *_rest in rows:
        latest[(left, right)] = row_id
    out = []
    for row_id, left, right, accept, at, by, note in reversed(rows[-limit:]):
        out.append(
            {
                "id": row_id,
                "left": left,
                "right": right,
                "accept": accept,
                "decided_at": at.isoformat(sep=" ", timespec="seconds"),
                "decided_by": by,
                "note": note or "",
                "superseded": latest[(left, right)] != row_id,
            }
        )
    return out
