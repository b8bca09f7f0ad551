"""`demo` and `simulate`."""

from __future__ import annotations

import socket
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
@click.option(
    "--serve/--no-serve",
    default=True,
    show_default=True,
    help="End by serving the demo ledger's web app on localhost (Ctrl-C stops).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="First port to try for the web app; the next free one is taken.",
)
def demo(folder: Path, seed: int, serve: bool, port: int) -> None:
    """Run the whole chain on the real baseline plus a simulated deal.

    Creates a ledger in FOLDER (default ./rightsledger-demo, which must be new or
    empty), loads the sourced North Korea catalogue (real facts up to today), plays a
    synthetic scenario of a hypothetical deal with human-rights clauses, links the
    synthetic lists, estimates the hidden camp population, assesses every benchmark,
    and writes the scorecard. Then it serves the web app on localhost and prints
    its address and the demo users of each role with their passwords (also kept
    in FOLDER/demo-users.txt). All people in the scenario are synthetic.
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
        "\n[bold]Users of the demo ledger[/bold] (synthetic data; passwords also in "
        f"{folder / 'demo-users.txt'})"
    )
    for name, role in out.users.items():
        console.print(f"  {name:<13} {role.value:<13} password {out.passwords[name]}")
    admin_pw = out.passwords[next(iter(out.users))]
    console.print(
        f"Command line: RIGHTSLEDGER_PASSWORD={admin_pw} "
        f"rightsledger -d {out.database} assess --as-of 2029-12-31"
    )
    if serve:
        serve_demo(out.database, port)


def serve_demo(database: Path, first_port: int) -> None:
    """Serve the demo ledger on 127.0.0.1 at the first free port from
    ``first_port``, until Ctrl-C."""
    import uvicorn

    from ..config import Settings
    from ..web import create_app

    port = free_port(first_port)
    app = create_app(Settings(database_url=f"sqlite:///{database}"), warm=True)
    console.print(
        f"\n[bold]The web app is serving the demo ledger at "
        f"http://localhost:{port}/[/bold]\nOpen it in a browser and sign in as one "
        "of the users above. Ctrl-C stops it."
    )
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


def free_port(first: int) -> int:
    """The first port from ``first`` on which 127.0.0.1 can listen."""
    for port in range(first, min(first + 100, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise click.ClickException(f"no free port between {first} and {first + 99}")


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
