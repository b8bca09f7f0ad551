"""`init` and `verify`."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..ledger import Ledger
from ..paths import key_path_for
from ..store import parse_url, safe_url
from ._common import console, open_ledger


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--catalogue",
    "catalogue_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Catalogue folder to load. Default: the packaged North Korea catalogue.",
)
@click.option("--no-catalogue", is_flag=True, help="Create an empty ledger only.")
@click.pass_context
def init(
    ctx: click.Context,
    path: Path | None,
    catalogue_dir: Path | None,
    no_catalogue: bool,
) -> None:
    """Create a new ledger and load the catalogue.

    PATH is a SQLite file to create (default: the --database setting, else
    ./rightsledger.sqlite). For PostgreSQL pass `--database postgresql+psycopg://...`
    and `--key-file`. The key file is written once and never stored in the database:
    keep it safe, without it no identity can be read.
    """
    settings: Settings = ctx.obj
    if path is not None:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    with Ledger.init(settings) as ledger:
        if not no_catalogue:
            cat = ledger.load_catalogue(catalogue_dir)
            console.print(
                f"Loaded catalogue {cat.name!r}: {len(cat.benchmarks)} benchmarks."
            )
    console.print(f"Created ledger at {safe_url(parse_url(settings.database_url))}")
    console.print(
        f"Key file: {key_path_for(settings)} (keep it; it is not in the database)"
    )


@click.command()
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Check the custody log's hash chain; exit 1 naming every altered entry."""
    with open_ledger(ctx) as ledger:
        problems = ledger.verify()
    if problems:
        for line in problems:
            console.print(f"[red]FAIL[/red] {line}")
        raise click.exceptions.Exit(1)
    console.print("OK: the custody log is intact.")
