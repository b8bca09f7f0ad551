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
:mod:`._workers`), and for CSV also read them: the file is cut into pieces at record
ends (:meth:`RowFile.csv_chunks`). Outcomes come back in file order, and rows and
problems alike are the same as without workers (tests/intake/test_parallel.py).
A large import on SQLite builds its table's secondary indexes at its end
(:mod:`._indexes`).

The modules: :mod:`._prepare` (parse, check, build), :mod:`._workers` (the
processes), :mod:`._writer` (duplicates, inserts), :mod:`._indexes`; this one
drives them and keeps the names callers use.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..errors import InputError, InputErrors
from ._indexes import indexes_built_after as indexes_built_after
from ._prepare import Adds, Found, Job, Outcome, RowsJob, handle, parse_cells
from ._prepare import cell_parser as cell_parser
from ._workers import Pool
from ._writer import Shape, Writer
from .kinds import Context, Kind
from .readers import Row, RowFile

__all__ = [
    "BATCH",
    "MAX_LISTED",
    "PARALLEL_MIN_BYTES",
    "WORKERS",
    "ImportSummary",
    "Progress",
    "check_columns",
    "import_rows",
    "parse_row",
]

BATCH = 5_000
#: Problems listed one by one before the rest are only counted.
MAX_LISTED = 200
#: Files from this size up are prepared by worker processes (when fork exists
#: and there is more than one core); 0 workers turns them off.
PARALLEL_MIN_BYTES = 4_000_000
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
WORKERS = min(_CORES, 4) if _CORES > 1 else 0

_Found = Found  # the name tests/intake/test_fields.py imports
_parse_cells = parse_cells  # likewise

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    kind: str
    file_name: str
    content_hash: str
    rows: int
    added: int
    skipped: int
    already_imported: bool = False


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
    problems: Adds,
    *,
    check_names: bool = True,
) -> dict[str, Any] | None:
    """Typed values of one row, or None after recording its problems.

    ``check_names=False`` skips the check for unknown fields, for rows whose
    columns were checked once (a CSV header).
    """
    values, ok = parse_cells(kind, raw, row, problems, check_names)
    return values if ok else None


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
    shape = Shape(kind.table, session.get_bind().dialect)
    writer = Writer(session, kind, ctx, shape)
    size = source.path.stat().st_size if source.path.exists() else 0
    connection = session.connection()
    with (
        _collector_paused(),
        indexes_built_after(connection, kind.table.name, size),
        _pool(kind, ctx, shape, source) as pool,
    ):
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


class _Run:
    """The loop of one import: jobs out (to workers, or prepared here), outcomes
    back in file order, duplicates found and rows written. A reading error ends
    it (kept in :attr:`error`); the rows before it are still checked."""

    def __init__(
        self,
        kind: Kind,
        ctx: Context,
        shape: Shape,
        source: RowFile,
        writer: Writer,
        problems: _Problems,
        progress: Progress | None,
        pool: Pool | None,
    ) -> None:
        self.kind, self.ctx, self.shape, self.source = kind, ctx, shape, source
        self.writer = writer
        self.problems = problems
        self.progress = progress
        self.pool = pool
        self.count = 0
        self.error: InputError | None = None
        self._early = Found()

    def all(self, rows: Iterator[Row] | None) -> None:
        resume = None
        if self.pool is not None and rows is None and self.source.fmt == "csv":
            resume = self._drive(self._chunk_jobs())
            if resume is None:
                return
        self._drive(self._row_jobs(rows, resume))

    def _outcomes(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        if self.pool is not None:
            return self.pool.ordered(jobs)
        k, c, sh, so = self.kind, self.ctx, self.shape, self.source
        return (handle(k, c, sh, so, job) for job in jobs)

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

    def _absorb(self, out: Outcome) -> None:
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
                    yield RowsJob(batch, names, self._early)
                    batch, self._early = [], Found()
        except InputError as e:
            self.error = e
        if batch or self._early:
            yield RowsJob(batch, names, self._early)

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
    shape: Shape,
    source: RowFile,
) -> Iterator[Pool | None]:
    """Worker processes for a large file, where fork exists; else None."""
    workers = WORKERS if "fork" in multiprocessing.get_all_start_methods() else 0
    path = source.path
    large = path.exists() and path.stat().st_size >= PARALLEL_MIN_BYTES
    if workers < 1 or not large:
        yield None
        return
    pool = Pool(workers, kind, ctx, shape, source)
    try:
        yield pool
    finally:
        pool.close()
