"""Importing one file of one kind into the ledger, inside the caller's transaction.

Rows are read, parsed and checked one at a time and written in batches, so memory
stays flat however large the file. Every problem is collected with its file, row
and field; if there is any, the caller's transaction is rolled back and nothing
lands. Ids are checked against the ledger and against earlier rows of the same
file batch by batch (a query per batch, not a set of every id seen), which is what
keeps memory independent of file size. Rows keep being written after a problem
(the transaction is rolled back in the end anyway), so that a duplicate of a
row in an earlier batch is still found.

The work is split in three steps per batch of rows: *read* (the file, the header
check), *prepare* (parse, check, encrypt, shape as the table's tuples: pure, and
most of the time) and *write* (this process: duplicate ids, ``executemany``
through the driver, ``COPY`` on PostgreSQL). For a large file on a machine with
several cores, worker processes forked for the import prepare the batches (see
:class:`_Pool`), and for CSV also read them: the file is cut into pieces at record
ends (:meth:`RowFile.csv_chunks`). Outcomes come back in file order, and rows and
problems alike are the same as without workers (tests/intake/test_parallel.py).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import queue
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.queues import Queue
from operator import itemgetter
from typing import Any, Protocol, cast

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

from ..errors import InputError, InputErrors
from .fields import blank
from .kinds import Context, Kind
from .readers import Chunk, Misaligned, Row, RowFile

BATCH = 5_000
#: Problems listed one by one before the rest are only counted.
MAX_LISTED = 200
#: Ids per ``IN (...)`` query (SQLite's default limit on variables is 999).
_IN_CHUNK = 900
#: Files from this size up are prepared by worker processes (when fork exists
#: and there is more than one core); 0 workers turns them off.
PARALLEL_MIN_BYTES = 4_000_000
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
WORKERS = min(_CORES, 4) if _CORES > 1 else 0
#: Workers run at a lower priority than the import's own process, which writes
#: every row and so sets the pace; they take the cores it leaves.
WORKER_NICENESS = 2

Progress = Callable[[int, int], None]
#: A problem as (message, row, field).
Problem = tuple[str, int | None, str | None]
#: A prepared row: its row number and its values in the table's column order.
Prepared = tuple[int, tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    kind: str
    file_name: str
    content_hash: str
    rows: int
    added: int
    skipped: int
    already_imported: bool = False


class _Adds(Protocol):
    def add(self, message: str, row: int | None, field: str | None) -> None: ...


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.listed: list[InputError] = []
        self.count = 0

    def add(self, message: str, row: int | None, field: str | None) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(
                InputError(message, file=self.file, row=row, field=field)
            )

    def merge(self, error: InputError) -> None:
        """Add a problem raised by a reader (or every problem of a group)."""
        for one in error.errors if isinstance(error, InputErrors) else [error]:
            self.count += 1
            if len(self.listed) < MAX_LISTED:
                self.listed.append(one)

    def raise_if_any(self, what: str) -> None:
        if not self.count:
            return
        errors = list(self.listed)
        if self.count > len(errors):
            errors.append(
                InputError(
                    f"... and {self.count - len(errors)} more problems not listed",
                    file=self.file,
                )
            )
        raise InputErrors(errors, what=what)


class _Found(list[Problem]):
    """Problems of one batch, as plain tuples (they cross process boundaries)."""

    def add(self, message: str, row: int | None, field: str | None) -> None:
        self.append((message, row, field))


def check_columns(kind: Kind, columns: Iterable[str], file: str) -> None:
    """Missing required columns and unknown columns, all at once (header row 1)."""
    given = list(columns)
    problems = [
        InputError("required column is missing", file=file, row=1, field=name)
        for name in kind.required
        if name not in given
    ]
    problems += [
        InputError(
            f"unknown column for {kind.name} (expected: "
            f"{', '.join(sorted(kind.names))})",
            file=file,
            row=1,
            field=name,
        )
        for name in given
        if name not in kind.names
    ]
    InputErrors.raise_if_any(problems, what=f"the columns of {file}")


def parse_row(
    kind: Kind,
    raw: dict[str, Any],
    row: int,
    problems: _Adds,
    *,
    check_names: bool = True,
) -> dict[str, Any] | None:
    """Typed values of one row, or None after recording its problems.

    ``check_names=False`` skips the check for unknown fields, for rows whose
    columns were checked once (a CSV header).
    """
    values, ok = _parse_cells(kind, raw, row, problems, check_names)
    return values if ok else None


def _parse_cells(
    kind: Kind, raw: dict[str, Any], row: int, problems: _Adds, check_names: bool
) -> tuple[dict[str, Any], bool]:
    """The values that parse, and whether every cell did. The reference for
    what :func:`_cell_parser` compiles."""
    out: dict[str, Any] = {}
    ok = True
    for name, parse, required in kind.plan:
        value = raw.get(name)
        if blank(value):
            if required:
                problems.add("required value is empty", row, name)
                ok = False
            continue
        try:
            out[name] = parse(value)
        except ValueError as e:
            problems.add(str(e), row, name)
            ok = False
    if check_names and not kind.names.issuperset(raw):
        for name in raw:
            if name not in kind.names:
                problems.add(f"unknown field for {kind.name}", row, str(name))
                ok = False
    return out, ok


CellParser = Callable[[Any, int, list[Problem]], tuple[dict[str, Any], bool]]
_PARSERS: dict[tuple[str, tuple[str, ...] | None], CellParser] = {}


def _cell_parser(kind: Kind, columns: Sequence[str] | None) -> CellParser:
    """:func:`_parse_cells` for one kind, compiled: one straight run of code per
    row with each field's parser bound by name, reading a dict (``columns``
    None) or a CSV row's list by position. It does exactly what
    :func:`_parse_cells` does (a test compares the two on generated rows),
    without the loop over the fields' tuples and the dict lookups that cost
    more than the parsing itself at a million rows."""
    key = (kind.name, None if columns is None else tuple(columns))
    if key in _PARSERS:
        return _PARSERS[key]
    env: dict[str, Any] = {}
    code = ["def parse(values, row, found):", "    out = {}", "    ok = True"]
    for i, (name, parse, required) in enumerate(kind.plan):
        if columns is None:
            read = f"values.get({name!r})"
        elif name in columns:
            read = f"values[{list(columns).index(name)}]"
        else:
            read = "None"
        env[f"parse_{i}"] = parse
        empty = (
            f"found.append(('required value is empty', row, {name!r})); ok = False"
            if required
            else "pass"
        )
        code += [
            f"    v = {read}",
            "    if v is None or (v.__class__ is str and (not v or v.isspace())):",
            f"        {empty}",
            "    else:",
            "        try:",
            f"            out[{name!r}] = parse_{i}(v)",
            "        except ValueError as e:",
            f"            found.append((str(e), row, {name!r})); ok = False",
        ]
    code.append("    return out, ok")
    exec("\n".join(code), env)  # noqa: S102 - our own code, from the kind's fields
    parser: CellParser = env["parse"]
    _PARSERS[key] = parser
    return parser


# -- the import ------------------------------------------------------------------
def import_rows(
    session: Session,
    kind: Kind,
    source: RowFile,
    ctx: Context,
    *,
    rows: Iterator[Row] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check and insert every row of ``source``; raise InputErrors on any problem.

    ``rows`` replaces ``source.rows()`` when a translation layer (an Uwazi
    mapping) sits between the file and the schema.
    """
    problems = _Problems(source.path.name)
    shape = _Shape(kind.table, session.get_bind().dialect)
    writer = _Writer(session, kind, ctx, shape)
    with _collector_paused(), _pool(kind, ctx, shape, source) as pool:
        run = _Run(kind, ctx, shape, source, writer, problems, progress, pool)
        run.all(rows)
    if run.error is not None:
        if isinstance(run.error, InputErrors) and not problems.count:
            raise run.error  # the header's, or a translation layer's, whole
        problems.merge(run.error)
    if run.count == 0 and not problems.count:
        problems.add("the file holds no rows", None, None)
    problems.raise_if_any(f"{source.path.name} ({kind.name})")
    return ImportSummary(
        kind.name,
        source.path.name,
        ctx.import_hash,
        run.count,
        writer.added,
        writer.skipped,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the loop. The loop makes millions of
    short-lived dicts and tuples without cycles (freed by reference counting),
    and each automatic collection would walk every object the process holds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class _RowsJob:
    """Rows to prepare, whether to check their field names, and the problems
    found while reading them."""

    rows: list[Row]
    check_names: bool
    early: list[Problem]


Job = _RowsJob | Chunk


@dataclass(slots=True)
class _Outcome:
    """A prepared job: rows ready to write, problems, how many rows were read,
    the problem that stopped the reading, and whether a CSV piece turned out to
    end inside a quoted field (then nothing else of it counts)."""

    prepared: list[Prepared] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)
    rows: int = 0
    fatal: Problem | None = None
    resume: tuple[int, int] | None = None  # set: a misaligned CSV piece


