"""The custody log's hash chain: each entry's hash covers the previous hash, the
actor, the action, the target, the time and the detail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
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
    """Check the chain; return one line per problem, naming the entries (empty
    when intact).

    An entry is *altered* when its content does not match its hash; an entry is
    *missing* when the chain does not bridge a gap in the numbers; *inserted* when
    the chain steps over it; two entries are *swapped* when each names the other
    as its predecessor. A break none of these explains is named as such. Entries
    are read once, in order, four at a time, so memory stays flat.
    """
    problems: list[str] = []
    explained: set[int] = set()  # positions whose break an earlier line explains
    for i, (two_back, before, e, after) in enumerate(_windows(entries)):
        if (
            entry_hash(e.prev_hash, e.actor, e.action, e.target, e.at, e.detail)
            != e.hash
        ):
            problems.append(f"entry {e.seq}: content does not match its hash (altered)")
        if e.prev_hash == _hash_of(before):
            want = 1 if before is None else before.seq + 1
            if e.seq != want:
                problems.append(
                    f"entry {e.seq}: numbered {e.seq} but follows {_name(before)} "
                    "in the chain (renumbered)"
                )
        elif i not in explained:
            problems.append(_break(i, (two_back, before, e, after), explained))
    return problems


_Window = tuple[
    CustodyEntry | None, CustodyEntry | None, CustodyEntry, CustodyEntry | None
]


def _windows(entries: Iterable[CustodyEntry]) -> Iterator[_Window]:
    """Each entry with the two before it and the one after it."""
    it = iter(entries)
    two_back: CustodyEntry | None = None
    before: CustodyEntry | None = None
    e = next(it, None)
    while e is not None:
        after = next(it, None)
        yield two_back, before, e, after
        two_back, before, e = before, e, after


def _hash_of(entry: CustodyEntry | None) -> str:
    return GENESIS if entry is None else entry.hash


def _name(entry: CustodyEntry | None) -> str:
    return "the start of the log" if entry is None else f"entry {entry.seq}"


def _break(i: int, window: _Window, explained: set[int]) -> str:
    """Explain why entry ``e`` does not follow the entry stored before it."""
    two_back, before, e, after = window
    expected = _hash_of(before)
    if after is not None and e.prev_hash == after.hash and after.prev_hash == expected:
        explained.update({i + 1, i + 2})
        return f"entries {e.seq} and {after.seq} are in the wrong order (swapped)"
    if after is not None and after.prev_hash == expected:
        explained.add(i + 1)
        return (
            f"entry {e.seq} is not part of the chain (inserted after {_name(before)})"
        )
    if before is not None and e.prev_hash == _hash_of(two_back):
        return (
            f"entry {before.seq} is not part of the chain (inserted after "
            f"{_name(two_back)})"
        )
    first = 1 if before is None else before.seq + 1
    if e.seq > first:
        gap = (
            f"entry {first} is"
            if e.seq == first + 1
            else f"entries {first}-{e.seq - 1} are"
        )
        return f"{gap} missing (removed): entry {e.seq} does not follow {_name(before)}"
    return (
        f"entry {e.seq}: does not follow {_name(before)} (an entry between them was "
        "removed, or one of them was replaced)"
    )
