"""Reading rows from CSV, JSON, JSON Lines and YAML files, streamed.

Every reader yields ``(row_number, values)`` pairs and counts the bytes it has
consumed, so an import can show progress and keep memory flat. Row numbers are
what a person sees: the line of a CSV row (the header is line 1), the position of
an item in a JSON array or YAML list (from 1), the line of a JSON Lines record.
Problems of the file itself (bad encoding, truncated JSON, a field too large)
become :class:`InputError` with the file and the row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson
import yaml

from ..errors import InputError

#: Largest single field accepted (a testimony may be long; a name may not).
MAX_FIELD_BYTES = 1_000_000

FORMATS = ("csv", "json", "jsonl", "yaml")

Row = tuple[int, dict[str, Any]]


def format_of(path: Path, given: str | None = None) -> str:
    """The file format, from ``given`` or the file's extension."""
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


@dataclass
class RowFile:
    """An open input file of one format; iterate :meth:`rows`."""

    path: Path
    fmt: str
    kind: str
    columns: list[str] | None = None
    size: int = 0
    _counter: _CountingReader | None = field(default=None, repr=False)

    @property
    def consumed(self) -> int:
        return 0 if self._counter is None else self._counter.consumed

    def rows(self) -> Iterator[Row]:
        self.size = self.path.stat().st_size
        with self.path.open("rb") as raw:
            self._counter = _CountingReader(raw)
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 16)
            if self.fmt == "csv":
                yield from self._csv(buffered)
            elif self.fmt == "jsonl":
                yield from self._jsonl(buffered)
            elif self.fmt == "json":
                yield from self._json(buffered)
            else:
                yield from self._yaml(buffered)

    # -- formats -------------------------------------------------------------------
    def _error(self, message: str, row: int | None = None) -> InputError:
        return InputError(message, file=self.path.name, row=row)

    def _decoded_lines(self, raw: IO[bytes]) -> Iterator[str]:
        for n, line in enumerate(raw, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as e:
                raise self._error(
                    f"not UTF-8 text (byte {e.start + 1} of the line); save the file "
                    "as UTF-8",
                    row=n,
                ) from e
            if n == 1:
                text = text.removeprefix("\ufeff")
            yield text

    def _csv(self, raw: IO[bytes]) -> Iterator[Row]:
        csv.field_size_limit(MAX_FIELD_BYTES)
        lines = self._decoded_lines(raw)
        reader = csv.reader(
            lines, delimiter="\t" if self.path.suffix == ".tsv" else ","
        )
        try:
            header = next(reader, None)
            if header is None:
                raise self._error("the file is empty (no header row)", row=1)
            self.columns = [h.strip() for h in header]
            seen: set[str] = set()
            for name in self.columns:
                if name in seen:
                    raise InputError(
                        "column appears twice in the header",
                        file=self.path.name,
                        row=1,
                        field=name,
                    )
                seen.add(name)
            width = len(self.columns)
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) != width:
                    raise self._error(
                        f"{len(values)} fields where the header has {width}",
                        row=reader.line_num,
                    )
                yield reader.line_num, dict(zip(self.columns, values, strict=True))
        except csv.Error as e:
            raise self._error(f"malformed CSV: {e}", row=reader.line_num) from e

    def _jsonl(self, raw: IO[bytes]) -> Iterator[Row]:
        for n, line in enumerate(self._decoded_lines(raw), start=1):
            if not line.strip():
                continue
            if len(line) > MAX_FIELD_BYTES * 4:
                raise self._error("line too large", row=n)
            try:
                value = json.loads(line)
            except json.JSONDecodeError as e:
                raise self._error(f"malformed JSON: {e.msg}", row=n) from e
            yield n, self._object(value, n)

    def _json(self, raw: IO[bytes]) -> Iterator[Row]:
        head = raw.peek(64)[:64].lstrip() if hasattr(raw, "peek") else b""
        prefix = "item" if head.startswith(b"[") else f"{self.kind}.item"
        n = 0
        try:
            for n, value in enumerate(ijson.items(raw, prefix, use_float=True), 1):
                yield n, self._object(value, n)
        except ijson.IncompleteJSONError as e:
            raise self._error(
                f"truncated or malformed JSON after item {n}: {e}", row=n + 1
            ) from e
        except UnicodeDecodeError as e:
            raise self._error("not UTF-8 text", row=n + 1) from e
        if n == 0 and not head.startswith(b"["):
            raise self._error(
                f"expected a JSON array, or an object with a {self.kind!r} array"
            )

    def _yaml(self, raw: IO[bytes]) -> Iterator[Row]:
        try:
            text = raw.read().decode("utf-8")
            data = yaml.safe_load(text)
        except UnicodeDecodeError as e:
            raise self._error("not UTF-8 text") from e
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            row = None if mark is None else mark.line + 1
            raise self._error(f"malformed YAML: {e}", row=row) from e
        if isinstance(data, dict) and self.kind in data:
            data = data[self.kind]
        if not isinstance(data, list):
            raise self._error(
                f"expected a list, or a mapping with a {self.kind!r} list"
            )
        for n, value in enumerate(data, start=1):
            yield n, self._object(value, n)

    def _object(self, value: Any, row: int) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self._error(f"expected an object, found {type(value).__name__}", row)
        return value
