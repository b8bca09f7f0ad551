"""Field parsers for intake: each turns one raw value (text from CSV, or a JSON or
YAML scalar) into a typed value, or raises ``ValueError`` with a message that says
what was expected. The importer adds the file, row and field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

Parser = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One column of an intake schema."""

    name: str
    parse: Parser
    required: bool = False
    doc: str = ""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"expected text, found {type(value).__name__}")
        out = str(value).strip()
        if len(out) > max_length:
            raise ValueError(f"{len(out)} characters; at most {max_length} allowed")
        if "\x00" in out:
            raise ValueError("contains a NUL character")
        return out

    return parse


def identifier(value: Any) -> str:
    out: str = text(120)(value)
    if any(c.isspace() for c in out) or "/" in out:
        raise ValueError(f"{out!r} is not an id (no spaces or slashes)")
    return out


def integer(low: int, high: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("expected a whole number, found true/false")
        try:
            number = int(value) if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}..{high}")
        return number

    return parse


def decimal(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None


def day(value: Any) -> date:
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)") from None


def choice(enum: type[Enum]) -> Parser:
    by_value = {str(m.value).lower(): m for m in enum}

    def parse(value: Any) -> Enum:
        key = str(value).strip().lower()
        if key not in by_value:
            allowed = ", ".join(str(m.value) for m in enum)
            raise ValueError(f"{value!r} is not one of: {allowed}")
        return by_value[key]

    return parse


def one_of(*allowed: str) -> Parser:
    def parse(value: Any) -> str:
        key = str(value).strip()
        if key not in allowed:
            raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")
        return key

    return parse


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in {"yes", "y", "true", "1"}:
        return True
    if key in {"no", "n", "false", "0"}:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def sex(value: Any) -> str:
    key = str(value).strip().upper()[:1]
    if key not in {"M", "F"}:
        raise ValueError(f"{value!r} is not M or F (leave empty when unknown)")
    return key
