"""A large import on SQLite sets its table's secondary indexes aside and builds
them at its end, inside its transaction: afterwards the schema is what it was,
the indexes hold every row, and a failed import leaves the file byte for byte
as it was. Small files, tables much larger than the file, and PostgreSQL keep
their indexes throughout."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rightsledger.intake import _indexes, importer

from . import ROWS, database_file, ledger_state, write_csv, write_rows
from .test_bad_input import rejected

HEADER = ["record_id", "source_id", "full_name", "birth_year", "seen_from"]
RECORD_INDEXES = [
    "ix_records_import_hash",
    "ix_records_pseudonym",
    "ix_records_source_id",
]


@pytest.fixture
def listed(ledger, tmp_path):
    ledger.import_file(
        write_rows(tmp_path, "sources", "csv", ROWS["sources"]), "sources"
    )
    return ledger


@pytest.fixture
def set_aside(monkeypatch) -> list[list[str]]:
    """The names of the indexes each import set aside."""
    seen: list[list[str]] = []
    original = importer.indexes_built_after

    @contextmanager
    def recording(*args: Any) -> Iterator[list[str]]:
        with original(*args) as names:
            seen.append(sorted(names))
            yield names

    monkeypatch.setattr(importer, "indexes_built_after", recording)
    return seen


def _records(path: Path, first: int, n: int, source: str = "t-list") -> Path:
    rows = [
        [f"r-{i}", source, f"Name {i}", "1950", ""] for i in range(first, first + n)
    ]
    return write_csv(path, HEADER, rows)


def _indexes_of(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'records' ORDER BY name"
        ).fetchall()
    conn.close()
    return found


def test_a_large_import_builds_the_indexes_after_its_rows(
    listed, tmp_path, monkeypatch, set_aside
):
    monkeypatch.setattr(_indexes, "REBUILD_MIN_ROWS", 10)
    db = database_file(listed)
    before = None if db is None else _indexes_of(db)
    summary = listed.import_file(_records(tmp_path / "r.csv", 0, 3_000), "records")
    assert summary.added == 3_000
    if db is None:  # PostgreSQL: left alone
        assert set_aside == [[]]
        return
    assert set_aside == [RECORD_INDEXES]
    assert _indexes_of(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        pseudonym, rid = conn.execute(
            "SELECT pseudonym, id FROM records WHERE id = 'r-2999'"
        ).fetchone()
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM records WHERE pseudonym = ?",
            (pseudonym,),
        ).fetchall()
        assert "ix_records_pseudonym" in str(plan)
        by_index = conn.execute(
            "SELECT id FROM records WHERE pseudonym = ?", (pseudonym,)
        ).fetchall()
        assert by_index == [(rid,)]
        counts = [
            conn.execute(sql).fetchone()
            for sql in (
                "SELECT count(*) FROM records INDEXED BY ix_records_source_id",
                "SELECT count(*) FROM records INDEXED BY ix_records_import_hash",
            )
        ]
        assert counts == [(3_000,), (3_000,)]
    conn.close()


def test_a_failed_import_with_its_indexes_set_aside_changes_nothing(
    listed, tmp_path, monkeypatch, set_aside
):
    monkeypatch.setattr(_indexes, "REBUILD_MIN_ROWS", 10)
    path = _records(tmp_path / "r.csv", 0, 3_000)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("r-last,no-such-list,Z,,\n")
    before = ledger_state(listed)
    rejected(listed, path, "records")
    assert ledger_state(listed) == before
    if database_file(listed) is not None:
        assert set_aside == [RECORD_INDEXES]


def test_small_files_and_much_larger_tables_keep_their_indexes(
    listed, tmp_path, monkeypatch, set_aside
):
    listed.import_file(_records(tmp_path / "a.csv", 0, 3_000), "records")
    assert set_aside == [[]]  # below the default size
    monkeypatch.setattr(_indexes, "REBUILD_MIN_ROWS", 1)
    small = _records(tmp_path / "b.csv", 3_000, 20)  # ~6 rows by its size
    listed.import_file(small, "records")
    assert set_aside == [[], []]  # the table holds far more than 4 times that
    # ~1,700 rows by its size: the table's 3,020 are less than 4 times that
    listed.import_file(_records(tmp_path / "c.csv", 4_000, 5_000), "records")
    expected = [] if database_file(listed) is None else RECORD_INDEXES
    assert set_aside == [[], [], expected]
