"""HTML -> PDF with WeasyPrint (imported only when a PDF is asked for).

Fonts come from the system through fontconfig; WeasyPrint embeds a subset of each
font it uses, so the PDF shows Korean on any reader provided the machine that made
it had a CJK font (Debian: ``fonts-noto-cjk``, family "Noto Sans CJK KR").
:func:`cjk_font_available` tells the CLI whether to warn.
"""

from __future__ import annotations

import logging
import shutil
import subprocess  # noqa: S404 - fc-list only, fixed arguments, no shell
from functools import cache

from rightsledger.errors import ConfigError

__all__ = ["CJK_FONT", "cjk_font_available", "html_to_pdf"]

#: The font family the reports name for Korean text.
CJK_FONT = "Noto Sans CJK KR"


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render a self-contained HTML page (inline CSS, ``data:`` images) to PDF.

    Args:
        html: The page.
        base_url: Where relative URLs would resolve; the reports have none.

    Returns:
        The PDF document as bytes (fonts embedded, A4 pages as the page CSS says).

    Raises:
        ConfigError: WeasyPrint (or the Pango library it needs) is not installed.
    """
    try:  # imported here: heavy, and only PDFs need it
        from weasyprint import HTML  # type: ignore[import-untyped,unused-ignore]
    except (ImportError, OSError) as e:
        raise ConfigError(
            f"PDF output needs WeasyPrint and Pango ({e}); install weasyprint, "
            "or ask only for HTML (--format html)"
        ) from e
    # WeasyPrint logs each CSS property it ignores; our CSS is fixed, so quieten it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=html, base_url=base_url).write_pdf()
    if pdf is None:  # only when a target is given; keeps mypy honest
        raise ConfigError("WeasyPrint returned no PDF")
    return bytes(pdf)


@cache
def cjk_font_available() -> bool:
    """Whether fontconfig knows :data:`CJK_FONT` (False when fc-list is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [fc_list, f":family={CJK_FONT}", "family"],
        capture_output=True,
        text=True,
        check=False,
    )
    return CJK_FONT in out.stdout
