"""Reading rows from CSV, JSON, JSON Lines and YAML files, streamed.

Every reader yields ``(row_number, values)`` pairs and counts the bytes it has
consumed, so an import can show progress and keep memory flat. Row numbers are
what a person sees: the line of a CSV row (the header is line 1), the position of
an item in a JSON array or YAML list (from 1), the line of a JSON Lines record.
Problems of the file itself (not UTF-8, truncated JSON, a field too large, an
empty file) become :class:`InputError` with the file and the row; a CSV row with
too many or too few fields is reported to ``on_problem`` when one is set (the
importer collects it with the others and reads on), else raised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import ijson
import yaml

from ..errors import InputError

#: Largest CSV field read at all, in characters: a guard on memory. Each field's
#: own limit (see kinds.py; the longest, a testimony, is 1,000,000) is smaller and
#: is reported with the field's name.
MAX_FIELD_CHARS = 4_000_000

FORMATS = ("csv", "json", "jsonl", "yaml")

#: Size of the pieces a CSV file is cut into for worker processes.
CHUNK_BYTES = 1 << 19
#: Longest stretch without a record end before pieces stop (a guard on memory).
MAX_CARRY = 64 << 20

Row = tuple[int, dict[str, Any]]
#: A CSV row as its line and its values in the header's order.
ListRow = tuple[int, list[str]]
#: Receives a row-level problem: message, row, field.
ProblemSink = Callable[[str, int | None, str | None], None]


def format_of(path: Path, given: str | None = None) -> str:
    """The file format, from ``given`` or the file's extension.

    Raises:
        InputError: the extension names no known format.
    """
    if given:
        return given
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"yml": "yaml", "ndjson": "jsonl", "tsv": "csv"}
    fmt = aliases.get(suffix, suffix)
    if fmt not in FORMATS:
        raise InputError(
            f"cannot tell the format from the extension {path.suffix!r}; use "
            f"--format with one of {', '.join(FORMATS)}",
            file=path.name,
        )
    return fmt


class _Peekable(Protocol):
    def peek(self, size: int = ..., /) -> bytes: ...
    def read(self, size: int | None = ..., /) -> bytes: ...


class _CountingReader(io.RawIOBase):
    """A binary file that remembers how many bytes were read from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.consumed += n
        return n


def first_bad_line(path: Path) -> tuple[int, int]:
    """The line (from 1) and the byte in it (from 1) of the first byte that is not
    UTF-8; (0, 0) when the whole file decodes. Read again only after a decoding
    error, so the fast path never splits the file into lines itself."""
    with path.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as e:
                return n, e.start + 1
    return 0, 0


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a CSV file that ends where a record ends (see
    :meth:`RowFile.csv_chunks`): the line its first record starts on, its byte
    offset in the file, its bytes, whether it is the file's last, and the
    file's header (a worker forked before the header was read needs it)."""

    first_line: int
    start: int
    data: bytes
    final: bool
    columns: tuple[str, ...] = ()


class Misaligned(Exception):  # noqa: N818 - a signal between reader and importer
    """A piece of a CSV file ended inside a quoted field; read on from
    (``start``, ``first_line``) with :meth:`RowFile.rows` instead."""

    def __init__(self, start: int, first_line: int) -> None:
        super().__init__(start, first_line)
        self.start = start
        self.first_line = first_line


def _record_end(data: bytes) -> int:
    """The last line end in ``data`` with an even number of quote characters
    before it (outside any quoted field, for RFC 4180 CSV), or -1."""
    end = data.rfind(b"\n")
    if b'"' not in data:
        return end
    for _ in range(1000):
        if end < 0 or data.count(b'"', 0, end) % 2 == 0:
            return end
        end = data.rfind(b"\n", 0, end)
    return -1


