"""Reading deal texts: formats, metadata, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter

from rightsledger.errors import InputError
from rightsledger.texts import TextFormat, agreement_text, read_agreement, split_clauses

DATA = Path(__file__).parents[1] / "data" / "agreements"


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF that prints ``lines`` in Helvetica (text extractable)."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_shared_text_header_becomes_metadata():
    doc = read_agreement(DATA / "singapore-2018.txt")
    assert doc.format is TextFormat.TEXT
    assert doc.name == "singapore-2018.txt"
    assert doc.meta("title").startswith("Joint Statement of President Donald J. Trump")
    assert "Sentosa" in doc.meta("date")
    assert "# title" not in doc.text
    assert doc.text.startswith("Joint Statement of President")


def test_header_continuation_lines_join_their_key():
    doc = read_agreement(DATA / "helsinki-1975-excerpts.txt")
    assert "Yugoslavia" in doc.meta("parties")
    assert doc.meta("status").startswith("EXCERPT")


def test_markdown_front_matter_and_formatting_are_stripped():
    doc = read_agreement(DATA / "model-deal.md")
    assert doc.format is TextFormat.MARKDOWN
    assert doc.meta("status").startswith("DRAFTED")
    assert "#" not in doc.text and "---" not in doc.text
    raw = "# Deal\n\n1. The **DPRK** shall [close](http://x) the `camps`.\n"
    md = agreement_text(raw, name="x.md", format=TextFormat.MARKDOWN)
    assert md.text == "Deal\n\n1. The DPRK shall close the camps."


def test_pdf_text_is_read_and_reflowed(tmp_path):
    path = tmp_path / "deal.pdf"
    path.write_bytes(
        make_pdf(
            [
                "The Parties agree as follows:",
                "1. The DPRK shall release all political prisoners within",
                "one year of signature.",
                "2. The two sides will hold reunions of separated families.",
            ]
        )
    )
    doc = read_agreement(path)
    assert doc.format is TextFormat.PDF
    clauses = split_clauses(doc.text)
    assert [c.label for c in clauses] == ["¶1", "1", "2"]
    assert clauses[1].text.endswith("within one year of signature.")


def _refused(path: Path, **kwargs: int) -> InputError:
    with pytest.raises(InputError) as info:
        read_agreement(path, **kwargs)
    assert info.value.location[0] == str(path)
    return info.value


def test_missing_file(tmp_path):
    assert "does not exist" in str(_refused(tmp_path / "nope.txt"))


def test_folder_is_not_a_file(tmp_path):
    assert "folder" in str(_refused(tmp_path))


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in str(_refused(path))


def test_header_only_file(tmp_path):
    path = tmp_path / "header.txt"
    path.write_text("# title: nothing else\n# date: 2020-01-01\n\n  \n", "utf-8")
    assert "no text" in str(_refused(path))


def test_binary_file(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"The DPRK shall\x00\x01\x02 close")
    assert "binary" in str(_refused(path))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Réunion des familles".encode("latin-1"))
    assert "UTF-8" in str(_refused(path))


def test_oversized_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("The DPRK shall close the camps. " * 10, "utf-8")
    assert "too large" in str(_refused(path, max_bytes=100))


def test_pdf_suffix_without_pdf_content(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_text("plain words", "utf-8")
    assert "not a PDF" in str(_refused(path))


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf body")
    error = _refused(path)
    assert "PDF" in str(error)


def test_pdf_without_text(tmp_path):
    path = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    assert "no extractable text" in str(_refused(path))
