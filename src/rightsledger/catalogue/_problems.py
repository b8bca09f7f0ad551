"""Turn validation failures into ``InputError`` values that name file and key.

Key paths use ids where the YAML has them, so a problem in ``benchmarks.yaml``
reads ``release-political-prisoners.indicators.amnesty-law.rule.min_reliability``
rather than a list of indexes; an item without a usable id is shown by its
position, counted from 0 (``benchmarks[3]``).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from rightsledger.errors import InputError

from ._schema import KNOWN_KEYS

_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}
_SLUG_HINT = "use lowercase letters, digits and single hyphens, like 'camp-closed'"
_KEY_HINT = "use letters, digits and single '-', '_' or '.', like 'COI-R'"


def item_label(item: Any, index: int, stem: str) -> str:
    """The label of a top-level list item: its id or key, else ``stem[index]``."""
    ident = _ident(item)
    return ident if ident is not None else f"{stem}[{index}]"


def _ident(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("id", "key"):
            value = item.get(name)
            if isinstance(value, str) and value:
                return value
    return None


def key_path(raw: Any, loc: Sequence[int | str], prefix: str) -> str:
    """Render a pydantic ``loc`` inside ``raw`` as a dotted path after ``prefix``."""
    path = prefix
    node: Any = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            ident = _ident(node)
            path += f".{ident}" if ident is not None else f"[{part}]"
        elif isinstance(node, dict):
            path += f".{part}" if path else str(part)
            node = node.get(part)
        elif isinstance(part, int):
            path += f"[{part}]"
            node = None
        # other parts are pydantic's internal tags (unions, validators): skip
    return path


def describe_value(value: Any) -> str:
    """A short description of a YAML value for messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def message_of(error: ErrorDetails) -> str:
    """A plain-English message for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"][-1] if error["loc"] else "")
    if kind in _TYPE_WORDS:
        text = f"expected {_TYPE_WORDS[kind]}, got {describe_value(value)}"
        if isinstance(value, bool):
            text += " (YAML reads yes/no/on/off/true/false as booleans: quote it)"
        return text
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        hint = _SLUG_HINT if pattern.startswith("^[a-z0-9]") else _KEY_HINT
        return f"{value!r} is not a valid id ({hint})"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind.startswith(("greater_than", "less_than")):
        return f"{value!r} is out of range: {error['msg'].lower()}"
    if kind.startswith(("bad_", "value_error")):
        return error["msg"].removeprefix("Value error, ")
    return f"{error['msg']} (got {describe_value(value)})"


def _unknown_key(key: Any) -> str:
    text = f"unknown key {key!r}"
    if isinstance(key, str):
        close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.7)
        if close:
            text += f" (did you mean {close[0]!r}?)"
    return text


def from_validation(
    exc: ValidationError, raw: Any, *, file: str, prefix: str
) -> list[InputError]:
    """One ``InputError`` per pydantic error of ``exc``, raised on ``raw``."""
    return [
        InputError(
            message_of(error),
            file=file,
            field=key_path(raw, error["loc"], prefix) or None,
        )
        for error in exc.errors()
    ]
