"""`link`: link the ledger's records (bare command) or a CSV file (`link file`)."""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from pathlib import Path

import click
from rich.console import Console

from ..access import Permission
from ..chain import LINK_METHODS, LinkSummary, run_link
from ..domain import PersonRecord
from ..errors import InputError
from ..jobs import ProgressFn
from ..jobs.summaries import link_result
from ..jobs.terminal import run_here, stage_progress
from ..linkage.probabilistic import LinkageConfig
from ..linkage.table import UNNAMED_LIST, parse_mapping, parse_rows
from ._common import console, open_ledger
from .review_cmds import explain, review

__all__ = ["link"]

_progress = Console(stderr=True, highlight=False)


@click.group(invoke_without_command=True)
@click.option(
    "--method",
    type=click.Choice(LINK_METHODS),
    default="probabilistic",
    show_default=True,
    help="probabilistic: Splink model with Korean-name comparisons; exact: the "
    "first version's exact name key.",
)
@click.option(
    "--threshold",
    default=0.9,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="Least match probability for a link (probabilistic).",
)
@click.option(
    "--review-band",
    nargs=2,
    type=float,
    default=(0.5, 0.99),
    show_default=True,
    help="Pairs with a probability in [LOW, HIGH) go to the review queue.",
)
@click.option("--seed", default=0, show_default=True, help="Seed of every random step.")
@click.option(
    "--repeating-list",
    "repeating",
    multiple=True,
    help="A list that may hold one person more than once (repeatable).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Retrain and rescore everything, even when only new records were added.",
)
@click.option(
    "--birth-year-tolerance",
    default=1,
    show_default=True,
    type=click.IntRange(0, 5),
    help="Years by which birth years of one person may differ (exact).",
)
@click.pass_context
def link(
    ctx: click.Context,
    method: str,
    threshold: float,
    review_band: tuple[float, float],
    seed: int,
    repeating: tuple[str, ...],
    full: bool,
    birth_year_tolerance: int,
) -> None:
    """Link person records across lists into persons and store the run.

    Without a subcommand: links the ledger's records with a Splink model whose
    comparisons bring Hangul, Revised and McCune-Reischauer spellings together
    syllable by syllable (North/South initial sounds, family/given order,
    birth year, sex, place, facility, arrest year), trained by EM, clustered at
    the threshold with at most one record per list in a person. Review decisions
    are respected; new records are linked incrementally with the stored model.
    `link file` links a CSV without a ledger; `link review` shows the uncertain
    pairs; `link explain` shows why two records were linked or not.
    """
    if ctx.invoked_subcommand is not None:
        return
    config = LinkageConfig(
        threshold=threshold,
        review_band=review_band,
        seed=seed,
        repeating_lists=repeating,
    )
    found: list[LinkSummary] = []
    with open_ledger(ctx) as ledger, stage_progress(_progress, "Linking") as bar:

        def work(progress: ProgressFn) -> dict[str, object]:
            summary = run_link(
                ledger,
                method=method,
                birth_year_tolerance=birth_year_tolerance,
                config=config,
                incremental=not full,
                progress=progress,
            )
            found.append(summary)
            return link_result(summary)

        run_here(
            ledger,
            "link",
            work,
            needs=Permission.RUN_ANALYSIS,
            target="records for linkage",
            echo=bar,
        )
    out = found[0]
    how = " (new records linked with the stored model)" if out.incremental else ""
    console.print(
        f"Linked {out.records} records into {out.persons} persons "
        f"({out.method}{how}); run {out.run_id}."
    )


link.add_command(review)
link.add_command(explain)


def _read(path: Path, mapping: str | None) -> list[PersonRecord]:
    columns = parse_mapping(mapping)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            return parse_rows(header, reader, columns, file=path.name)
    except UnicodeDecodeError as e:
        raise InputError("not UTF-8 text", file=path.name) from e


def _write(out: Path, rows: list[tuple[str, str]]) -> None:
    """Write atomically: a reader never sees half a file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".persons-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["record_id", "person_id"])
            writer.writerows(rows)
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@link.command("file")
@click.argument(
    "records_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write record_id,person_id.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option(
    "--columns",
    "mapping",
    metavar="FIELD=COLUMN,...",
    help="Column names that differ from the defaults (record_id, list, full_name, "
    "sex, birth_year, province, facility, year_arrested), e.g. full_name=name.",
)
@click.option(
    "--threshold",
    default=0.9,
    show_default=True,
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="Least match probability for two records to be one person.",
)
@click.option(
    "--backend",
    default="duckdb",
    show_default=True,
    type=click.Choice(["duckdb", "spark"]),
    help="SQL engine for Splink (spark: a local Spark session).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
def link_file(
    records_csv: Path,
    out: Path,
    as_json: bool,
    mapping: str | None,
    threshold: float,
    backend: str,
    seed: int,
) -> None:
    """Link the person records of a CSV file, without a ledger.

    Trains a Splink model on the file (no labels needed), links records whose
    match probability reaches the threshold (at most one record per list in a
    person; rows without a list may repeat) and writes each record's person id.
    Names never leave memory: the output holds ids only.
    """
    from ..linkage.probabilistic import LinkageConfig, ProbabilisticLinker

    started = time.perf_counter()
    with _progress.status("Reading records...") as status:
        records = _read(records_csv, mapping)
        status.update(f"Linking {len(records)} records (training, scoring)...")
        config = LinkageConfig(
            threshold=threshold,
            review_band=(min(threshold, 0.5), max(threshold, 0.99)),
            seed=seed,
            backend=backend,
            repeating_lists=(UNNAMED_LIST,),
            count_compared=as_json,
        )
        result = ProbabilisticLinker(config).run(records)
        status.update("Writing persons...")
        assignment = result.clustering.assignment
        _write(out, [(r.record_id, assignment[r.record_id]) for r in records])
    seconds = time.perf_counter() - started
    summary = {
        "records": len(records),
        "persons": result.clustering.n_persons,
        "pairs_compared": result.pairs_compared,
        "seconds": round(seconds, 3),
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        console.print(
            f"Linked {summary['records']} records into {summary['persons']} persons; "
            f"wrote {out}."
        )
