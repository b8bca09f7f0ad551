"""The mapping file that says how the columns of an Uwazi CSV export become the
fields of one intake kind (docs/interop.md has the format and an example).

Uwazi names its CSV columns after the property labels of the collection's
templates, which differ from one collection to the next; the mapping names each
column and what it becomes, so that nothing in an export is taken in, or left
out, by accident. :func:`read_mapping` checks the whole file against the kind's
schema and reports every problem with the mapping file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, InputErrors
from ..intake import fields as f
from ..intake.kinds import KINDS, Kind

#: Uwazi's default date format (its exporter's, and a new collection's).
DEFAULT_DATE_FORMAT = "YYYY-MM-DD"
#: Separator of the two ends of an Uwazi date range in an export.
RANGE_SEPARATOR = "~"
#: Separator of several values in one cell (multi-select, geolocation, link).
VALUE_SEPARATOR = "|"

_KEYS = {
    "kind",
    "template",
    "template_column",
    "date_format",
    "fields",
    "constants",
    "values",
    "ignore",
}
# Moment.js tokens as Uwazi writes them (its settings also use yyyy and dd).
_TOKENS = {
    "YYYY": "%Y",
    "yyyy": "%Y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "M": "%m",
    "DD": "%d",
    "dd": "%d",
    "D": "%d",
    "d": "%d",
}
_TOKEN_RE = re.compile("|".join(sorted(_TOKENS, key=len, reverse=True)))


@dataclass(frozen=True, slots=True)
class ColumnTarget:
    """One Uwazi column and the field, or fields, its cell becomes.

    With several fields the cell is split: on ``~`` when the fields are the two
    ends of a date range, on ``|`` otherwise (a geolocation ``lat|lon``).
    """

    column: str
    fields: tuple[str, ...]

    def separator(self, kind: Kind) -> str | None:
        if len(self.fields) == 1:
            return None
        days = all(_is_day(kind, name) for name in self.fields)
        return RANGE_SEPARATOR if days else VALUE_SEPARATOR


@dataclass(frozen=True, slots=True)
class UwaziMapping:
    """A checked mapping: an Uwazi export's columns -> one intake kind's fields."""

    file: str
    kind: str
    template: str | None
    template_column: str
    date_format: str
    strptime_format: str
    columns: tuple[ColumnTarget, ...]
    constants: Mapping[str, Any]
    values: Mapping[str, Mapping[str, Any]]
    ignore: frozenset[str]

    @property
    def schema(self) -> Kind:
        return KINDS[self.kind]

    @property
    def mapped_columns(self) -> set[str]:
        return {c.column for c in self.columns}

    def is_day(self, field: str) -> bool:
        """Whether ``field`` is a date, so its Uwazi value is converted to ISO."""
        return _is_day(self.schema, field)


def _is_day(kind: Kind, name: str) -> bool:
    return any(x.name == name and x.parse is f.day for x in kind.fields)


def strptime_format(uwazi_format: str) -> str:
    """The ``datetime.strptime`` format of an Uwazi (Moment.js) date format.

    Raises:
        ValueError: a letter that is not a day, month or year token, or a format
            without exactly one of each.

    Examples:
        >>> strptime_format("DD/MM/YYYY")
        '%d/%m/%Y'
    """
    out: list[str] = []
    seen: list[str] = []
    pos = 0
    for match in _TOKEN_RE.finditer(uwazi_format):
        out.append(_literal(uwazi_format[pos : match.start()]))
        code = _TOKENS[match.group()]
        out.append(code)
        seen.append({"%Y": "year", "%d": "day"}.get(code, "month"))
        pos = match.end()
    out.append(_literal(uwazi_format[pos:]))
    for part in ("year", "month", "day"):
        if seen.count(part) != 1:
            raise ValueError(
                f"{uwazi_format!r} needs exactly one {part} (tokens YYYY, MM or M, "
                "DD or D, e.g. YYYY-MM-DD or DD/MM/YYYY)"
            )
    return "".join(out)


def _literal(text: str) -> str:
    if any(c.isalpha() for c in text):
        raise ValueError(
            f"{text!r} is not a date token (use YYYY, MMMM, MMM, MM, M, DD, D)"
        )
    return text.replace("%", "%%")


def read_mapping(path: Path) -> UwaziMapping:
    """Read and check an Uwazi mapping file.

    Raises:
        InputErrors: every problem of the file, each naming the file and the key
            (``fields.Sex``, ``values.fate``, ...).
        InputError: the file is missing, not UTF-8 or not YAML.
    """
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such mapping file", file=str(path)) from None
    except UnicodeDecodeError as e:
        raise InputError("not UTF-8 text", file=name) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise InputError(f"malformed YAML: {e}", file=name, row=row) from e
    checker = _Checker(name)
    mapping = checker.mapping(data)
    if mapping is None or checker.problems:
        raise InputErrors(checker.problems, what=f"the Uwazi mapping {name}")
    return mapping


class _Checker:
    """Builds an :class:`UwaziMapping`, collecting every problem on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[InputError] = []

    def bad(self, key: str, message: str) -> None:
        self.problems.append(InputError(message, file=self.file, field=key))

    def mapping(self, data: Any) -> UwaziMapping | None:
        if not isinstance(data, dict):
            self.bad("(top)", "expected a mapping with kind, fields, ...")
            return None
        for key in sorted(set(map(str, data)) - _KEYS):
            self.bad(key, f"unknown key (known: {', '.join(sorted(_KEYS))})")
        kind = self._kind(data.get("kind"))
        date_text = self._text(data, "date_format") or DEFAULT_DATE_FORMAT
        try:
            date_format = strptime_format(date_text)
        except ValueError as e:
            self.bad("date_format", str(e))
            date_format = "%Y-%m-%d"
        if kind is None:
            return None
        columns = self._fields(data.get("fields"), kind)
        constants = self._constants(data.get("constants"), kind, columns)
        values = self._values(data.get("values"), columns)
        ignore = self._ignore(data.get("ignore"), columns)
        covered = {n for c in columns for n in c.fields} | set(constants)
        for required in kind.required:
            if required not in covered:
                self.bad(
                    "fields",
                    f"{kind.name} needs {required!r}: map a column to it, or give "
                    "it under constants",
                )
        return UwaziMapping(
            file=self.file,
            kind=kind.name,
            template=self._text(data, "template"),
            template_column=self._text(data, "template_column") or "Template",
            date_format=date_text,
            strptime_format=date_format,
            columns=tuple(columns),
            constants=constants,
            values=values,
            ignore=ignore,
        )

    def _text(self, data: dict[str, Any], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.bad(key, "expected a non-empty text")
            return None
        return value.strip()

    def _kind(self, value: Any) -> Kind | None:
        if value is None:
            self.bad("kind", f"missing; one of: {', '.join(KINDS)}")
            return None
        if value not in KINDS:
            self.bad("kind", f"unknown kind {value!r}; one of: {', '.join(KINDS)}")
            return None
        return KINDS[value]

    def _fields(self, value: Any, kind: Kind) -> list[ColumnTarget]:
        if not isinstance(value, dict) or not value:
            self.bad("fields", "expected a mapping {Uwazi column: field}")
            return []
        out: list[ColumnTarget] = []
        taken: dict[str, str] = {}
        for column, target in value.items():
            key = f"fields.{column}"
            names = [target] if isinstance(target, str) else target
            if not isinstance(names, list) or not names or len(names) > 2:
                self.bad(key, "expected a field name, or a list of two field names")
                continue
            ok = True
            for name in names:
                if not isinstance(name, str) or name not in kind.names:
                    self.bad(
                        key,
                        f"{name!r} is not a field of {kind.name} (fields: "
                        f"{', '.join(sorted(kind.names))})",
                    )
                    ok = False
                elif name in taken:
                    self.bad(key, f"{name!r} is already mapped from {taken[name]!r}")
                    ok = False
                else:
                    taken[name] = str(column)
            if ok:
                out.append(ColumnTarget(str(column), tuple(names)))
        return out

    def _constants(
        self, value: Any, kind: Kind, columns: list[ColumnTarget]
    ) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad("constants", "expected a mapping {field: value}")
            return {}
        mapped = {n for c in columns for n in c.fields}
        out: dict[str, Any] = {}
        for name, constant in value.items():
            key = f"constants.{name}"
            if name not in kind.names:
                self.bad(key, f"{name!r} is not a field of {kind.name}")
            elif name in mapped:
                self.bad(key, f"{name!r} is also mapped from a column")
            elif isinstance(constant, dict | list) or f.blank(constant):
                self.bad(key, "expected one non-empty value")
            else:
                out[str(name)] = constant
        return out

    def _values(
        self, value: Any, columns: list[ColumnTarget]
    ) -> dict[str, dict[str, Any]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad("values", "expected a mapping {field: {Uwazi value: value}}")
            return {}
        mapped = {n for c in columns for n in c.fields}
        out: dict[str, dict[str, Any]] = {}
        for name, table in value.items():
            key = f"values.{name}"
            if name not in mapped:
                self.bad(key, f"no column is mapped to {name!r}")
            elif not isinstance(table, dict) or not table:
                self.bad(key, "expected a mapping {Uwazi value: value}")
            else:
                out[str(name)] = {str(k).strip(): v for k, v in table.items()}
        return out

    def _ignore(self, value: Any, columns: list[ColumnTarget]) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            self.bad("ignore", "expected a list of column names")
            return frozenset()
        mapped = {c.column for c in columns}
        for column in value:
            if column in mapped:
                self.bad(f"ignore.{column}", "column is also mapped under fields")
        return frozenset(value)