@dataclass
class RowFile:
    """An open input file of one format; iterate :meth:`rows`."""

    path: Path
    fmt: str
    kind: str
    columns: list[str] | None = None
    size: int = 0
    on_problem: ProblemSink | None = field(default=None, repr=False)
    _counter: _CountingReader | None = field(default=None, repr=False)

    @property
    def consumed(self) -> int:
        return 0 if self._counter is None else self._counter.consumed

    def rows(self, *, resume: tuple[int, int] | None = None) -> Iterator[Row]:
        """Every row of the file, in order; with ``resume=(offset, line)`` (a CSV
        file whose header was read, see :meth:`csv_chunks`), the rows from that
        byte offset on, numbered from that line.

        Raises:
            InputError: the file is empty, not UTF-8, or not well-formed.
        """
        self.size = self.path.stat().st_size
        if self.size == 0:
            raise self._error("the file is empty", row=None)
        with self.path.open("rb") as raw:
            self._counter = _CountingReader(raw)
            if resume is not None:
                raw.seek(resume[0])
                self._counter.consumed = resume[0]
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 16)
            try:
                if self.fmt == "csv":
                    yield from self._csv(buffered, resume)
                elif self.fmt == "jsonl":
                    yield from self._jsonl(buffered)
                elif self.fmt == "json":
                    yield from self._json(buffered)
                else:
                    yield from self._yaml(buffered)
            except UnicodeDecodeError as e:
                raise self._not_utf8() from e

    # -- CSV in pieces, for worker processes -----------------------------------------
    def csv_chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """After the header (read here, into :attr:`columns`), the CSV file in
        pieces of about ``size`` bytes (default :data:`CHUNK_BYTES`), each
        ending where a record ends: at a line end preceded by an even number of
        quote characters, which is exact for CSV as RFC 4180 writes it. A piece
        that nevertheless ends inside a quoted field (a stray quote in an
        unquoted field) is found by :meth:`chunk_rows`; the caller then reads
        on from that piece's start with :meth:`rows`. A record longer than
        :data:`MAX_CARRY` bytes ends the pieces early (``Chunk.data`` empty,
        ``final`` False) for the same reason.

        Raises:
            InputError: the file is empty, or its header is not UTF-8 or not CSV.
        """
        size = size or CHUNK_BYTES
        self.size = self.path.stat().st_size
        if self.size == 0:
            raise self._error("the file is empty", row=None)
        with self.path.open("rb") as raw:
            self._counter = _CountingReader(raw)
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 16)
            start = self._csv_header(buffered)
            columns = tuple(self.columns or ())
            line = 2
            carry = b""
            while True:
                block = buffered.read(size)
                data = carry + block if carry else block
                if not block:
                    if data:
                        yield Chunk(line, start, data, True, columns)
                    return
                cut = _record_end(data)
                if cut < 0:
                    if len(data) > MAX_CARRY:
                        yield Chunk(line, start, b"", False, columns)
                        return
                    carry = data
                    continue
                piece, carry = data[: cut + 1], data[cut + 1 :]
                yield Chunk(line, start, piece, False, columns)
                line += piece.count(b"\n")
                start += len(piece)

    def _csv_header(self, raw: IO[bytes]) -> int:
        """Read the header record into :attr:`columns`; its length in bytes."""
        consumed = b""
        while True:
            line = raw.readline()
            consumed += line
            try:
                text = consumed.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise self._not_utf8() from e
            try:
                found = list(self._csv_reader(io.StringIO(text, newline="")))
            except csv.Error as e:
                if line and "unexpected end of data" in str(e):
                    continue  # a quoted header name holding a line break
                raise self._csv_error(e, 1) from e
            if not found:
                raise self._error("the file is empty (no header row)", row=1)
            self.columns = self._header(found[0])
            return len(consumed)

    def chunk_rows(self, chunk: Chunk) -> tuple[list[ListRow], InputError | None]:
        """The rows of one piece from :meth:`csv_chunks` as lists of values in
        the header's order, and the problem that stopped them (the file is not
        UTF-8 there, malformed CSV, a field too long), if any; rows with a
        wrong number of fields go to ``on_problem``.

        Raises:
            Misaligned: the piece ends inside a quoted field.
        """
        try:
            text = chunk.data.decode("utf-8")
        except UnicodeDecodeError as e:
            before = chunk.data.rfind(b"\n", 0, e.start) + 1
            line = chunk.first_line + chunk.data.count(b"\n", 0, e.start)
            return [], self._error(
                f"not UTF-8 text (line {line}, byte {e.start - before + 1}); save "
                "the file as UTF-8",
                row=line,
            )
        rows: list[ListRow] = []
        reader = self._csv_reader(io.StringIO(text, newline=""))
        offset = chunk.first_line - 1
        self.columns = list(chunk.columns)
        try:
            rows.extend(self._csv_lists(reader, offset))
        except csv.Error as e:
            if not chunk.final and "unexpected end of data" in str(e):
                raise Misaligned(chunk.start, chunk.first_line) from e
            return rows, self._csv_error(e, offset + reader.line_num)
        except InputError as e:
            return rows, e
        return rows, None

    # -- formats -------------------------------------------------------------------
    def _error(self, message: str, row: int | None = None) -> InputError:
        return InputError(message, file=self.path.name, row=row)

    def _not_utf8(self) -> InputError:
        line, byte = first_bad_line(self.path)
        where = f"line {line}, byte {byte}" if line else "somewhere"
        row = line if self.fmt in ("csv", "jsonl") and line else None
        return self._error(f"not UTF-8 text ({where}); save the file as UTF-8", row=row)

    def _text(self, raw: IO[bytes]) -> io.TextIOWrapper:
        return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def _problem(self, message: str, row: int) -> None:
        if self.on_problem is None:
            raise self._error(message, row=row)
        self.on_problem(message, row, None)

    def _csv_reader(self, lines: Iterable[str]) -> Any:
        """A strict ``csv.reader`` (it has ``line_num``) with our field limit."""
        csv.field_size_limit(MAX_FIELD_CHARS)
        delimiter = "\t" if self.path.suffix.lower() == ".tsv" else ","
        return csv.reader(lines, delimiter=delimiter, strict=True)

    def _csv(
        self, raw: IO[bytes], resume: tuple[int, int] | None = None
    ) -> Iterator[Row]:
        reader = self._csv_reader(self._text(raw))
        try:
            if resume is not None:
                yield from self._csv_records(reader, resume[1] - 1)
                return
            header = next(reader, None)
            if header is None:
                raise self._error("the file is empty (no header row)", row=1)
            self.columns = self._header(header)
            yield from self._csv_records(reader, 0)
        except csv.Error as e:
            line = reader.line_num + (0 if resume is None else resume[1] - 1)
            raise self._csv_error(e, line) from e

    def _csv_records(self, reader: Any, offset: int) -> Iterator[Row]:
        """Rows of a CSV reader whose header is known; ``offset`` is the number
        of lines before the reader's first."""
        columns = self.columns or []
        for line, values in self._csv_lists(reader, offset):
            yield line, dict(zip(columns, values, strict=True))

    def _csv_lists(self, reader: Any, offset: int) -> Iterator[ListRow]:
        """The same rows as lists; blank lines skipped, rows of the wrong width
        reported to ``on_problem``."""
        width = len(self.columns or [])
        for values in reader:
            if len(values) != width:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                self._problem(
                    f"{len(values)} fields where the header has {width}",
                    offset + reader.line_num,
                )
                continue
            yield offset + reader.line_num, values

    def _header(self, header: list[str]) -> list[str]:
        columns = [h.strip() for h in header]
        seen: set[str] = set()
        for name in columns:
            if name in seen:
                raise InputError(
                    "column appears twice in the header",
                    file=self.path.name,
                    row=1,
                    field=name,
                )
            seen.add(name)
        return columns

    def _csv_error(self, e: csv.Error, row: int) -> InputError:
        if "field larger than field limit" in str(e):
            return self._error(
                f"a field is longer than {MAX_FIELD_CHARS:,} characters", row=row
            )
        return self._error(f"malformed CSV: {e}", row=row)

    def _jsonl(self, raw: IO[bytes]) -> Iterator[Row]:
        for n, line in enumerate(self._text(raw), start=1):
            if not line.strip():
                continue
            if len(line) > MAX_FIELD_CHARS:
                raise self._error(
                    f"line longer than {MAX_FIELD_CHARS:,} characters", row=n
                )
            try:
                value = json.loads(line)
            except json.JSONDecodeError as e:
                raise self._error(
                    f"malformed JSON: {e.msg} (column {e.colno})", row=n
                ) from e
            yield n, self._object(value, n)

    def _json(self, raw: _Peekable) -> Iterator[Row]:
        if raw.peek(3)[:3] == b"\xef\xbb\xbf":
            raw.read(3)
        head = raw.peek(64)[:64].lstrip(b" \t\r\n")
        prefix = "item" if head.startswith(b"[") else f"{self.kind}.item"
        n = 0
        try:
            for n, value in enumerate(ijson.items(raw, prefix, use_float=True), 1):
                yield n, self._object(value, n)
        except ijson.JSONError as e:
            if first_bad_line(self.path)[0]:
                raise self._not_utf8() from e
            what = "truncated or malformed" if _truncated(e) else "malformed"
            raise self._error(
                f"{what} JSON after item {n}: {_json_reason(e)}", row=n + 1
            ) from e
        if n == 0 and not head.startswith(b"["):
            raise self._error(
                f"expected a JSON array, or an object with a {self.kind!r} array"
            )

    def _yaml(self, raw: IO[bytes]) -> Iterator[Row]:
        yield from _YamlItems(self, self._text(raw)).rows()

    def _object(self, value: Any, row: int) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self._error(f"expected an object, found {type(value).__name__}", row)
        return value


