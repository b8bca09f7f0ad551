"""Importing one file of one kind into the ledger, inside the caller's transaction.

Rows are read, parsed and checked one at a time and written in batches, so memory
stays flat however large the file. Every problem is collected with its file, row
and field; if there is any, the caller's transaction is rolled back and nothing
lands. Ids are checked against the ledger and against earlier rows of the same
file batch by batch (a query per batch, not a set of every id seen), which is what
keeps memory independent of file size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..errors import InputError, InputErrors
from .fields import blank
from .kinds import Context, Kind
from .readers import Row, RowFile

BATCH = 5_000
#: Problems listed one by one before the rest are only counted.
MAX_LISTED = 200

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
    kind: Kind, raw: dict[str, Any], row: int, problems: _Problems
) -> dict[str, Any] | None:
    """Typed values of one row, or None after recording its problems."""
    out: dict[str, Any] = {}
    ok = True
    for spec in kind.fields:
        value = raw.get(spec.name)
        if blank(value):
            if spec.required:
                problems.add("required value is empty", row, spec.name)
                ok = False
            continue
        try:
            out[spec.name] = spec.parse(value)
        except ValueError as e:
            problems.add(str(e), row, spec.name)
            ok = False
    for name in raw:
        if name not in kind.names:
            problems.add(f"unknown field for {kind.name}", row, name)
            ok = False
    return out if ok else None


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
    batch: list[tuple[int, dict[str, Any]]] = []
    counts = {"rows": 0, "added": 0, "skipped": 0}
    checked_columns = False
    for row, raw in rows if rows is not None else source.rows():
        if not checked_columns and source.columns is not None:
            check_columns(kind, source.columns, source.path.name)
        checked_columns = True
        counts["rows"] += 1
        values = parse_row(kind, raw, row, problems)
        if values is None:
            continue
        for field, message in kind.check(values, ctx):
            problems.add(message, row, field)
            values = None
        if values is not None:
            batch.append((row, kind.build(values, ctx)))
        if len(batch) >= BATCH:
            _flush(session, kind, batch, problems, counts, ctx)
            if progress is not None:
                progress(source.consumed, source.size)
    if counts["rows"] == 0 and source.columns is not None:
        check_columns(kind, source.columns, source.path.name)
    _flush(session, kind, batch, problems, counts, ctx)
    if progress is not None:
        progress(source.consumed, source.size)
    if counts["rows"] == 0:
        problems.add("the file holds no rows", None, None)
    problems.raise_if_any(f"{source.path.name} ({kind.name})")
    return ImportSummary(
        kind.name,
        source.path.name,
        ctx.import_hash,
        counts["rows"],
        counts["added"],
        counts["skipped"],
    )


def _flush(
    session: Session,
    kind: Kind,
    batch: list[tuple[int, dict[str, Any]]],
    problems: _Problems,
    counts: dict[str, int],
    ctx: Context,
) -> None:
    if not batch:
        return
    table = kind.table
    key = table.c.id
    ids = [values["id"] for _, values in batch]
    stored: dict[str, str | None] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk : chunk + 900]
        has_hash = "import_hash" in table.c
        cols = [key, table.c.import_hash] if has_hash else [key]
        for found in session.execute(select(*cols).where(key.in_(part))):
            stored[found[0]] = found[1] if has_hash else None
    fresh: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, values in batch:
        rid = values["id"]
        if kind.id_field is None:  # content-addressed: a repeat is the same fact
            if rid in stored or rid in seen:
                counts["skipped"] += 1
                continue
        elif rid in seen:
            problems.add(
                f"duplicate id {rid!r} (also row {seen[rid]})", row, kind.id_field
            )
            continue
        elif rid in stored:
            where = (
                "earlier in this file"
                if stored[rid] == ctx.import_hash
                else "already in the ledger"
            )
            problems.add(f"duplicate id {rid!r} ({where})", row, kind.id_field)
            continue
        seen[rid] = row
        fresh.append(values)
    if fresh and not problems.count:
        session.execute(insert(table), fresh)
        counts["added"] += len(fresh)
    batch.clear()
