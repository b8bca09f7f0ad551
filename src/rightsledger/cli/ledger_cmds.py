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
@click.option(
    "--passphrase",
    "use_passphrase",
    is_flag=True,
    help="Derive the key from a passphrase (scrypt) instead of writing a key file; "
    "read from RIGHTSLEDGER_PASSPHRASE or asked.",
)
@click.pass_context
def init(
    ctx: click.Context,
    path: Path | None,
    catalogue_dir: Path | None,
    no_catalogue: bool,
    use_passphrase: bool,
) -> None:
    """Create a new ledger and load the catalogue.

    PATH is a SQLite file to create (default: the --database setting, else
    ./rightsledger.sqlite). For PostgreSQL pass `--database postgresql+psycopg://...`
    and `--key-file`. The key file is written once and never stored in the database:
    keep it safe, without it no identity can be read. The acting user (--actor,
    default admin) becomes the ledger's first admin.
    """
    settings: Settings = ctx.obj
    if path is not None:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    passphrase = None
    if use_passphrase:
        if settings.passphrase is not None:
            passphrase = settings.passphrase.get_secret_value()
        else:
            passphrase = str(
                click.prompt(
                    "Passphrase", hide_input=True, confirmation_prompt=True, err=True
                )
            )
    with Ledger.init(settings, passphrase=passphrase) as ledger:
        if not no_catalogue:
            cat = ledger.load_catalogue(catalogue_dir)
            console.print(
                f"Loaded catalogue {cat.name!r}: {len(cat.benchmarks)} benchmarks."
            )
    console.print(f"Created ledger at {safe_url(parse_url(settings.database_url))}")
    if passphrase is None:
        console.print(
            f"Key file: {key_path_for(settings)} (keep it; it is not in the database)"
        )
    else:
        console.print("Key: derived from your passphrase; without it nothing opens.")
    console.print(
        f"First admin: {settings.actor} (add users with `rightsledger users add`)"
    )


@click.command()
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Check the whole ledger; exit 1 naming every problem.

    Re-hashes the custody log's chain (entries altered, inserted, removed or
    reordered, or cut off at the end), authenticates every encrypted value, and
    decrypts and re-hashes every vault file (altered, missing, or unknown files).
    """
    with open_ledger(ctx) as ledger:
        problems = ledger.verify()
    if problems:
        for line in problems:
            console.print(f"[red]FAIL[/red] {line}")
        raise click.exceptions.Exit(1)
    console.print(
        "OK: the custody log, the encrypted fields and the vault files are intact."
    )


@click.group()
def keys() -> None:
    """Manage the ledger's encryption key."""


@keys.command()
@click.option(
    "--new-passphrase",
    "ask",
    is_flag=True,
    help="For a passphrase ledger: ask for the new passphrase.",
)
@click.pass_context
def rotate(ctx: click.Context, ask: bool) -> None:
    """Re-encrypt everything under a new key (admins).

    Safe to interrupt: the new key is written beside the old one first, the
    database changes in one transaction, and the next open finishes or undoes a
    rotation that was cut short. The old key file is kept as <key>.old-<time>:
    backups made before the rotation need it.
    """
    new = None
    if ask:
        new = str(
            click.prompt(
                "New passphrase", hide_input=True, confirmation_prompt=True, err=True
            )
        )
    with open_ledger(ctx) as ledger:
        counts = ledger.rotate_key(new_passphrase=new)
    done = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    console.print(f"Rotated the key; re-encrypted {done or 'nothing (empty ledger)'}.")
