"""The command line: one entry point, ``rightsledger``.

Commands parse input, call the :class:`~rightsledger.ledger.Ledger` façade and render;
they hold no SQL. Every error of ours becomes one message and a non-zero exit, never
a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import Settings
from ..errors import RightsLedgerError
from .agreement_cmds import agreement
from .archive_cmds import backup, export, restore
from .catalogue_cmds import catalogue
from .chain_cmds import assess, diff, scorecard
from .demo_cmds import demo, simulate_cmd
from .estimate_cmds import estimate
from .intake_cmds import attach, import_cmd, records, testimony, vault, witnesses
from .ledger_cmds import init, keys, verify
from .link_cmds import link
from .plan_cmds import plan, sanctions
from .report_cmds import report
from .serve_cmds import serve
from .user_cmds import users


class _Group(click.Group):
    """Turns our errors into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RightsLedgerError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-d",
    "--database",
    "database",
    metavar="URL_OR_PATH",
    envvar="RIGHTSLEDGER_DATABASE_URL",
    help="Ledger database: a SQLite file path or URL, or a postgresql+psycopg:// URL. "
    "Default: ./rightsledger.sqlite.",
)
@click.option(
    "--key-file",
    type=click.Path(path_type=Path),
    envvar="RIGHTSLEDGER_KEY_FILE",
    help="Encryption key file. Default: beside the SQLite file (<file>.key).",
)
@click.option(
    "--vault-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="RIGHTSLEDGER_VAULT_DIR",
    help="Evidence vault folder. Default: beside the SQLite file (<file>.vault).",
)
@click.option(
    "--actor", envvar="RIGHTSLEDGER_ACTOR", help="Name written to the custody log."
)
@click.version_option(__version__, prog_name="rightsledger")
@click.pass_context
def cli(
    ctx: click.Context,
    database: str | None,
    key_file: Path | None,
    vault_dir: Path | None,
    actor: str | None,
) -> None:
    """rightsledger: verifiable human-rights benchmarks for diplomacy.

    Keeps the evidence (sources, observations, lists of people), links the records
    of the same person, estimates hidden totals, and derives the status of every
    benchmark with the trail of evidence behind it.

    Start with `rightsledger demo` to see the whole chain on a synthetic scenario.
    """
    values: dict[str, Any] = {}
    if database:
        values["database_url"] = (
            database if "://" in database else f"sqlite:///{database}"
        )
    if key_file:
        values["key_file"] = key_file
    if vault_dir:
        values["vault_dir"] = vault_dir
    if actor:
        values["actor"] = actor
    ctx.obj = Settings(**values)


for command in (
    init,
    verify,
    keys,
    users,
    import_cmd,
    attach,
    vault,
    records,
    witnesses,
    testimony,
    export,
    backup,
    restore,
    catalogue,
    link,
    estimate,
    assess,
    diff,
    scorecard,
    report,
    plan,
    sanctions,
    agreement,
    demo,
    simulate_cmd,
    serve,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(prog_name="rightsledger", standalone_mode=True))


__all__ = ["cli", "main"]