def _handle(
    kind: Kind, ctx: Context, shape: _Shape, source: RowFile, job: Job
) -> _Outcome:
    """Read (a CSV piece) and prepare one job; here or in a worker."""
    if isinstance(job, _RowsJob):
        found = _Found(job.early)
        parser = _cell_parser(kind, None)
        return _prepare(kind, ctx, shape, job.rows, parser, job.check_names, found)
    if not job.data:  # a record too long to cut around: read on from here
        return _Outcome(resume=(job.start, job.first_line))
    early = _Found()
    source.on_problem = early.add
    try:
        rows, stop = source.chunk_rows(job)
    except Misaligned as e:
        return _Outcome(resume=(e.start, e.first_line))
    parser = _cell_parser(kind, job.columns)
    outcome = _prepare(kind, ctx, shape, rows, parser, False, early)
    if stop is not None:
        outcome.fatal = (stop.message, stop.location[1], stop.location[2])
    return outcome


def _prepare(
    kind: Kind,
    ctx: Context,
    shape: _Shape,
    rows: Sequence[tuple[int, Any]],
    parse: CellParser,
    check_names: bool,
    found: _Found,
) -> _Outcome:
    """Parse, check and build rows (dicts, or CSV lists matching ``parse``):
    the pure, costly part of an import."""
    prepared: list[Prepared] = []
    check, build, shaped = kind.check, kind.build, shape.row
    required, names = kind.required, kind.names
    for row, raw in rows:
        values, ok = parse(raw, row, found)
        if check_names and not names.issuperset(raw):
            for name in raw:
                if name not in names:
                    found.append((f"unknown field for {kind.name}", row, str(name)))
                    ok = False
        if not ok and not all(name in values for name in required):
            continue  # the kind's checks need the required values
        wrong = check(values, ctx)  # also when an optional cell failed: all at once
        if wrong:
            for field_name, message in wrong:
                found.append((message, row, field_name))
        elif ok:
            prepared.append((row, shaped(build(values, ctx))))
    return _Outcome(prepared, found, len(rows))


