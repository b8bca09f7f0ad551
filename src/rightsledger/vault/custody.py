"""The custody log's hash chain: each entry's hash covers the previous hash, the
actor, the action, the target, the time and the detail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class CustodyEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def utc_text(at: datetime) -> str:
    """The instant as UTC text; a naive datetime is taken as UTC (SQLite returns
    naive values), so the hash is the same on every database."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str,
    actor: str,
    action: str,
    target: str,
    at: datetime,
    detail: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, actor, action, target, utc_text(at), detail],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def chain_problems(entries: Iterable[CustodyEntry]) -> list[str]:
    """Check the chain; return one line per entry that was altered, inserted,
    removed or reordered (empty when intact)."""
    problems: list[str] = []
    prev, expected_seq = GENESIS, 1
    for e in entries:
        if e.seq != expected_seq:
            problems.append(
                f"entry {e.seq}: expected sequence {expected_seq} (gap or reorder)"
            )
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: does not follow the previous entry's hash")
        if (
            entry_hash(e.prev_hash, e.actor, e.action, e.target, e.at, e.detail)
            != e.hash
        ):
            problems.append(f"entry {e.seq}: content does not match its hash (altered)")
        prev, expected_seq = e.hash, e.seq + 1
    return problems
