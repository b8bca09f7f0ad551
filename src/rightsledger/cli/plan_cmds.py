"""`plan` and `sanctions`: what evidence would move each benchmark, and whether the
legal conditions for lifting sanctions are met."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from ..assess import BenchmarkPlan, assess_all
from ..domain import BenchmarkAssessment, StandardOfProof
from ..errors import NotFound
from ..ledger import Ledger
from ..report.readiness import current_plans, plan_entry, sanctions_entry
from ._common import console, open_ledger, parse_date

_STANDARDS = [
    StandardOfProof.REASONABLE_GROUNDS.value,
    StandardOfProof.CLEAR_AND_CONVINCING.value,
]


def _assess(
    ledger: Ledger, as_of: str | None
) -> tuple[date, dict[str, BenchmarkAssessment], dict[str, BenchmarkPlan]]:
    """Assess every benchmark on ``as_of`` (default: today by the ledger's clock)
    and make its verification plan."""
    day = parse_date(as_of, "--as-of") if as_of else ledger.now().date()
    catalogue, observations = ledger.catalogue(), ledger.observations()
    sources, estimates = ledger.sources(), ledger.estimates()
    assessed = assess_all(catalogue, observations, sources, estimates, day)
    current = {a.benchmark_id: a for a in assessed}
    plans = current_plans(catalogue, current, observations, sources, estimates)
    return day, current, plans


def _print_plan(entry: dict[str, Any]) -> None:
    console.print(f"[bold]{entry['benchmark_id']}[/bold]: {entry['summary']}")
    for ind in entry["indicators"]:
        nxt = f" -> {ind['next_status']}" if ind["next_status"] else ""
        console.print(f"  {ind['key']}: {ind['status']}{nxt}", markup=False)
        if ind["note"]:
            console.print(f"    ({ind['note']})", markup=False, style="dim")
        for need in ind["needs"]:
            where = f"{need['facility']}: " if need["facility"] else ""
            console.print(f"    - {where}{need['text']}", markup=False)
            if need["suppliers"]:
                more = f" and {need['more']} more" if need["more"] else ""
                who = ", ".join(need["suppliers"]) + more
                console.print(f"      could supply it: {who}", markup=False)


@click.command()
@click.argument("benchmark_id", required=False)
@click.option("--as-of", "as_of", help="Date of the plan (YYYY-MM-DD). Default: today.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_context
def plan(
    ctx: click.Context, benchmark_id: str | None, as_of: str | None, as_json: bool
) -> None:
    """Show what evidence would move each benchmark to its next status, and who
    could supply it (owners of the sources on record, never a witness)."""
    with open_ledger(ctx) as ledger:
        catalogue = ledger.catalogue()
        ids = [b.id for b in catalogue.benchmarks]
        if benchmark_id is not None and benchmark_id not in ids:
            err = NotFound(
                f"no benchmark {benchmark_id!r}; the catalogue has: {', '.join(ids)}"
            )
            raise click.ClickException(str(err))
        day, _, plans = _assess(ledger, as_of)
    chosen = [benchmark_id] if benchmark_id else ids
    entries = [plan_entry(plans[b], limit=50) for b in chosen if b in plans]
    if as_json:
        click.echo(json.dumps({"as_of": day.isoformat(), "plans": entries}, indent=2))
        return
    console.print(f"Verification plan on {day}", style="bold")
    for entry in entries:
        _print_plan(entry)


def _print_readiness(report: dict[str, Any]) -> None:
    counts = ", ".join(f"{k} {v}" for k, v in report["counts"].items())
    console.print(
        f"Sanctions readiness on {report['as_of']} "
        f"(required standard: {report['standard']}): {counts}",
        style="bold",
        markup=False,
    )
    for group in report["effects"]:
        console.print(f"\n[bold]{group['effect']}[/bold]")
        for c in group["conditions"]:
            flag = "" if c["binding"] else " (sense of Congress)"
            console.print(
                f"  {c['id']:<16} {c['readiness']:<18} {c['statute']}{flag}",
                markup=False,
            )
            for b in c["benchmarks"]:
                mark = f"met ({b['status']} at {b['standard']})"
                console.print(
                    f"      {b['id']}: {b['shortfall'] or mark}", markup=False
                )
            for m in c["missing"]:
                console.print(
                    f"      plan {m['benchmark_id']}: {m['summary']}", markup=False
                )


@click.command()
@click.option("--as-of", "as_of", help="Date to judge (YYYY-MM-DD). Default: today.")
@click.option(
    "--standard",
    type=click.Choice(_STANDARDS),
    default=StandardOfProof.REASONABLE_GROUNDS.value,
    show_default=True,
    help="Standard of proof a tied benchmark must reach (a condition whose text "
    "names a stronger one requires that).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the readiness as JSON.")
@click.pass_context
def sanctions(
    ctx: click.Context, as_of: str | None, standard: str, as_json: bool
) -> None:
    """Show, per legal condition for suspending or ending sanctions, whether the
    benchmarks tied to it are met at the required standard, and what is missing."""
    with open_ledger(ctx) as ledger:
        catalogue = ledger.catalogue()
        day, current, plans = _assess(ledger, as_of)
    titles = {b.id: b.title for b in catalogue.benchmarks}
    report = sanctions_entry(
        catalogue.conditions, current, plans, titles, StandardOfProof(standard), day
    )
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    _print_readiness(report)
