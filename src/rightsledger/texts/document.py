"""An agreement's text as plain data, and the pure steps that clean it.

The reader (``texts/reader.py``) does the file I/O and hands raw text to the
functions here: a ``#`` header block becomes metadata, Markdown loses its
formatting, and PDF page text is re-flowed into paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

_HEADER_KEY = re.compile(r"^#\s*([A-Za-z][\w ()-]*?)\s*:\s?(.*)$")
_FRONT_KEY = re.compile(r"^([A-Za-z][\w -]*?)\s*:\s?(.*)$")
_LIST_START = re.compile(r"^\s*(?:[-*\u2022]\s|\(?\w{1,4}[.)]\s)")


class TextFormat(StrEnum):
    """The form an agreement text came in."""

    TEXT = "text"
    MARKDOWN = "markdown"
    PDF = "pdf"


@dataclass(frozen=True, slots=True)
class AgreementText:
    """A deal text ready for splitting into clauses.

    Attributes:
        name: What to call the text in reports (usually the file name).
        text: The body, without the metadata header; paragraphs are separated
            by blank lines.
        format: The form it was read from.
        metadata: ``(key, value)`` pairs from the header, in file order.
    """

    name: str
    text: str
    format: TextFormat = TextFormat.TEXT
    metadata: tuple[tuple[str, str], ...] = ()

    def meta(self, key: str) -> str:
        """The header value for ``key`` (``""`` when absent)."""
        return next((v for k, v in self.metadata if k == key), "")


def split_header(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """Take a leading block of ``# key: value`` lines off ``text``.

    Lines that start with ``#`` but carry no ``key:`` continue the previous
    value. The block must open with a ``# key: value`` line, so a Markdown
    heading such as ``# Title`` is left in the body.

    Args:
        text: The whole file.

    Returns:
        The metadata pairs and the rest of the text.
    """
    lines = text.splitlines()
    if not lines or not _HEADER_KEY.match(lines[0]):
        return (), text
    pairs: list[list[str]] = []
    n = 0
    for n, line in enumerate(lines):  # noqa: B007 (n is used after the loop)
        if not line.startswith("#"):
            break
        found = _HEADER_KEY.match(line)
        if found and not line.startswith("#  "):
            pairs.append([found.group(1).strip(), found.group(2).strip()])
        elif pairs:
            pairs[-1][1] = f"{pairs[-1][1]} {line.lstrip('#').strip()}".strip()
    else:
        n = len(lines)
    return tuple((k, v) for k, v in pairs), "\n".join(lines[n:])


def split_front_matter(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """Take a Markdown front matter block (``---`` ... ``---``) off ``text``."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return (), text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            pairs = []
            for line in lines[1:end]:
                found = _FRONT_KEY.match(line.strip())
                if found:
                    pairs.append((found.group(1).strip(), found.group(2).strip()))
            return tuple(pairs), "\n".join(lines[end + 1 :])
    return (), text


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"^[ \t]*\*[ \t]+", re.M), "- "),
)


def strip_markdown(text: str) -> str:
    """Plain text from Markdown: headings, emphasis, links and quotes unwrapped.

    List markers are kept (``*`` bullets become ``-``) so that the clause
    splitter still sees the items; fenced code blocks are dropped.
    """
    text = re.sub(r"^```.*?^```\s*$", "", text, flags=re.S | re.M)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def reflow_pages(pages: Sequence[str]) -> str:
    """Join PDF page text into paragraphs separated by blank lines.

    PDF extraction gives one line per printed line. A line opens a new
    paragraph when it starts a list item, or when the line before ended a
    sentence and was clearly shorter than the page's full lines.
    """
    lines = [ln.rstrip() for page in pages for ln in page.splitlines()]
    width = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    prev = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            out.append("")
        elif not prev:
            out.append(stripped)
        elif _LIST_START.match(stripped) or (
            prev.endswith((".", ":", ";", "!", "?")) and len(prev) < 0.8 * width
        ):
            out += ["", stripped]
        else:
            out[-1] = f"{out[-1]} {stripped}"
        prev = stripped
    return "\n".join(out).strip()


def agreement_text(
    raw: str, *, name: str = "", format: TextFormat = TextFormat.TEXT
) -> AgreementText:
    """Build an ``AgreementText`` from text already in memory (no I/O).

    Args:
        raw: The whole text, possibly with a ``#`` header (any format) or a
            front matter block (Markdown).
        name: What to call it in reports.
        format: ``markdown`` strips Markdown formatting; ``pdf`` expects text
            already re-flowed by :func:`reflow_pages`.

    Returns:
        The cleaned text with its metadata.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = split_header(raw)
    if format is TextFormat.MARKDOWN:
        front, body = split_front_matter(body)
        meta += front
        body = strip_markdown(body)
    return AgreementText(name=name, text=body.strip(), format=format, metadata=meta)
