"""`agreement check`: which benchmarks a deal text binds, mentions or omits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..catalogue import default_catalogue_path, load_catalogue, load_matching
from ..texts import ClauseCoverage, ClauseKind, CoverageReport, check_coverage
from ..texts.reader import read_agreement
from ._common import console

_QUOTE_CHARS = 160


@click.group()
def agreement() -> None:
    """Check deal texts against the benchmark catalogue."""


@agreement.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--catalogue",
    "folder",
    type=click.Path(path_type=Path),
    help="Catalogue folder with a matching.yaml. Default: the packaged one.",
)
def check(file: Path, as_json: bool, folder: Path | None) -> None:
    """Map each clause of FILE to the benchmarks it binds or mentions.

    FILE is plain text, Markdown or PDF. Works without a ledger. A clause
    binds a benchmark when it commits to the benchmark's step, mentions it
    when it names it without committing; war remains and aid without
    monitoring are reported as humanitarian, not as coverage.
    """
    where = folder or default_catalogue_path()
    catalogue = load_catalogue(where)
    lexicon = load_matching(where)
    report = check_coverage(read_agreement(file), catalogue.benchmarks, lexicon)
    if as_json:
        click.echo(json.dumps(as_dict(report, str(file)), indent=2, ensure_ascii=False))
        return
    titles = {b.id: b.title for b in catalogue.benchmarks}
    _print_text(report, titles)


def as_dict(report: CoverageReport, file: str) -> dict[str, Any]:
    """The JSON shape of a coverage report."""
    return {
        "file": file,
        "clauses": [
            {
                "label": c.label,
                "text": c.text,
                "binds": list(c.binds),
                "mentions": list(c.mentions),
                "kind": c.kind.value,
                "humanitarian": list(c.topics),
            }
            for c in report.clauses
        ],
        "bound": report.ordered(report.bound),
        "mentioned": report.ordered(report.mentioned),
        "omitted": list(report.omitted),
    }


def _print_text(report: CoverageReport, titles: dict[str, str]) -> None:
    console.print(f"[bold]{escape(report.name)}[/]: {len(report.clauses)} clauses")
    for clause in report.clauses:
        if clause.kind is ClauseKind.OTHER:
            continue
        console.print(f"\n[bold]{escape(clause.label)}[/] ({clause.kind.value})")
        console.print(f'  "{escape(shorten(clause.text))}"')
        for line in _findings(clause):
            console.print(f"  {escape(line)}")
    others = sum(c.kind is ClauseKind.OTHER for c in report.clauses)
    console.print(f"\n{others} other clauses cover no benchmark.")
    console.print("\n[bold]Summary[/]")
    _summary_line("bound", report.ordered(report.bound), titles)
    _summary_line("mentioned only", report.ordered(report.mentioned), titles)
    _summary_line("omitted", list(report.omitted), titles)
    if report.humanitarian:
        console.print(
            "  humanitarian clauses (not coverage): " + ", ".join(report.humanitarian)
        )


def _findings(clause: ClauseCoverage) -> list[str]:
    lines = [
        f"{e.level.value} {e.benchmark_id}: '{e.words}'"
        + (f" under '{e.cue}'" if e.cue else "")
        for e in clause.evidence
    ]
    if clause.topics:
        lines.append("humanitarian: " + ", ".join(clause.topics))
    lines += [f"set aside: {why}" for why in clause.pitfalls]
    if clause.kind is ClauseKind.HUMAN_RIGHTS and not clause.evidence:
        lines.append("human rights, but no benchmark of the catalogue")
    return lines


def _summary_line(what: str, ids: list[str], titles: dict[str, str]) -> None:
    console.print(f"  {what} ({len(ids)}):")
    for ident in ids:
        console.print(f"    - {ident}: {escape(titles.get(ident, ''))}")


def shorten(text: str, limit: int = _QUOTE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