def _truncated(e: Exception) -> bool:
    return isinstance(e, ijson.IncompleteJSONError)


def _json_reason(e: Exception) -> str:
    """The parser's message on one line (yajl gives bytes with a caret drawing)."""
    reason = e.args[0] if e.args else e
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", errors="replace")
    lines = [line.strip() for line in str(reason).splitlines() if line.strip()]
    return lines[0] if lines else "?"


class _YamlItems:
    """A YAML list (or a mapping holding the kind's list) read one item at a time
    from PyYAML's event stream, so a large file is never held whole."""

    def __init__(self, owner: RowFile, stream: IO[str]) -> None:
        self.owner = owner
        self.loader = yaml.SafeLoader(stream)

    def rows(self) -> Iterator[Row]:
        try:
            yield from self._rows()
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = "" if mark is None else f" (line {mark.line + 1})"
            raise self.owner._error(f"malformed YAML{line}: {e}") from e
        finally:
            self.loader.dispose()

    def _next(self) -> None:
        self.loader.get_event()  # type: ignore[no-untyped-call]

    def _value(self) -> Any:
        node = self.loader.compose_node(None, None)  # type: ignore[arg-type]
        return self.loader.construct_document(node)

    def _rows(self) -> Iterator[Row]:
        loader, kind = self.loader, self.owner.kind
        self._next()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise self.owner._error("the file holds no YAML document")
        self._next()  # document start
        if loader.check_event(yaml.MappingStartEvent):
            self._next()
            while not loader.check_event(yaml.MappingEndEvent):
                key = self._value()
                if key == kind and loader.check_event(yaml.SequenceStartEvent):
                    yield from self._items()
                    return
                loader.compose_node(None, None)  # type: ignore[arg-type]
        elif loader.check_event(yaml.SequenceStartEvent):
            yield from self._items()
            return
        raise self.owner._error(f"expected a list, or a mapping with a {kind!r} list")

    def _items(self) -> Iterator[Row]:
        self._next()  # sequence start
        n = 0
        while not self.loader.check_event(yaml.SequenceEndEvent):
            n += 1
            yield n, self.owner._object(self._value(), n)
