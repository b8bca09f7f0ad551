"""`export`, `backup` and `restore`."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..interop import write_ftm
from ..ledger import Ledger
from ._common import console, err_console, open_ledger


@click.command()
@click.option(
    "--public",
    "public_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the public export (aggregates only) into this folder.",
)
@click.option(
    "--date-precision",
    type=click.Choice(["year", "quarter", "month"]),
    default="year",
    show_default=True,
    help="How finely dates are shown in the public export.",
)
@click.option(
    "--ftm",
    "ftm_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write followthemoney entities (JSON lines) to this file.",
)
@click.option(
    "--identities",
    is_flag=True,
    help="With --ftm: include names and birth years (investigators; logged).",
)
@click.pass_context
def export(
    ctx: click.Context,
    public_dir: Path | None,
    date_precision: str,
    ftm_file: Path | None,
    identities: bool,
) -> None:
    """Export the ledger: a public, aggregate-only export (--public DIR), or
    followthemoney entities for OpenSanctions/Aleph-style tools (--ftm FILE).

    The public export holds counts, statuses and estimates only: counts of persons
    below the small-cell threshold (default 5) show as "<5", further cells are
    hidden ("x") so that none can be recovered from the totals, dates are coarsened,
    and no name, birth year, record id or free text is written (docs/export.md).
    """
    if public_dir is None and ftm_file is None:
        raise click.UsageError("give --public DIR and/or --ftm FILE")
    if identities and ftm_file is None:
        raise click.UsageError("--identities goes with --ftm")
    with open_ledger(ctx) as ledger:
        if public_dir is not None:
            try:
                summary = ledger.export_public(
                    public_dir, date_precision=date_precision
                )
            except ValueError as e:
                raise click.ClickException(f"public export: {e}") from e
            hidden = ", ".join(f"{n} {k}" for k, n in summary.suppressed.items() if n)
            console.print(
                f"Wrote the public export to {public_dir}: {len(summary.files)} files, "
                f"{summary.records:,} records and {summary.observations:,} "
                f"observations counted; cells hidden: {hidden or 'none'}."
            )
        if ftm_file is not None:
            counts = write_ftm(ledger, ftm_file, identities=identities)
            done = ", ".join(f"{n} {k}" for k, n in counts.items())
            console.print(
                f"Wrote {sum(counts.values())} entities to {ftm_file} ({done})."
            )


@click.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def backup(ctx: click.Context, out: Path) -> None:
    """Write one encrypted, self-verifying archive of the whole ledger (admins).

    The archive holds the database (every table, the custody log included) and
    the vault files, encrypted under a key derived from the ledger key. Keep the
    key file apart from the archive: restoring needs both.
    """
    with open_ledger(ctx) as ledger:
        manifest = ledger.backup(out, progress=lambda line: err_console.print(line))
    rows = sum(manifest.tables.values())
    console.print(
        f"Wrote {out}: {len(manifest.tables)} tables, {rows:,} rows, "
        f"{len(manifest.members) - len(manifest.tables)} vault files."
    )


@click.command()
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--check",
    is_flag=True,
    help="Only check the archive against its manifest; write nothing.",
)
@click.pass_context
def restore(ctx: click.Context, archive: Path, check: bool) -> None:
    """Restore ARCHIVE into an empty database and vault (or --check it).

    The target is the --database setting (and --vault-dir); it must be empty. The
    key file of the original ledger must be given (--key-file, or beside the new
    SQLite file). The whole archive is checked before anything is written; the
    restored ledger passes `rightsledger verify`.
    """
    settings: Settings = ctx.obj
    if check:
        from ..backup import check_backup, read_public
        from ..paths import key_path_for
        from ..vault import FieldCipher, LedgerKey

        if read_public(archive).get("key_source") == "passphrase":
            raise click.UsageError("--check of a passphrase backup: restore it instead")
        key = LedgerKey.load(key_path_for(settings))
        manifest = check_backup(archive, FieldCipher(key).backup_key)
        console.print(
            f"OK: {archive} is complete and unaltered ({len(manifest.members)} "
            f"members, taken {manifest.created_at:%Y-%m-%d %H:%M} UTC)."
        )
        return
    ledger, manifest = Ledger.restore(
        settings, archive, progress=lambda line: err_console.print(line)
    )
    with ledger:
        problems = ledger.verify()
    if problems:
        for line in problems:
            console.print(f"[red]FAIL[/red] {line}")
        raise click.exceptions.Exit(1)
    console.print(
        f"Restored {archive} (taken {manifest.created_at:%Y-%m-%d %H:%M} UTC); "
        "verify: OK."
    )
