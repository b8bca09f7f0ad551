"""`catalogue validate | load | show`."""

from __future__ import annotations

from pathlib import Path

import click

from ..catalogue import default_catalogue_path, parse_catalogue
from ..paths import read_catalogue_files
from ._common import console, open_ledger


@click.group()
def catalogue() -> None:
    """Check, load and list benchmark catalogues."""


@catalogue.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check a catalogue folder; report every problem with its file and key.

    PATH defaults to the packaged North Korea catalogue. Exit 1 on any problem.
    """
    folder = path or default_catalogue_path()
    cat = parse_catalogue(read_catalogue_files(folder), name=folder.name)
    console.print(
        f"OK: {folder} - {len(cat.benchmarks)} benchmarks, "
        f"{sum(len(b.indicators) for b in cat.benchmarks)} indicators, "
        f"{len(cat.facilities)} facilities, {len(cat.agreements)} agreements, "
        f"{len(cat.conditions)} sanctions conditions, {len(cat.sources)} sources."
    )


@catalogue.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.pass_context
def load(ctx: click.Context, path: Path | None) -> None:
    """Validate a catalogue folder and load it into the ledger."""
    with open_ledger(ctx) as ledger:
        cat = ledger.load_catalogue(path)
    console.print(f"Loaded {cat.name!r}: {len(cat.benchmarks)} benchmarks.")


@catalogue.command()
@click.pass_context
def show(ctx: click.Context) -> None:
    """List the benchmarks of the ledger's catalogue with their baselines."""
    with open_ledger(ctx) as ledger:
        cat = ledger.catalogue()
    for b in cat.benchmarks:
        console.print(
            f"{b.id:<42} {b.baseline.status.value:<12} as of {b.baseline.as_of} "
            f"({len(b.indicators)} indicators)"
        )
