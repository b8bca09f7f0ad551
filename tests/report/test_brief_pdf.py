"""The brief and the public scorecard as PDF: rendered to PNG with poppler and
read back with pdftotext, in English and in Korean."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
from PIL import Image

from rightsledger.report.brief import render_brief_html, render_public_html
from rightsledger.report.brief_context import brief_context
from rightsledger.report.brief_public import public_evidence, public_scorecard
from rightsledger.report.pdf import cjk_font_available, html_to_pdf

from .conftest import Sample, sample_context

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is not installed"
)

EN_HEADINGS = [
    "Negotiation brief: human-rights benchmarks",
    "Summary",
    "Benchmarks by status",
    "Sources cited for this status",
    "Verification plan",
    "Agreements: coverage of the benchmarks",
    "Sanctions readiness",
    "Estimated totals",
    "Sources",
]


def _run(*args: str | Path) -> str:
    done = subprocess.run(  # noqa: S603 - poppler tools, fixed arguments
        [str(a) for a in args], capture_output=True, text=True, check=True
    )
    return done.stdout


def _pdf(tmp_path: Path, html: str, name: str) -> tuple[int, str, list[Path]]:
    """Write the PDF, render every page to PNG, return pages, text and images."""
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(html_to_pdf(html))
    found = re.search(r"Pages:\s+(\d+)", _run("pdfinfo", pdf))
    assert found is not None
    pages = int(found.group(1))
    _run("pdftoppm", "-r", "60", "-png", pdf, tmp_path / name)
    text = " ".join(_run("pdftotext", "-layout", pdf, "-").split())
    return pages, text, sorted(tmp_path.glob(f"{name}-*.png"))


def _assert_not_blank(png: Path) -> None:
    with Image.open(png) as img:
        low, high = cast(tuple[int, int], img.convert("L").getextrema())
    assert high - low > 100, f"{png.name} looks blank"


def _brief(sample: Sample, lang: str) -> dict[str, Any]:
    return brief_context(
        sample_context(sample), sample.catalogue, sample.sources, lang=lang
    )


def test_brief_pdf_has_its_sections(tmp_path: Path, sample: Sample) -> None:
    pages, text, images = _pdf(tmp_path, render_brief_html(_brief(sample, "en")), "b")
    assert pages >= 2 and len(images) == pages
    for png in images:
        _assert_not_blank(png)
    for heading in EN_HEADINGS:
        assert heading in text, heading
    assert "Close the political prison camps" in text
    assert "Report of the Commission of Inquiry" in text  # cited source
    assert re.search(rf"{pages} ?/ ?{pages}", text)  # page footer


def test_public_pdf_is_labelled_and_readable(tmp_path: Path, sample: Sample) -> None:
    sources, observations = public_evidence(
        sample.sources, sample.observations.values()
    )
    ctx = brief_context(
        public_scorecard(sample_context(sample), threshold=5),
        sample.catalogue,
        sources,
        kind="public",
    )
    pages, text, images = _pdf(tmp_path, render_public_html(ctx), "p")
    _assert_not_blank(images[0])
    assert "Public scorecard: human-rights benchmarks" in text
    assert "Built only from what a public reader may see" in text
    assert "/tmp/ledger.db" not in text


@pytest.mark.skipif(not cjk_font_available(), reason="fonts-noto-cjk not installed")
def test_korean_pdf_shows_korean(tmp_path: Path, sample: Sample) -> None:
    pages, text, images = _pdf(tmp_path, render_brief_html(_brief(sample, "ko")), "k")
    _assert_not_blank(images[0])
    for words in ("협상 브리핑", "요약", "정치범수용소 폐쇄", "정치범 석방", "출처"):
        assert words in text, words
    fonts = _run("pdffonts", tmp_path / "k.pdf")
    assert "Noto-Sans-CJK-KR" in fonts
