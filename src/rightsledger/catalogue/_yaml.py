"""Read YAML text safely, refusing duplicate keys and reporting line numbers."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from rightsledger.errors import InputError

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


class _StrictLoader(yaml.SafeLoader):
    """A safe loader for catalogue files.

    It refuses a key repeated in one mapping (typo guard), and reads a plain
    ``on``/``off``/``yes``/``no`` *key* as text: YAML 1.1 would make the key
    ``on:`` of a facility event the boolean ``True``. Values are untouched, so
    the schema still refuses ``title: yes``.
    """

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _BOOL_TAG:
                key_node.tag = _STR_TAG
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key; the base class reports it
                break
            if repeated:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, *, file: str) -> tuple[Any, InputError | None]:
    """Parse ``text``; return ``(data, None)`` or ``(None, problem)``.

    Args:
        text: The YAML document.
        file: The file name used in the problem's location.

    Returns:
        The parsed data, or ``None`` and an ``InputError`` whose message gives
        the line and column of the YAML error (1-based) when PyYAML knows them.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader), None  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is None:
            return None, InputError(f"invalid YAML: {problem}", file=file)
        where = f"line {mark.line + 1}, column {mark.column + 1}"
        return None, InputError(f"invalid YAML at {where}: {problem}", file=file)
