"""`import`, `attach`, `vault list | get`, `records`, `witnesses`, `testimony`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..domain import Origin
from ..intake.kinds import KINDS
from ..intake.readers import FORMATS
from ..interop import ftm_import, uwazi_import
from ._common import byte_progress, console, open_ledger, parse_date


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    help="What the file holds (docs/intake.md has each schema); not with "
    "--uwazi-mapping or --format ftm.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "ftm"]),
    help="File format. Default: from the extension. ftm: followthemoney JSON lines "
    "(Person entities become records of --source).",
)
@click.option(
    "--uwazi-mapping",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="PATH is a CSV export of an Uwazi collection; this YAML file maps its "
    "columns (docs/interop.md).",
)
@click.option(
    "--source",
    "source_id",
    help="With --format ftm: the list (source id) the persons become records of.",
)
@click.option(
    "--simulated", is_flag=True, help="Mark the rows as simulated, not real evidence."
)
@click.pass_context
def import_cmd(
    ctx: click.Context,
    path: Path,
    kind: str | None,
    fmt: str | None,
    uwazi_mapping: Path | None,
    source_id: str | None,
    simulated: bool,
) -> None:
    """Import sources, observations, facilities, person records, witnesses or
    testimonies from a CSV, JSON, JSON Lines or YAML file, an Uwazi CSV export
    (with a mapping file), or followthemoney Person entities.

    The import is one transaction: every problem is reported with its file, row
    and field, and then nothing lands. The same file imported twice changes
    nothing. Names, birth years, witness details and testimony text are encrypted
    before they reach the database.
    """
    origin = Origin.SIMULATED if simulated else Origin.REAL
    passed_over: dict[str, int] = {}
    with open_ledger(ctx) as ledger, byte_progress(f"Importing {path.name}") as bar:
        if uwazi_mapping is not None:
            if kind or fmt or source_id:
                raise click.UsageError(
                    "--uwazi-mapping gives the kind; drop --kind, --format and --source"
                )
            summary = uwazi_import(
                ledger, path, uwazi_mapping, origin=origin, progress=bar
            )
        elif fmt == "ftm":
            if source_id is None:
                raise click.UsageError("--format ftm needs --source LIST_ID")
            result = ftm_import(
                ledger, path, source_id=source_id, origin=origin, progress=bar
            )
            summary, passed_over = result.summary, dict(result.passed_over)
        else:
            if kind is None:
                raise click.UsageError("--kind is required")
            summary = ledger.import_file(
                path, kind, fmt=fmt, origin=origin, progress=bar
            )
    if summary.already_imported:
        console.print(
            f"{path.name} was imported before (same content, sha256 "
            f"{summary.content_hash[:12]}); nothing changed."
        )
        return
    skipped = f", {summary.skipped} already present" if summary.skipped else ""
    console.print(
        f"Imported {summary.added} {summary.kind} from {path.name} "
        f"({summary.rows} rows{skipped})."
    )
    if passed_over:
        other = ", ".join(f"{n} {schema}" for schema, n in sorted(passed_over.items()))
        console.print(f"Passed over entities that are not persons: {other}.")


@click.command()
@click.argument("source_id")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--collected-by", required=True, help="Who collected the file.")
@click.option(
    "--method", required=True, help="How it was collected (e.g. interview recording)."
)
@click.option("--collected-on", help="When it was collected (YYYY-MM-DD).")
@click.option("--media-type", help="Media type. Default: from the extension.")
@click.pass_context
def attach(
    ctx: click.Context,
    source_id: str,
    path: Path,
    collected_by: str,
    method: str,
    collected_on: str | None,
    media_type: str | None,
) -> None:
    """Store PATH in the evidence vault, encrypted, and attach it to SOURCE_ID.

    The file is named by its SHA-256, taken at intake, and never overwritten; the
    intake record keeps who collected it, when, how, its original name (encrypted),
    its size and media type.
    """
    on = parse_date(collected_on, "--collected-on") if collected_on else None
    with open_ledger(ctx) as ledger:
        a = ledger.attach(
            source_id,
            path,
            collected_by=collected_by,
            method=method,
            collected_on=on,
            media_type=media_type,
        )
    console.print(
        f"Attached {a.sha256} ({a.size} bytes, {a.media_type}) to {source_id}."
    )


@click.group()
def vault() -> None:
    """List and read the files in the evidence vault."""


@vault.command("list")
@click.argument("source_id", required=False)
@click.pass_context
def vault_list(ctx: click.Context, source_id: str | None) -> None:
    """Files attached to sources (original names for investigators only)."""
    with open_ledger(ctx) as ledger:
        found = ledger.attachments(source_id)
    for a in found:
        on = a.collected_on.isoformat() if a.collected_on else "-"
        console.print(
            f"{a.source_id:<20} {a.sha256} {a.size:>10} {a.media_type:<24} "
            f"{on} {a.collected_by} ({a.method}) {a.original_name}"
        )


@vault.command("get")
@click.argument("sha256")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def vault_get(ctx: click.Context, sha256: str, out: Path) -> None:
    """Decrypt vault file SHA256 into OUT (investigators; logged; hash checked)."""
    if out.exists():
        raise click.BadParameter(
            f"{out} exists; refusing to overwrite", param_hint="OUT"
        )
    with open_ledger(ctx) as ledger:
        try:
            with out.open("xb") as fh:
                ledger.read_attachment(sha256, fh)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
    console.print(f"Wrote {out} (content matches sha256 {sha256}).")


@click.command()
@click.option("--source", "source_id", help="Only records of this list.")
@click.option(
    "--names",
    is_flag=True,
    help="Show names and birth years (investigators only; the read is logged).",
)
@click.option(
    "--purpose",
    default="review",
    show_default=True,
    help="Why names are read (written to the custody log).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def records(
    ctx: click.Context, source_id: str | None, names: bool, purpose: str, as_json: bool
) -> None:
    """List person records: by pseudonym, or with names for investigators."""
    with open_ledger(ctx) as ledger:
        rows = (
            ledger.records(purpose=purpose) if names else ledger.pseudonymous_records()
        )
    for r in rows:
        if source_id is not None and r.source_id != source_id:
            continue
        item = {
            "record_id": r.record_id,
            "list": r.source_id,
            ("full_name" if names else "pseudonym"): r.full_name,
            "birth_year": r.birth_year if names else None,
            "sex": r.sex,
            "facility": r.facility_id,
            "year_arrested": r.year_arrested,
            "fate": r.fate,
        }
        if not names:
            del item["birth_year"]
        if as_json:
            click.echo(json.dumps(item, ensure_ascii=False))
        else:
            console.print(
                "  ".join("-" if v is None else str(v) for v in item.values())
            )


@click.command()
@click.option(
    "--purpose",
    default="review",
    show_default=True,
    help="Why identities are read (written to the custody log).",
)
@click.pass_context
def witnesses(ctx: click.Context, purpose: str) -> None:
    """List witnesses with their identities (investigators only; logged)."""
    with open_ledger(ctx) as ledger:
        rows = ledger.witnesses(purpose=purpose)
    for w in rows:
        click.echo(json.dumps(w, ensure_ascii=False, default=str))


@click.command()
@click.argument("testimony_id")
@click.option(
    "--purpose",
    default="review",
    show_default=True,
    help="Why the testimony is read (written to the custody log).",
)
@click.pass_context
def testimony(ctx: click.Context, testimony_id: str, purpose: str) -> None:
    """Print one testimony with its text (investigators only; logged)."""
    with open_ledger(ctx) as ledger:
        t = ledger.testimony(testimony_id, purpose=purpose)
    click.echo(json.dumps(t, ensure_ascii=False, default=str, indent=2))
