"""Preparing rows, the pure and costly part of an import: parse each cell, check
the row, build its table row (encrypting and pseudonymising on the way) and shape
it as a tuple in the table's column order. It runs in the import's process or,
for a large file, in worker processes (see :mod:`._workers`), which also read
their own pieces of a CSV file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ._writer import Prepared, Problem, Shape
from .fields import blank
from .kinds import Context, Kind
from .readers import Chunk, Misaligned, Row, RowFile


class Adds(Protocol):
    def add(self, message: str, row: int | None, field: str | None) -> None: ...


class Found(list[Problem]):
    """Problems of one batch, as plain tuples (they cross process boundaries)."""

    def add(self, message: str, row: int | None, field: str | None) -> None:
        self.append((message, row, field))


def parse_cells(
    kind: Kind, raw: dict[str, Any], row: int, problems: Adds, check_names: bool
) -> tuple[dict[str, Any], bool]:
    """The values that parse, and whether every cell did. The reference for
    what :func:`cell_parser` compiles."""
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


def cell_parser(kind: Kind, columns: Sequence[str] | None) -> CellParser:
    """:func:`parse_cells` for one kind, compiled: one straight run of code per
    row with each field's parser bound by name, reading a dict (``columns``
    None) or a CSV row's list by position. It does exactly what
    :func:`parse_cells` does (a test compares the two on generated rows),
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


@dataclass(frozen=True, slots=True)
class RowsJob:
    """Rows to prepare, whether to check their field names, and the problems
    found while reading them."""

    rows: list[Row]
    check_names: bool
    early: list[Problem]


Job = RowsJob | Chunk


@dataclass(slots=True)
class Outcome:
    """A prepared job: rows ready to write, problems, how many rows were read,
    the problem that stopped the reading, and whether a CSV piece turned out to
    end inside a quoted field (then nothing else of it counts)."""

    prepared: list[Prepared] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)
    rows: int = 0
    fatal: Problem | None = None
    resume: tuple[int, int] | None = None  # set: a misaligned CSV piece


def handle(
    kind: Kind, ctx: Context, shape: Shape, source: RowFile, job: Job
) -> Outcome:
    """Read (a CSV piece) and prepare one job; here or in a worker."""
    if isinstance(job, RowsJob):
        found = Found(job.early)
        parser = cell_parser(kind, None)
        return prepare(kind, ctx, shape, job.rows, parser, job.check_names, found)
    if not job.data:  # a record too long to cut around: read on from here
        return Outcome(resume=(job.start, job.first_line))
    early = Found()
    source.on_problem = early.add
    try:
        rows, stop = source.chunk_rows(job)
    except Misaligned as e:
        return Outcome(resume=(e.start, e.first_line))
    parser = cell_parser(kind, job.columns)
    outcome = prepare(kind, ctx, shape, rows, parser, False, early)
    if stop is not None:
        outcome.fatal = (stop.message, stop.location[1], stop.location[2])
    return outcome


def prepare(
    kind: Kind,
    ctx: Context,
    shape: Shape,
    rows: Sequence[tuple[int, Any]],
    parse: CellParser,
    check_names: bool,
    found: Found,
) -> Outcome:
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
    return Outcome(prepared, found, len(rows))