class _Run:
    """The loop of one import: jobs out (to workers, or prepared here), outcomes
    back in file order, duplicates found and rows written. A reading error ends
    it (kept in :attr:`error`); the rows before it are still checked."""

    def __init__(
        self,
        kind: Kind,
        ctx: Context,
        shape: _Shape,
        source: RowFile,
        writer: _Writer,
        problems: _Problems,
        progress: Progress | None,
        pool: _Pool | None,
    ) -> None:
        self.kind, self.ctx, self.shape, self.source = kind, ctx, shape, source
        self.writer = writer
        self.problems = problems
        self.progress = progress
        self.pool = pool
        self.count = 0
        self.error: InputError | None = None
        self._early = _Found()

    def all(self, rows: Iterator[Row] | None) -> None:
        resume = None
        if self.pool is not None and rows is None and self.source.fmt == "csv":
            resume = self._drive(self._chunk_jobs())
            if resume is None:
                return
        self._drive(self._row_jobs(rows, resume))

    def _outcomes(self, jobs: Iterator[Job]) -> Iterator[_Outcome]:
        if self.pool is not None:
            return self.pool.ordered(jobs)
        k, c, sh, so = self.kind, self.ctx, self.shape, self.source
        return (_handle(k, c, sh, so, job) for job in jobs)

    def _drive(self, jobs: Iterator[Job]) -> tuple[int, int] | None:
        """Absorb every outcome; (offset, line) to read on from when a CSV piece
        was misaligned."""
        try:
            for out in self._outcomes(jobs):
                if out.resume is not None:
                    return out.resume
                self._absorb(out)
                if out.fatal is not None:
                    message, row, field_name = out.fatal
                    self.error = InputError(
                        message, file=self.source.path.name, row=row, field=field_name
                    )
                    return None
        except InputError as e:
            self.error = e
        return None

    def _absorb(self, out: _Outcome) -> None:
        self.count += out.rows
        found = out.found + self.writer.write(out.prepared)
        found.sort(key=lambda p: p[1] or 0)  # stable: a row's problems in field order
        for message, row, field_name in found:
            self.problems.add(message, row, field_name)
        if self.progress is not None:
            self.progress(self.source.consumed, self.source.size)

    def _chunk_jobs(self) -> Iterator[Job]:
        """A CSV file in pieces, for the workers to read; the header (read by
        :meth:`RowFile.csv_chunks` before the first piece) checked first."""
        source, checked = self.source, False
        for chunk in source.csv_chunks():
            if not checked:
                checked = True
                check_columns(self.kind, source.columns or [], source.path.name)
            yield chunk
        if not checked:
            check_columns(self.kind, source.columns or [], source.path.name)

    def _row_jobs(
        self, rows: Iterator[Row] | None, resume: tuple[int, int] | None
    ) -> Iterator[Job]:
        """Rows in batches, the header checked before the first; an error that
        stops the reading ends them and is kept in :attr:`error`."""
        source = self.source
        source.on_problem = lambda m, r, f: self._early.append((m, r, f))
        batch: list[Row] = []
        names = rows is not None or source.fmt != "csv"  # else: the header's check
        try:
            for item in self._read(rows, resume):
                batch.append(item)
                if len(batch) == BATCH:
                    yield _RowsJob(batch, names, self._early)
                    batch, self._early = [], _Found()
        except InputError as e:
            self.error = e
        if batch or self._early:
            yield _RowsJob(batch, names, self._early)

    def _read(
        self, rows: Iterator[Row] | None, resume: tuple[int, int] | None
    ) -> Iterator[Row]:
        source, kind = self.source, self.kind
        if rows is not None:
            yield from rows
            return
        if resume is not None:
            yield from source.rows(resume=resume)
            return
        checked = False
        for item in source.rows():
            if not checked:
                checked = True
                if source.columns is not None:
                    check_columns(kind, source.columns, source.path.name)
            yield item
        if not checked and source.columns is not None:
            check_columns(kind, source.columns, source.path.name)


