"""Writing prepared rows: duplicate ids found batch by batch, the rest inserted
through the driver (``executemany`` on SQLite, ``COPY`` on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    LargeBinary,
    Table,
    bindparam,
    insert,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..errors import InputError
from .kinds import Context, Kind

#: Ids per ``IN (...)`` query (SQLite's default limit on variables is 999).
IN_CHUNK = 900

#: A problem as (message, row, field).
Problem = tuple[str, int | None, str | None]
#: A prepared row: its row number and its values in the table's column order.
Prepared = tuple[int, tuple[Any, ...]]


class Shape:
    """A built row (a dict) as a tuple in the table's column order, with the
    columns' bind processors (dates as text on SQLite, JSON, ...) applied as
    SQLAlchemy would, but once per cell rather than through its per-row
    parameter machinery. :meth:`row` is compiled for the table: one tuple
    display of the dict's values, each processed where its column says so."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        self.table = table
        self.dialect = dialect
        self.columns = [c.name for c in table.columns]
        self.id_at = self.columns.index("id")
        self.processors = {
            i: _faster(c.type, p)
            for i, c in enumerate(table.columns)
            if not isinstance(c.type, LargeBinary)  # bytes bind as they are
            and (p := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        self.row = _compiled_row(self.columns, self.processors)


def _compiled_row(
    columns: list[str], processors: dict[int, Callable[[Any], Any]]
) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """``lambda built: (built["id"], ..., process(built["day"]) or None, ...)``
    for these columns (a missing one raises KeyError, as a lookup would)."""
    env: dict[str, Any] = {}
    cells = []
    for i, name in enumerate(columns):
        if i in processors:
            env[f"process_{i}"] = processors[i]
            cells.append(
                f"None if (v{i} := built[{name!r}]) is None else process_{i}(v{i})"
            )
        else:
            cells.append(f"built[{name!r}]")
    code = "def row(built):\n    return (" + ", ".join(cells) + ",)"
    exec(code, env)  # noqa: S102 - our own code, from the table's column names
    row: Callable[[dict[str, Any]], tuple[Any, ...]] = env["row"]
    return row


_SAMPLE_DAYS = (date(1, 1, 1), date(999, 12, 31), date(1961, 4, 5), date(9999, 12, 31))


def _faster(kind: Any, process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``date.isoformat`` in place of the dialect's own text for dates, where the
    two agree on sample days (SQLite's YYYY-MM-DD): a C method in place of a
    Python function, for two columns of every person record."""
    plain_date = isinstance(kind, Date) and not isinstance(kind, DateTime)
    if plain_date and all(process(d) == d.isoformat() for d in _SAMPLE_DAYS):
        return date.isoformat
    return process


class Writer:
    """Finds duplicate ids in prepared batches and inserts the rest."""

    def __init__(
        self,
        session: Session,
        kind: Kind,
        ctx: Context,
        shape: Shape,
    ) -> None:
        self.session = session
        self.kind = kind
        self.ctx = ctx
        self.shape = shape
        self.added = 0
        self.skipped = 0
        self._known: Container[str] | None = (
            None if kind.known is None else kind.known(ctx)
        )
        self._lookups: dict[int, tuple[str, bool]] = {}
        statement = insert(shape.table)
        self._insert = str(
            statement.compile(dialect=shape.dialect, column_keys=shape.columns)
        )

    def write(self, prepared: list[Prepared]) -> list[Problem]:
        """Insert the rows whose ids are new; the duplicates, as problems."""
        if not prepared:
            return []
        at = self.shape.id_at
        found: list[Problem] = []
        stored = self._stored([v[at] for _, v in prepared])
        fresh = self._fresh(prepared, stored, found)
        if fresh:
            self._run(fresh)
            self.added += len(fresh)
        return found

    def _stored(self, ids: list[str]) -> dict[str, str | None]:
        """Which of ``ids`` the table holds (earlier batches included), with the
        import that wrote each where the table records it."""
        connection = self.session.connection()
        stored: dict[str, str | None] = {}
        for at in range(0, len(ids), IN_CHUNK):
            part = ids[at : at + IN_CHUNK]
            sql, positional = self._lookup(connection, len(part))
            args: Any = (
                tuple(part) if positional else {f"p{i}": v for i, v in enumerate(part)}
            )
            for found in connection.exec_driver_sql(sql, args):
                stored[found[0]] = found[1] if len(found) > 1 else None
        return stored

    def _lookup(self, connection: Connection, n: int) -> tuple[str, bool]:
        """SELECT id[, import_hash] ... WHERE id IN (n parameters), compiled once
        per n for the connection's dialect."""
        if n not in self._lookups:
            table = self.shape.table
            cols = [table.c.id]
            if "import_hash" in table.c:
                cols.append(table.c.import_hash)
            marks: list[Any] = [bindparam(f"p{i}") for i in range(n)]
            compiled = (
                select(*cols)
                .where(table.c.id.in_(marks))
                .compile(dialect=connection.dialect)
            )
            self._lookups[n] = (str(compiled), compiled.positional)
        return self._lookups[n]

    def _fresh(
        self,
        prepared: list[Prepared],
        stored: dict[str, str | None],
        found: list[Problem],
    ) -> list[tuple[Any, ...]]:
        kind, at = self.kind, self.shape.id_at
        fresh: list[tuple[Any, ...]] = []
        seen: dict[str, int] = {}
        for row, values in prepared:
            rid = values[at]
            if kind.id_field is None:  # content-addressed: a repeat is the same fact
                if rid in stored or rid in seen:
                    self.skipped += 1
                    continue
            elif rid in seen:  # worded as across batches: the same either way
                message = f"duplicate id {rid!r} (earlier in this file)"
                found.append((message, row, kind.id_field))
                continue
            elif rid in stored:
                message = f"duplicate id {rid!r} ({self._where(rid, stored[rid])})"
                found.append((message, row, kind.id_field))
                continue
            seen[rid] = row
            fresh.append(values)
        return fresh

    def _where(self, rid: str, import_hash: str | None) -> str:
        if import_hash is not None:
            mine = import_hash == self.ctx.import_hash
        else:
            mine = self._known is not None and rid not in self._known
        return "earlier in this file" if mine else "already in the ledger"

    def _run(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` through the driver.

        Raises:
            InputError: the database refused them (a check of ours missed it).
        """
        connection = self.session.connection()
        if self.shape.dialect.name == "postgresql":
            self._copy(connection, rows)
            return
        try:
            connection.exec_driver_sql(self._insert, rows)
        except DBAPIError as e:
            raise _refused(e.orig or e) from e

    def _copy(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        import psycopg  # only with PostgreSQL
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.shape.table.name),
            sql.SQL(", ").join(sql.Identifier(c) for c in self.shape.columns),
        )
        raw = cast(psycopg.Connection[Any], connection.connection.dbapi_connection)
        try:
            with raw.cursor() as cur, cur.copy(statement) as copy:
                for values in rows:
                    copy.write_row(values)
        except psycopg.Error as e:
            raise _refused(e) from e


def _refused(error: BaseException) -> InputError:
    reason = (str(error).strip().splitlines() or ["?"])[0]
    return InputError(f"the database refused a batch of rows: {reason}")
