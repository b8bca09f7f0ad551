"""Throwaway ledgers for benchmarks: a SQLite file, or a fresh PostgreSQL schema
that is dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from rightsledger.config import Settings

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _admin(sql: str) -> None:
    engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@contextmanager
def bench_settings(kind: str) -> Iterator[Settings]:
    """Settings for an empty database of ``kind`` ("sqlite" or "postgres"), with
    its key file in a temporary folder; everything is removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'b.sqlite'}"
            yield Settings(database_url=url, actor="bench")
            return
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        _admin(f'CREATE SCHEMA "{schema}"')
        try:
            url = f"{PG}?options=-csearch_path%3D{schema}"
            yield Settings(database_url=url, key_file=folder / "b.key", actor="bench")
        finally:
            _admin(f'DROP SCHEMA "{schema}" CASCADE')
