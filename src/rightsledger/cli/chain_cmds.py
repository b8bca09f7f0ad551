"""`link`, `assess`, `diff` and `scorecard` (`estimate` is in estimate_cmds)."""

from __future__ import annotations

from pathlib import Path

import click

from ..chain import diff as diff_dates
from ..chain import run_assess
from ..errors import NotFound
from ..scorecard import (
    build_context,
    print_scorecard,
    real_until_default,
    write_scorecard,
)
from ._common import console, open_ledger, parse_date


@click.command()
@click.option(
    "--as-of",
    "as_of",
    multiple=True,
    help="Date to assess (YYYY-MM-DD); repeat for a timeline. Default: today.",
)
@click.pass_context
def assess(ctx: click.Context, as_of: tuple[str, ...]) -> None:
    """Derive every benchmark's status on each date from the stored evidence."""
    with open_ledger(ctx) as ledger:
        dates = [parse_date(d, "--as-of") for d in as_of] or [ledger.now().date()]
        timeline = run_assess(ledger, dates)
    for day, items in timeline.items():
        console.print(f"[bold]{day}[/bold]")
        for a in items:
            mark = " (simulated evidence)" if a.simulated else ""
            console.print(
                f"  {a.benchmark_id:<42} {a.status.value:<12} {a.standard.value}{mark}"
            )


@click.command()
@click.argument("earlier")
@click.argument("later")
@click.pass_context
def diff(ctx: click.Context, earlier: str, later: str) -> None:
    """Show which benchmark statuses changed between two dates, and why."""
    d1, d2 = parse_date(earlier, "EARLIER"), parse_date(later, "LATER")
    with open_ledger(ctx) as ledger:
        changes = diff_dates(ledger, d1, d2)
        observations = {o.id: o for o in ledger.observations()}
    if not changes:
        console.print(f"No status changed between {d1} and {d2}.")
    for c in changes:
        before = c.before.value if c.before else "not assessed"
        after = c.after.value if c.after else "not assessed"
        console.print(f"[bold]{c.benchmark_id}[/bold]: {before} -> {after}")
        for ind in c.indicators:
            b = ind.before.value if ind.before else "-"
            a = ind.after.value if ind.after else "-"
            if b == a:  # only the standard of proof moved
                b = f"{b} ({ind.standard_before.value if ind.standard_before else '-'})"
                a = f"{a} ({ind.standard_after.value if ind.standard_after else '-'})"
            console.print(f"    {ind.indicator_key}: {b} -> {a}")
        for oid in c.added:
            o = observations.get(oid)
            text = f"{o.observed_on} {o.source_id}: {o.summary}" if o else "(not found)"
            console.print(f"    + {oid[:12]} {text}")


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder for scorecard.html and scorecard.md.",
)
@click.option("--real-until", help="Last date of real evidence (default: today).")
@click.pass_context
def scorecard(ctx: click.Context, out_dir: Path, real_until: str | None) -> None:
    """Write the scorecard of the latest assessment (HTML and Markdown) and print it."""
    with open_ledger(ctx) as ledger:
        try:
            timeline = ledger.latest_assessments()
        except NotFound as e:
            raise click.ClickException(str(e)) from e
        cutoff = (
            parse_date(real_until, "--real-until")
            if real_until
            else real_until_default(ledger)
        )
        context = build_context(ledger, timeline, real_until=cutoff)
    files = write_scorecard(context, out_dir)
    print_scorecard(context, console)
    console.print(f"Scorecard: {files.html} and {files.markdown}")
