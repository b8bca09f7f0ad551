"""Split an agreement's text into clauses, keeping labels and exact wording.

A clause is a paragraph, a numbered point (``1.``, ``(1)``, ``IV.``, ``a)``,
``(b)``) or a bullet item. A block that ends with a colon introduces the
items after it: each item keeps that lead-in, so ``The DPRK shall:`` still
governs ``(a) close ...``. Paragraphs made only of editorial notes in square
brackets (``[...]``, ``[From point 2 ...]``) are not clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERED = re.compile(
    r"^(?:(\d{1,3}|[IVXLC]{1,6}|[A-Za-z])[.)]|\((\d{1,3}|[ivxlc]{1,6}|[A-Za-z])\))\s+"
)
_BULLET = re.compile(r"^[-*\u2022\u2013]\s+")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_ENDS_SENTENCE = (".", ";", ":", "!", "?")


@dataclass(frozen=True, slots=True)
class ClauseText:
    """One clause of an agreement.

    Attributes:
        index: Position in the text, from 1.
        label: The number as printed (``4``, ``(a)``, ``VII``, ``1 (a)``), the
            lead-in's label and the item's position for a bullet (``¶9-2``),
            or ``¶`` and the index for an unnumbered paragraph.
        text: The clause's words as in the source, lines joined by a space,
            without its number or bullet.
        lead: The sentence that introduced this item (ends with a colon), or
            ``""``; its verbs (``shall``, ``intend``) govern the item.
        line: The line of the body where the clause starts, from 1.
    """

    index: int
    label: str
    text: str
    lead: str = ""
    line: int = 0


@dataclass(slots=True)
class _Block:
    markers: list[str]
    bullet: bool
    lines: list[str]
    line: int
    after_list: bool = False


def split_clauses(text: str) -> tuple[ClauseText, ...]:
    """Split ``text`` (paragraphs separated by blank lines) into clauses.

    Args:
        text: The body of an agreement, as in ``AgreementText.text``.

    Returns:
        The clauses in document order.

    Examples:
        >>> [c.label for c in split_clauses("The Parties agree:\\n\\n1. To meet.")]
        ['¶1', '1']
    """
    clauses: list[ClauseText] = []
    lead, lead_label, bullets = "", "", 0
    for block in _blocks(text):
        body = " ".join(block.lines).strip()
        if not _BRACKETS.sub("", body).strip(" .\u2026"):
            continue
        index = len(clauses) + 1
        is_item = bool(block.markers) or block.bullet
        if not is_item:
            lead, lead_label, bullets = "", "", 0
        if block.bullet:
            bullets += 1
            label = f"{lead_label or '•'}-{bullets}"
        else:
            label = " ".join(block.markers) if block.markers else f"¶{index}"
        clauses.append(
            ClauseText(index, label, body, lead if is_item else "", block.line)
        )
        if body.endswith(":"):
            lead, lead_label, bullets = body, label, 0
    return tuple(clauses)


def _blocks(text: str) -> list[_Block]:
    """Paragraphs cut further at numbered and bulleted lines."""
    blocks: list[_Block] = []
    current: _Block | None = None
    prev = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, prev = None, ""
            continue
        if not _BRACKETS.sub("", line).strip():
            continue  # a line that is only an editorial note
        markers, rest = _markers(line)
        bullet = bool(_BULLET.match(line))
        in_list = _in_list(current)
        starts_new = (
            current is None
            or bool(markers)
            or bullet
            or (in_list and prev.endswith(_ENDS_SENTENCE) and line[0].isupper())
        )
        if starts_new:
            body = _BULLET.sub("", line) if bullet else rest
            current = _Block(markers, bullet, [body], number, after_list=in_list)
            blocks.append(current)
        elif current is not None:
            current.lines.append(line)
        prev = line
    return blocks


def _in_list(block: _Block | None) -> bool:
    """Whether lines after ``block`` may start a new clause without a blank line."""
    return block is not None and (
        block.bullet or block.after_list or bool(block.markers)
    )


def _markers(line: str) -> tuple[list[str], str]:
    """The leading numbers of a line (``1. (a)`` -> ``["1", "(a)"]``) and the rest."""
    markers: list[str] = []
    rest = line
    while True:
        found = _NUMBERED.match(rest)
        if not found or len(markers) == 2:
            return markers, rest
        token = found.group(0).strip()
        markers.append(token.rstrip(".") if token[0] != "(" else token)
        rest = rest[found.end() :]