@contextmanager
def _pool(
    kind: Kind,
    ctx: Context,
    shape: _Shape,
    source: RowFile,
) -> Iterator[_Pool | None]:
    """Worker processes for a large file, where fork exists; else None."""
    workers = WORKERS if "fork" in multiprocessing.get_all_start_methods() else 0
    path = source.path
    large = path.exists() and path.stat().st_size >= PARALLEL_MIN_BYTES
    if workers < 1 or not large:
        yield None
        return
    pool = _Pool(workers, kind, ctx, shape, source)
    try:
        yield pool
    finally:
        pool.close()


class _Pool:
    """Worker processes that read and prepare jobs, forked for one import.

    Forked, they share the import's context (the cipher included) without it
    ever being written to a pipe; only rows (or CSV pieces) go out and prepared
    tuples come back. Outcomes are taken back in the order the jobs were sent,
    at most two per worker in flight, so memory stays flat. A worker dies with
    the import's process (see :func:`_die_with_parent`).
    """

    def __init__(
        self, n: int, kind: Kind, ctx: Context, shape: _Shape, source: RowFile
    ) -> None:
        mp = multiprocessing.get_context("fork")
        self.jobs: Queue[tuple[int, Job] | None] = mp.Queue()
        self.results: Queue[tuple[int, Any]] = mp.Queue()
        self.procs = [
            mp.Process(
                target=_serve,
                args=(self.jobs, self.results, kind, ctx, shape, source, os.getpid()),
                daemon=True,
            )
            for _ in range(n)
        ]
        with warnings.catch_warnings():
            # Python 3.12 warns of fork() beside other threads (a progress bar's):
            # a worker only runs _serve, which takes none of their locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            for p in self.procs:
                p.start()

    def ordered(self, jobs: Iterator[Job]) -> Iterator[_Outcome]:
        sent = taken = 0
        done: dict[int, _Outcome] = {}
        try:
            for job in jobs:
                self.jobs.put((sent, job))
                sent += 1
                while sent - taken >= 2 * len(self.procs):
                    out = self._take(taken, done)
                    taken += 1
                    yield out
            while taken < sent:
                out = self._take(taken, done)
                taken += 1
                yield out
        finally:  # stopped early: collect what is in flight, so the pool is clean
            while taken < sent:
                with suppress(RuntimeError):
                    self._take(taken, done)
                taken += 1

    def _take(self, seq: int, done: dict[int, _Outcome]) -> _Outcome:
        while seq not in done:
            try:
                at, result = self.results.get(timeout=1.0)
            except queue.Empty:
                if not all(p.is_alive() for p in self.procs):
                    raise RuntimeError("an import worker process died") from None
                continue
            if isinstance(result, BaseException):
                raise result
            done[at] = result
        return done.pop(seq)

    def close(self) -> None:
        for _ in self.procs:
            self.jobs.put(None)
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
        for q in (self.jobs, self.results):
            q.cancel_join_thread()
            q.close()


