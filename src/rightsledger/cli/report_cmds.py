"""`report`: the negotiation brief and the public scorecard, as HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import click

from ..report.brief import FORMATS, report_contexts, write_reports
from ..report.brief_text import LANGUAGES
from ..report.pdf import CJK_FONT, cjk_font_available
from ..scorecard import real_until_default
from ._common import console, err_console, open_ledger, parse_date


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder for brief.* and scorecard-public.*.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of headings and benchmark titles.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Output format; repeat for both. Default: html and pdf.",
)
@click.option("--real-until", help="Last date of real evidence (default: today).")
@click.pass_context
def report(
    ctx: click.Context,
    out_dir: Path,
    lang: str,
    formats: tuple[str, ...],
    real_until: str | None,
) -> None:
    """Write the negotiation brief and the public scorecard (HTML and PDF).

    The brief shows what your role may see, citing the sources behind every
    status; when it cites non-public sources it says so on its first page. The
    public scorecard is built from public sources only, with small counts of
    people suppressed, whoever runs the command.
    """
    with open_ledger(ctx) as ledger:
        cutoff = (
            parse_date(real_until, "--real-until")
            if real_until
            else real_until_default(ledger)
        )
        contexts = report_contexts(ledger, real_until=cutoff, lang=lang)
    wanted = formats or FORMATS
    if lang == "ko" and "pdf" in wanted and not cjk_font_available():
        err_console.print(
            f"[yellow]warning:[/] font {CJK_FONT!r} not found (Debian: "
            "fonts-noto-cjk); Korean text in the PDFs may not render"
        )
    for path in write_reports(contexts, out_dir, wanted):
        console.print(str(path), markup=False)
