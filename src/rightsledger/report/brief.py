"""The negotiation brief and the public scorecard: gather, render, write.

- :func:`report_contexts` reads a ledger (through the façade only) and builds both
  contexts. The brief sees what the acting user sees; the public scorecard is built
  from the public evidence alone (:mod:`.brief_public`), so an analyst's run
  publishes no more than a viewer could read.
- :func:`render_brief_html` / :func:`render_public_html` render a context as one
  self-contained HTML page (inline CSS, charts as ``data:`` images, autoescaped).
- :func:`write_reports` writes ``brief.html``, ``brief.pdf``,
  ``scorecard-public.html`` and ``scorecard-public.pdf`` (PDF via :mod:`.pdf`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightsledger.access import Permission
from rightsledger.domain import BenchmarkAssessment
from rightsledger.errors import NotFound

from .brief_context import brief_context
from .brief_public import public_evidence, public_scorecard
from .context import scorecard_context
from .pdf import html_to_pdf
from .render import _environment

if TYPE_CHECKING:
    from rightsledger.ledger import Ledger

__all__ = [
    "FORMATS",
    "ReportContexts",
    "render_brief_html",
    "render_public_html",
    "report_contexts",
    "write_reports",
]

#: Output formats of ``rightsledger report``.
FORMATS: tuple[str, ...] = ("html", "pdf")


@dataclass(frozen=True, slots=True)
class ReportContexts:
    """The two documents' contexts (plain, JSON-serialisable dicts)."""

    brief: dict[str, Any]
    public: dict[str, Any]


def render_brief_html(context: Mapping[str, Any]) -> str:
    """Render a brief context (:func:`brief_context`, kind ``brief``) as HTML."""
    return _environment().get_template("brief.html.j2").render(**context)


def render_public_html(context: Mapping[str, Any]) -> str:
    """Render a public scorecard context (kind ``public``) as HTML."""
    return _environment().get_template("public_scorecard.html.j2").render(**context)


def report_contexts(
    ledger: Ledger,
    *,
    real_until: date,
    lang: str = "en",
    charts: bool = True,
) -> ReportContexts:
    """Build the brief and the public scorecard of a ledger.

    Args:
        ledger: An open ledger; its actor needs ``READ_PUBLIC``.
        real_until: Last date of real evidence; later dates are simulated.
        lang: ``"en"`` or ``"ko"``.
        charts: Draw the charts (False for quick tests).

    Raises:
        Forbidden: the actor may not read public results.
    """
    ledger.require(Permission.READ_PUBLIC, "reports")
    catalogue = ledger.catalogue()
    timeline = _timeline(ledger)
    sources = ledger.sources()
    observations = ledger.observations()
    estimates = ledger.estimates()
    threshold = ledger.settings.small_cell_threshold
    common: dict[str, Any] = {
        "real_until": real_until,
        "generated_at": ledger.now(),
        "small_cell": threshold,
    }
    brief_sc = scorecard_context(
        catalogue,
        timeline,
        {o.id: o for o in observations},
        sources,
        estimates,
        ledger_label=_ledger_label(ledger),
        **common,
    )
    pub_sources, pub_observations = public_evidence(sources, observations)
    public_sc = public_scorecard(
        scorecard_context(
            catalogue,
            timeline,
            pub_observations,
            pub_sources,
            estimates,
            ledger_label="",
            **common,
        ),
        threshold,
    )
    options: dict[str, Any] = {"charts": charts, "small_cell": threshold}
    return ReportContexts(
        brief=brief_context(
            brief_sc, catalogue, sources, lang=lang, kind="brief", **options
        ),
        public=brief_context(
            public_sc, catalogue, pub_sources, lang=lang, kind="public", **options
        ),
    )


def _timeline(ledger: Ledger) -> dict[date, list[BenchmarkAssessment]]:
    """The latest assessment run, or nothing when none ran yet (every benchmark
    is then shown as not assessed)."""
    try:
        return ledger.latest_assessments()
    except NotFound:
        return {}


def _ledger_label(ledger: Ledger) -> str:
    from rightsledger.store import parse_url, safe_url  # lazy: store pulls SQLAlchemy

    return safe_url(parse_url(ledger.settings.database_url))


def write_reports(
    contexts: ReportContexts, out_dir: Path, formats: Iterable[str] = FORMATS
) -> list[Path]:
    """Write the brief and the public scorecard in each format; return the paths.

    Raises:
        ValueError: a format is not one of :data:`FORMATS`.
        ConfigError: a PDF was asked for and WeasyPrint is missing.
    """
    wanted = [f for f in FORMATS if f in set(formats)]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; use {FORMATS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, html in (
        ("brief", render_brief_html(contexts.brief)),
        ("scorecard-public", render_public_html(contexts.public)),
    ):
        if "html" in wanted:
            path = out_dir / f"{stem}.html"
            path.write_text(html, encoding="utf-8")
            written.append(path)
        if "pdf" in wanted:
            path = out_dir / f"{stem}.pdf"
            path.write_bytes(html_to_pdf(html))
            written.append(path)
    return written
