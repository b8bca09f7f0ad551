"""Field parsers for intake: each turns one raw value (text from CSV, or a JSON or
YAML scalar) into a typed value, or raises ``ValueError`` with a message that says
what was expected. The importer adds the file, row and field.

The parsers run once per cell of files of a million rows, so each takes the common
case (a ``str`` from CSV) first and builds nothing it does not need.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

Parser = Callable[[Any], Any]

_ID_FORBIDDEN = re.compile(r"[\s/]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


#: What each parser accepts, in words (docs/intake.md shows it; a test compares).
_DESCRIBED: dict[Parser, str] = {}


def _described(parse: Parser, words: str) -> Parser:
    _DESCRIBED[parse] = words
    return parse


def describe(parse: Parser) -> str:
    """What ``parse`` accepts, e.g. ``text, at most 200 characters``."""
    return _DESCRIBED.get(parse, "")


@dataclass(frozen=True, slots=True)
class Field:
    """One column of an intake schema."""

    name: str
    parse: Parser
    required: bool = False
    doc: str = ""

    @property
    def accepts(self) -> str:
        """What the field accepts, in words."""
        return describe(self.parse)


def blank(value: Any) -> bool:
    """Empty: None, or text of nothing but white space."""
    return value is None or (type(value) is str and (not value or value.isspace()))


def _as_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, found {type(value).__name__}")
    return str(value).strip()


def text(max_length: int) -> Parser:
    """Text of at most ``max_length`` characters, without NUL, trimmed."""

    def parse(value: Any) -> str:
        out = _as_text(value)
        if len(out) > max_length:
            raise ValueError(f"{len(out)} characters; at most {max_length} allowed")
        if "\x00" in out:
            raise ValueError("contains a NUL character")
        return out

    return _described(parse, f"text, at most {max_length:,} characters")


_ID_TEXT = text(120)


def identifier(value: Any) -> str:
    """An id: text of at most 120 characters, no white space, no slash."""
    if type(value) is str:  # the common case, in one call
        out: str = value.strip()
        if len(out) <= 120 and "\x00" not in out and not _ID_FORBIDDEN.search(out):
            return out
    out = _ID_TEXT(value)
    if _ID_FORBIDDEN.search(out) is not None:
        raise ValueError(f"{out!r} is not an id (no spaces or slashes)")
    return out


def integer(low: int, high: int) -> Parser:
    """A whole number in ``low..high``."""

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("expected a whole number, found true/false")
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(value) if type(value) is str else int(str(value).strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}..{high}")
        return number

    return _described(parse, f"whole number, {low} to {high}")


def decimal(value: Any) -> float:
    """A finite number (NaN and infinities are refused)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, found true/false")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def day(value: Any) -> date:
    """A calendar date written YYYY-MM-DD (or a YAML date)."""
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if _ISO_DAY.fullmatch(raw) is not None:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a date of the calendar") from None
    raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)")


def choice(enum: type[Enum]) -> Parser:
    """One of an enumeration's values, in any case."""
    by_value = {str(m.value).lower(): m for m in enum}

    def parse(value: Any) -> Enum:
        found = by_value.get(value) if type(value) is str else None
        if found is not None:
            return found
        key = str(value).strip().lower()
        if key not in by_value:
            allowed = ", ".join(str(m.value) for m in enum)
            raise ValueError(f"{value!r} is not one of: {allowed}")
        return by_value[key]

    return _described(parse, "one of " + ", ".join(str(m.value) for m in enum))


def one_of(*allowed: str) -> Parser:
    """One of the given words, exactly."""
    known = frozenset(allowed)

    def parse(value: Any) -> str:
        key = str(value).strip()
        if key not in known:
            raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")
        return key

    return _described(parse, "one of " + ", ".join(allowed))


def yes_no(value: Any) -> bool:
    """yes/no, y/n, true/false or 1/0."""
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in {"yes", "y", "true", "1"}:
        return True
    if key in {"no", "n", "false", "0"}:
        return False
    raise ValueError(f"{value!r} is not yes or no")


_SEXES = {"M": "M", "F": "F", "m": "M", "f": "F"}


def sex(value: Any) -> str:
    """M or F (also male/female, any case)."""
    found = _SEXES.get(value) if type(value) is str else None
    if found is not None:
        return found
    key = str(value).strip().upper()
    if key not in {"M", "F", "MALE", "FEMALE"}:
        raise ValueError(f"{value!r} is not M or F (leave empty when unknown)")
    return key[0]


_described(identifier, "id: at most 120 characters, no spaces or slashes")
_described(decimal, "number")
_described(day, "date, YYYY-MM-DD")
_described(yes_no, "yes or no")
_described(sex, "M or F")
