"""Read an agreement file (plain text, Markdown or PDF): the only file I/O of
``rightsledger.texts``.

Bad files are refused with an ``InputError`` naming the file, never turned
into a result: a missing, empty or oversized file, a binary file (NUL bytes or
not UTF-8), and a PDF without extractable text.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from rightsledger.errors import InputError

from .document import AgreementText, TextFormat, agreement_text, reflow_pages

#: The largest file read by default (5 MB).
MAX_BYTES = 5_000_000
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def read_agreement(path: Path, *, max_bytes: int = MAX_BYTES) -> AgreementText:
    """Read a deal text from a file.

    The format comes from the content (``%PDF-``) and the suffix (``.md`` is
    Markdown; anything else is plain text). A leading block of ``# key: value``
    lines, or Markdown front matter, becomes metadata.

    Args:
        path: The file.
        max_bytes: Refuse larger files.

    Returns:
        The agreement's cleaned text, named after the file.

    Raises:
        InputError: The file is missing, empty, too large, binary or not UTF-8,
            or a PDF without text; ``location[0]`` is the file.
    """
    where = str(path)
    data = _read_bytes(path, max_bytes)
    if data.startswith(b"%PDF-"):
        doc = agreement_text(
            _pdf_text(data, where), name=path.name, format=TextFormat.PDF
        )
    elif path.suffix.lower() == ".pdf":
        raise InputError("not a PDF file (no %PDF- signature)", file=where)
    else:
        kind = (
            TextFormat.MARKDOWN
            if path.suffix.lower() in _MARKDOWN_SUFFIXES
            else TextFormat.TEXT
        )
        doc = agreement_text(_decode(data, where), name=path.name, format=kind)
    if not doc.text.strip():
        raise InputError("the agreement has no text besides its header", file=where)
    return doc


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    where = str(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise InputError(f"the agreement file {what}", file=where)
    size = path.stat().st_size
    if size == 0:
        raise InputError("the agreement file is empty", file=where)
    if size > max_bytes:
        raise InputError(
            f"the agreement file is too large ({size:,} bytes; the limit is "
            f"{max_bytes:,})",
            file=where,
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=where) from exc


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data:
        raise InputError(
            "binary file (NUL bytes): give plain text, Markdown or PDF", file=where
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start}): give plain text, Markdown or PDF",
            file=where,
        ) from exc


def _pdf_text(data: bytes, where: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"unreadable PDF: {exc}", file=where) from exc
    if not any(p.strip() for p in pages):
        raise InputError(
            "the PDF has no extractable text (a scan? run OCR first)", file=where
        )
    return reflow_pages(pages)
