"""A large import on SQLite builds its table's secondary indexes once, at its end.

Kept up row by row, an index on a column of random values (a pseudonym) costs a
descent of its B-tree and, once the index outgrows SQLite's page cache, a page
read and write for every row: of the import process's time per record, more than
half. Built after the rows are in, the same index is one sort. So for a file that
is large next to the table, the table's own indexes (``CREATE INDEX``, not those
behind a primary key or a UNIQUE constraint, which guard against duplicates) are
dropped before the rows go in and created again, from the SQL SQLite stored for
them, after. Both happen inside the import's transaction: SQLite's schema changes
are transactional, so a rollback, or a process killed half way (its hot journal
is rolled back on the next open), leaves the ledger as it was, indexes and all.
Nothing in the import reads through these indexes (duplicate ids are looked up
by primary key), and other connections keep seeing the committed schema.

On PostgreSQL the table is left alone: ``DROP INDEX`` there would lock every
reader of the table out until the import commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

#: Files estimated to hold fewer rows than this keep their table's indexes.
REBUILD_MIN_ROWS = 20_000
#: A low guess of a row's size in a file, for the estimate (a person record of
#: the benchmark takes 86 bytes of CSV): guessing low errs towards rebuilding.
BYTES_PER_ROW = 100
#: Rebuild only when the table holds at most this many times the rows the file
#: brings: building an index is a sort of every row the table then holds.
REBUILD_RATIO = 4


@contextmanager
def indexes_built_after(
    connection: Connection, table: str, file_bytes: int
) -> Iterator[list[str]]:
    """Drop ``table``'s secondary indexes for the block when a file of
    ``file_bytes`` is large next to the table, and create them again after it.

    The indexes are created again when the block ends normally (also when it
    collected problems: the caller rolls back then). When it raises, they are
    not: the caller's transaction, which must then be rolled back, brings them
    back with everything else.

    Args:
        connection: the import's connection, inside its transaction.
        table: the table the rows go into.
        file_bytes: the size of the file being imported.

    Yields:
        The names of the indexes set aside (empty: nothing was done).
    """
    statements = _deferrable(connection, table, file_bytes // BYTES_PER_ROW)
    for name, _ in statements:
        connection.exec_driver_sql(f"DROP INDEX {_quoted(name)}")
    yield [name for name, _ in statements]
    for _, sql in statements:
        connection.exec_driver_sql(sql)


def _deferrable(
    connection: Connection, table: str, expected_rows: int
) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes worth building after the rows."""
    if connection.dialect.name != "sqlite" or expected_rows < REBUILD_MIN_ROWS:
        return []
    # the name of one of our own tables, quoted
    last = f"SELECT max(rowid) FROM {_quoted(table)}"  # noqa: S608
    held = connection.exec_driver_sql(last)
    if (held.scalar() or 0) > REBUILD_RATIO * expected_rows:
        return []
    listed = connection.exec_driver_sql(f"PRAGMA index_list({_quoted(table)})")
    # columns: seq, name, unique, origin ("c": CREATE INDEX), partial
    names = [row[1] for row in listed if row[3] == "c" and not row[2]]
    out: list[tuple[str, str]] = []
    for name in names:
        found = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).scalar()
        if found:
            out.append((name, str(found)))
    return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
