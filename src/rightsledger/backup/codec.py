"""Table rows as JSON lines, with a type tag per column taken from its SQL type.

A table member of a backup is one header line and one line per row::

    {"table": "custody_log", "columns": [["seq", "int"], ["at", "datetime-tz"], ...]}
    [1, "2026-11-27T12:00:01.000000+00:00", ...]

Rows are JSON arrays in the header's column order; SQL NULL is ``null``. The tag
says how a value is written, so that it comes back exactly, on SQLite or
PostgreSQL alike:

=============  ===========================================================
int, float     JSON numbers (floats as Python's shortest exact repr; NaN allowed)
bool, str      JSON booleans and strings
decimal        the decimal as a string
date, time     ISO 8601 text
datetime       ISO 8601 text, without a zone (columns without a time zone)
datetime-tz    ISO 8601 text in UTC with ``+00:00``; naive values (SQLite keeps
               no zone) are taken as UTC, as the custody log's hashes do
bytes          standard base64
uuid           the canonical hex form
json           the JSON value wrapped in a one-element list, so that JSON
               ``null`` (``[null]``) stays apart from SQL NULL (``null``)
=============  ===========================================================

Columns are read and written through their *storage* type: a ``TypeDecorator``
is replaced by its underlying type, so stored bytes (ciphertext, for instance)
are copied as they are and never decoded, decrypted or re-encrypted.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    Select,
    String,
    Table,
    Time,
    TypeDecorator,
    Uuid,
    null,
    select,
)
from sqlalchemy.engine import Row
from sqlalchemy.types import TypeEngine

from ..errors import ConfigError, IntegrityError

TAGS = (
    "int",
    "float",
    "bool",
    "str",
    "decimal",
    "date",
    "time",
    "datetime",
    "datetime-tz",
    "bytes",
    "uuid",
    "json",
)


def storage_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type a value is stored as: TypeDecorators unwrapped, enums of Python
    classes as the strings the database holds."""
    # Interval is native on PostgreSQL and only emulated elsewhere: it stays
    # itself, and column_tag refuses it.
    while isinstance(type_, TypeDecorator) and not isinstance(type_, Interval):
        type_ = type_.impl_instance
    if isinstance(type_, Enum) and type_.enum_class is not None:
        # the same database type, but values as the stored strings, not objects
        return Enum(
            *type_.enums,
            name=type_.name,
            native_enum=type_.native_enum,
            length=type_.length,
            create_constraint=False,
        )
    return type_


def column_tag(column: Column[Any]) -> str:
    """The tag of a column, from its storage type.

    Raises:
        ConfigError: a column type that backups cannot carry exactly.
    """
    t = storage_type(column.type)
    checks: list[tuple[type[TypeEngine[Any]], str]] = [
        (JSON, "json"),
        (LargeBinary, "bytes"),
        (Boolean, "bool"),
        (Integer, "int"),
        (Float, "float"),
        (Numeric, "decimal"),
        (Uuid, "uuid"),
        (String, "str"),
        (Time, "time"),
        (Date, "date"),
    ]
    if isinstance(t, DateTime):
        return "datetime-tz" if t.timezone else "datetime"
    for kind, tag in checks:
        if isinstance(t, kind):
            return tag
    raise ConfigError(
        f"column {column.table.name}.{column.name} has type {column.type!r}, which "
        "backups cannot carry; add a tag for it in rightsledger.backup.codec"
    )


def storage_table(table: Table) -> Table:
    """A copy of ``table`` whose columns have their storage types (see module doc)."""
    columns = [
        Column(c.name, storage_type(c.type), primary_key=c.primary_key, key=c.name)
        for c in table.columns
    ]
    return Table(table.name, MetaData(), *columns, schema=table.schema)


