"""Writing the scorecard of a ledger: gathers what the report needs and renders it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from .browse.scorecard_data import scorecard_evidence
from .domain import BenchmarkAssessment
from .ledger import Ledger
from .report import render_html, render_markdown, render_terminal, scorecard_context
from .store import parse_url, safe_url


@dataclass(frozen=True, slots=True)
class ScorecardFiles:
    html: Path
    markdown: Path


def build_context(
    ledger: Ledger,
    timeline: dict[date, list[BenchmarkAssessment]],
    *,
    real_until: date,
    scenario_note: str = "",
) -> dict[str, Any]:
    """The scorecard context of ``timeline`` (see :func:`scorecard_context`),
    reading only the observations it shows or its plans weigh
    (:func:`~rightsledger.browse.scorecard_data.scorecard_evidence`): the same
    context as from every observation the acting user may see."""
    sources = ledger.sources()
    return scorecard_context(
        ledger.catalogue(),
        timeline,
        scorecard_evidence(ledger, timeline, sources),
        sources,
        ledger.estimates(),
        real_until=real_until,
        generated_at=ledger.now(),
        ledger_label=safe_url(parse_url(ledger.settings.database_url)),
        scenario_note=scenario_note,
        small_cell=ledger.settings.small_cell_threshold,
    )


def real_until_default(ledger: Ledger) -> date:
    """The last day of real evidence: today, by the ledger's clock."""
    return ledger.now().date()


def write_scorecard(
    context: dict[str, Any], folder: Path, stem: str = "scorecard"
) -> ScorecardFiles:
    folder.mkdir(parents=True, exist_ok=True)
    html, md = folder / f"{stem}.html", folder / f"{stem}.md"
    html.write_text(render_html(context), encoding="utf-8")
    md.write_text(render_markdown(context), encoding="utf-8")
    return ScorecardFiles(html, md)


def print_scorecard(context: dict[str, Any], console: Console) -> None:
    render_terminal(context, console)