def _serve(
    jobs: Queue[tuple[int, Job] | None],
    results: Queue[tuple[int, Any]],
    kind: Kind,
    ctx: Context,
    shape: _Shape,
    source: RowFile,
    parent: int,
) -> None:
    """A worker's loop: handle each job until told to stop or orphaned."""
    _die_with_parent(parent)
    with suppress(OSError):  # the writer, alone, sets the pace: let it go first
        os.nice(WORKER_NICENESS)
    results.cancel_join_thread()  # never block on exit if the parent is gone
    while True:
        try:
            job = jobs.get(timeout=0.5)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if job is None:
            return
        seq, work = job
        try:
            results.put((seq, _handle(kind, ctx, shape, source, work)))
        except Exception:  # noqa: BLE001 - raised again in the parent
            trace = traceback.format_exc()
            results.put((seq, RuntimeError(f"an import worker failed:\n{trace}")))


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this worker when the import's process dies, even while
    the worker waits inside a half-sent job (a pipe whose writing end it also
    holds never gives it an end of file). Elsewhere the worker's half-second
    poll of its parent is what ends it."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):  # no prctl: the poll remains
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(0)


_PR_SET_PDEATHSIG = 1


# -- writing ---------------------------------------------------------------------
class _Shape:
    """A built row (a dict) as a tuple in the table's column order, with the
    columns' bind processors (dates as text on SQLite, JSON, ...) applied as
    SQLAlchemy would, but once per cell rather than through its per-row
    parameter machinery."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        self.table = table
        self.dialect = dialect
        self.columns = [c.name for c in table.columns]
        self.id_at = self.columns.index("id")
        self._pick = itemgetter(*self.columns)
        self._processors = [
            (i, _faster(c.type, p))
            for i, c in enumerate(table.columns)
            if not isinstance(c.type, LargeBinary)  # bytes bind as they are
            and (p := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

    def row(self, built: dict[str, Any]) -> tuple[Any, ...]:
        values: tuple[Any, ...] = self._pick(built)
        if not self._processors:
            return values
        out = list(values)
        for i, process in self._processors:
            if out[i] is not None:
                out[i] = process(out[i])
        return tuple(out)


_SAMPLE_DAYS = (date(1, 1, 1), date(999, 12, 31), date(1961, 4, 5), date(9999, 12, 31))


def _faster(kind: Any, process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``date.isoformat`` in place of the dialect's own text for dates, where the
    two agree on sample days (SQLite's YYYY-MM-DD): a C method in place of a
    Python function, for two columns of every person record."""
    plain_date = isinstance(kind, Date) and not isinstance(kind, DateTime)
    if plain_date and all(process(d) == d.isoformat() for d in _SAMPLE_DAYS):
        return date.isoformat
    return process


class _Writer:
    """Finds duplicate ids in prepared batches and inserts the rest."""

    def __init__(
        self,
        session: Session,
        kind: Kind,
        ctx: Context,
        shape: _Shape,
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
        for at in range(0, len(ids), _IN_CHUNK):
            part = ids[at : at + _IN_CHUNK]
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