def _utc_text(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return value


def _bytes(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _typed(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"{value!r} is not a {kind.__name__}")
        return value

    return check


def _json(value: Any) -> Any:
    if not isinstance(value, list) or len(value) != 1:
        raise ValueError("a JSON value must be wrapped in a one-element list")
    return JSON.NULL if value[0] is None else value[0]


ENCODERS: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "float": float,
    "bool": bool,
    "str": str,
    "decimal": str,
    "date": date.isoformat,
    "time": time.isoformat,
    "datetime": datetime.isoformat,
    "datetime-tz": _utc_text,
    "bytes": lambda v: base64.b64encode(v).decode("ascii"),
    "uuid": str,
    "json": lambda v: [v],
}

DECODERS: dict[str, Callable[[Any], Any]] = {
    "int": _typed(int),
    "float": _float,
    "bool": _typed(bool),
    "str": _typed(str),
    "decimal": Decimal,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "datetime": datetime.fromisoformat,
    "datetime-tz": _aware,
    "bytes": _bytes,
    "uuid": uuid.UUID,
    "json": _json,
}

_DECODE_ERRORS = (ValueError, TypeError, InvalidOperation, binascii.Error)


class TableCodec:
    """Reads one table as tagged JSON lines, and turns such lines back into rows.

    Args:
        table: the table, as in the application's metadata.
    """

    def __init__(self, table: Table) -> None:
        self.table = storage_table(table)
        self.name = table.name
        self.columns: list[tuple[str, str]] = [
            (c.name, column_tag(c)) for c in table.columns
        ]
        self._encoders = [ENCODERS[tag] for _name, tag in self.columns]
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        # Nullable JSON columns: SQL NULL and JSON null both read as None, so the
        # query also asks which one it is.
        self._json_flags = [
            i
            for i, c in enumerate(table.columns)
            if c.nullable and column_tag(c) == "json"
        ]

    # -- writing -----------------------------------------------------------------
    def header(self) -> bytes:
        head = {"table": self.name, "columns": [list(c) for c in self.columns]}
        return json.dumps(head, ensure_ascii=False).encode() + b"\n"

    def query(self) -> Select[Any]:
        """All rows, in primary-key order."""
        cols = list(self.table.columns)
        flags = [cols[i].is_(None).label(f"_sql_null_{i}") for i in self._json_flags]
        return select(*cols, *flags).order_by(*self.table.primary_key.columns)

    def encode(self, row: Row[Any]) -> bytes:
        """One row of :meth:`query` as a JSON line."""
        values = [
            None if value is None else encode(value)
            for encode, value in zip(self._encoders, row, strict=False)
        ]
        for n, i in enumerate(self._json_flags):
            if not row[len(self.columns) + n]:
                values[i] = [row[i]]  # JSON null, not SQL NULL
        return (self._dumps(values) + "\n").encode()

    # -- reading -----------------------------------------------------------------
    def decode(self, line: bytes, *, where: str, row: int = 0) -> dict[str, Any]:
        """A row to insert, from one JSON line of this table's member.

        Raises:
            IntegrityError: the line is not a row of this table.
        """
        return decode_row(self.columns, line, where=where, row=row)


def read_header(line: bytes, *, where: str) -> tuple[str, list[tuple[str, str]]]:
    """The table name and the (column, tag) pairs of a member's header line.

    Raises:
        IntegrityError: not a header line, or an unknown tag.
    """
    try:
        head = json.loads(line)
        name = head["table"]
        columns = [(str(c), str(t)) for c, t in head["columns"]]
    except (ValueError, TypeError, KeyError) as e:
        raise IntegrityError(f"{where}: the header line is not valid ({e})") from e
    unknown = sorted({t for _c, t in columns} - set(TAGS))
    if not isinstance(name, str) or unknown:
        raise IntegrityError(f"{where}: unknown column types {unknown}")
    return name, columns


def decode_row(
    columns: Sequence[tuple[str, str]], line: bytes, *, where: str, row: int = 0
) -> dict[str, Any]:
    """Decode one JSON line into {column: value}; SQL NULL becomes ``null()``
    for JSON columns (a bare None would be stored as JSON null).

    Args:
        columns: (name, tag) pairs from the member's header.
        line: one line of the member.
        where: the member, for error messages.
        row: the line's row number, for error messages.

    Raises:
        IntegrityError: not a JSON array of the right length, or a value that
            does not fit its column's tag.
    """
    try:
        values = json.loads(line.decode("utf-8"))
    except ValueError as e:
        raise IntegrityError(f"{where} row {row}: not a JSON line ({e})") from e
    if not isinstance(values, list) or len(values) != len(columns):
        raise IntegrityError(
            f"{where} row {row}: expected a list of {len(columns)} values, got "
            f"{line[:80]!r}"
        )
    out: dict[str, Any] = {}
    for (name, tag), value in zip(columns, values, strict=True):
        if value is None:
            out[name] = null() if tag == "json" else None
            continue
        try:
            out[name] = DECODERS[tag](value)
        except _DECODE_ERRORS as e:
            raise IntegrityError(
                f"{where} row {row}: column {name} ({tag}): {e}"
            ) from e
    return out


__all__ = [
    "TAGS",
    "TableCodec",
    "column_tag",
    "decode_row",
    "read_header",
    "storage_table",
    "storage_type",
]
