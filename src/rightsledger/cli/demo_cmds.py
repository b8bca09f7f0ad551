"""`demo` and `simulate`."""

from __future__ import annotations

from pathlib import Path

import click

from ..demo import DEFAULT_SEED, run_demo
from ..scorecard import print_scorecard
from ..simulate import ScenarioConfig, simulate
from ..simulate.writer import write_scenario
from ._common import console


@click.command()
@click.argument(
    "folder",
    required=False,
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("rightsledger-demo"),
)
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the synthetic scenario.",
)
def demo(folder: Path, seed: int) -> None:
    """Run the whole chain on the real baseline plus a simulated deal.

    Creates a ledger in FOLDER (default ./rightsledger-demo, which must be new or
    empty), loads the sourced North Korea catalogue (real facts up to today), plays a
    synthetic scenario of a hypothetical deal with human-rights clauses, links the
    synthetic lists, estimates the hidden camp population, assesses every benchmark,
    and writes the scorecard. All people in the scenario are synthetic.
    """
    console.print(f"Building the demo ledger in {folder} (seed {seed}) ...")
    out = run_demo(
        folder, seed=seed, progress=lambda step: console.print(f"  - {step}")
    )
    print_scorecard(out.context, console)
    p, r, f1 = out.link_scores
    console.print(
        f"\nLinkage: {out.link.records} records -> {out.link.persons} persons "
        "(against the scenario's truth: "
        f"precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f})"
    )
    for e in out.estimates.results:
        true = out.truth_counts.get((e.population, e.as_of)) if e.as_of else None
        console.print(
            f"Estimate {e.population} {e.as_of}: {e.estimate:,.0f} "
            f"({e.lower:,.0f}-{e.upper:,.0f}); {e.observed:,} seen on the lists; "
            f"true number in the scenario {'?' if true is None else f'{true:,}'}"
        )
    console.print("\n[bold]Where everything is[/bold]")
    console.print(f"  ledger      {out.database}")
    console.print(f"  key file    {out.key_file}")
    console.print(
        f"  scenario    {folder / 'scenario'} (the truth is in scenario/truth/)"
    )
    console.print(f"  scorecard   {out.scorecard.html}")
    console.print(f"              {out.scorecard.markdown}")
    console.print(
        f"Real, sourced facts up to {out.real_until}; everything after is simulated."
    )
    console.print(
        "\n[bold]Users of the demo ledger[/bold] (no passwords; synthetic data)"
    )
    for name, role in out.users.items():
        console.print(f"  {name:<13} {role.value}")
    console.print(f"Explore: rightsledger -d {out.database} assess --as-of 2029-12-31")
    console.print(
        f"As another role: rightsledger -d {out.database} --actor viewer scorecard"
    )


@click.command("simulate")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed; the same seed gives the same files.",
)
@click.option(
    "--years",
    default=5,
    show_default=True,
    type=click.IntRange(1, 30),
    help="Years simulated.",
)
def simulate_cmd(folder: Path, seed: int, years: int) -> None:
    """Write a synthetic scenario (lists, observations, deal) and its truth."""
    scenario = simulate(ScenarioConfig(years=years), seed)
    files = write_scenario(scenario, folder)
    for name, path in sorted(files.items()):
        console.print(f"{name:<14} {path}")
