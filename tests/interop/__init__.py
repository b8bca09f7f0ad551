"""Tests of rightsledger.interop (Uwazi exports, followthemoney entities).

:func:`ledger_state` is what the bad-input tests compare before and after: the
raw bytes of a SQLite file, and on both backends every table's row count and a
hash of its content.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from rightsledger.ledger import Ledger
from rightsledger.store import Base, parse_url, sqlite_path


def ledger_state(ledger: Ledger) -> tuple[str | None, dict[str, tuple[int, str]]]:
    path = sqlite_path(parse_url(ledger.settings.database_url))
    raw = None if path is None else hashlib.sha256(path.read_bytes()).hexdigest()
    tables: dict[str, tuple[int, str]] = {}
    with ledger.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            tables[table.name] = (len(rows), digest)
    return raw, tables
