"""`estimate`: hidden totals from the ledger, and `estimate table` from a CSV file."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..access import Permission
from ..chain import EstimateSummary, run_estimate
from ..errors import EstimationError, EstimationWarning, InputError
from ..estimate import (
    DEFAULT_METHOD,
    METHODS,
    CaptureTable,
    EstimateFit,
    compare_methods,
    fit_method,
    spread_summary,
)
from ..estimate.methods import load_estimator
from ..jobs import ProgressFn
from ..jobs.summaries import estimate_result
from ..jobs.terminal import run_here, stage_progress
from ..populations import PopulationSpec
from ._common import err_console, open_ledger, parse_date
from ._estimate_output import echo_comparison, echo_fit, fit_json, num

_METHOD = click.Choice(sorted(METHODS), case_sensitive=False)


def _yearly(
    pid: str, facilities: tuple[str, ...], start: date, end: date
) -> list[PopulationSpec]:
    return [
        PopulationSpec(
            pid, facilities, max(start, date(y, 1, 1)), min(end, date(y, 12, 31))
        )
        for y in range(start.year, end.year + 1)
    ]


@click.group(invoke_without_command=True)
@click.option(
    "--population",
    "pid",
    default="detainees",
    show_default=True,
    help="Name of the population (estimate rules in the catalogue refer to it).",
)
@click.option(
    "--facility",
    "facilities",
    multiple=True,
    help="Facility id; repeat for several. Default: all.",
)
@click.option("--from", "start", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", help="Last day of the period (YYYY-MM-DD).")
@click.option(
    "--yearly", is_flag=True, help="One estimate per calendar year of the period."
)
@click.option(
    "--method",
    default=DEFAULT_METHOD,
    show_default=True,
    type=_METHOD,
    help="Estimation method (see `estimate table --help`).",
)
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Seed for random draws."
)
@click.pass_context
def estimate(
    ctx: click.Context,
    pid: str,
    facilities: tuple[str, ...],
    start: str | None,
    end: str | None,
    yearly: bool,
    method: str,
    seed: int,
) -> None:
    """Estimate how many people a population holds, from the overlap of the lists.

    Without a subcommand: estimate from the ledger's latest linkage run (--from and
    --to required). The interval is widened to cover alternative linkages (a
    probabilistic run re-clustered at five thresholds across its review band; an
    exact run redone at birth-year tolerance 0, 1 and 2). Each result is stored
    with its inputs. `estimate table FILE.csv` works on a capture table, without
    a ledger.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not start or not end:
        raise click.UsageError(
            "--from and --to are required to estimate from the ledger"
        )
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    specs = (
        _yearly(pid, facilities, first, last)
        if yearly
        else [PopulationSpec(pid, facilities, first, last)]
    )
    found: list[EstimateSummary] = []
    with (
        open_ledger(ctx) as ledger,
        stage_progress(err_console, "Estimating") as bar,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always", EstimationWarning)

        def work(progress: ProgressFn) -> dict[str, object]:
            summary = run_estimate(
                ledger, specs, method=method, seed=seed, progress=progress
            )
            found.append(summary)
            return estimate_result(summary)

        run_here(
            ledger,
            "estimate",
            work,
            needs=Permission.RUN_ANALYSIS,
            target="estimate",
            echo=bar,
        )
    out = found[0]
    for r in out.results:
        click.echo(
            f"{r.population} to {r.as_of}: {r.estimate:,.0f} "
            f"({r.lower:,.0f}-{num(r.upper)}, {r.confidence:.0%}, including "
            f"linkage alternatives), observed {r.observed}, {r.method}"
        )
    for line in out.skipped:
        click.echo(f"skipped {line}")
    # the fits' warnings (also stored with each result), once each, in words
    said = dict.fromkeys(
        str(w.message)
        for w in caught or []
        if issubclass(w.category, EstimationWarning)
    )
    for text in said:
        click.echo(f"Caution: {text}")


def _parse_settings(values: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--set")
        try:
            out[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip()] = raw
    return out


def _read_rows(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        raise InputError("no rows under the header", file=path.name)
    return rows, list(reader.fieldnames or [])


@contextmanager
def _warnings_in_summary() -> Iterator[None]:
    """Estimation warnings are stored in the fit and printed as "Caution" lines;
    do not print them a second time as Python warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        yield


def _fit_one(
    path: Path,
    method: str,
    seed: int | None,
    confidence: float,
    strata: Sequence[str],
    settings: dict[str, Any],
) -> EstimateFit:
    rows, columns = _read_rows(path)
    if not strata:
        table = CaptureTable.from_rows(rows, source=path.name)
        return fit_method(method, table, seed=seed, confidence=confidence, **settings)
    missing = [c for c in strata if c not in columns]
    if missing:
        raise InputError(f"no column {missing[0]!r} for --strata", file=path.name)
    lists = [c for c in columns if c != "count" and c not in strata]
    split = load_estimator("strata", "split_strata", "stratified")
    stratified = load_estimator("strata", "Stratified", "stratified")
    tables = split(rows, lists, list(strata), source=path.name)

    def fit_stratum(table: CaptureTable) -> EstimateFit:
        try:
            return fit_method(
                method, table, seed=seed, confidence=confidence, **settings
            )
        except InputError as e:  # e.g. a list nobody in this stratum is on
            raise EstimationError(str(e)) from e

    fit: EstimateFit = stratified(tables, fit_stratum).fit(seed=seed)
    return fit


def _compare_names(value: str) -> list[str]:
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in METHODS]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown method {unknown[0] if unknown else value!r}; choose from "
            + ", ".join(METHODS),
            param_hint="--compare",
        )
    return names


@estimate.command("table")
@click.argument(
    "table_file",
    metavar="TABLE.csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--method",
    default=DEFAULT_METHOD,
    show_default=True,
    type=_METHOD,
    help="Estimation method.",
)
@click.option("--seed", type=int, help="Seed for random draws (Bayesian methods).")
@click.option(
    "--confidence",
    default=0.95,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Nominal coverage of the interval.",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help=(
        "A setting of the method, e.g. --set K=5 --set burnin=2000; with --compare, "
        "METHOD.KEY=VALUE sets it for one method (--set lcmcr.K=5); repeatable."
    ),
)
@click.option(
    "--strata",
    multiple=True,
    metavar="COL",
    help="A stratum column: estimate per stratum and combine; repeatable.",
)
@click.option(
    "--compare",
    metavar="M1,M2,...",
    help="Fit several methods and show them side by side (ignores --method).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--full", is_flag=True, help="With --json: keep long arrays.")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a figure (posterior, or forest plot with --compare) to this file.",
)
def table_cmd(
    table_file: Path,
    method: str,
    seed: int | None,
    confidence: float,
    settings: tuple[str, ...],
    strata: tuple[str, ...],
    compare: str | None,
    as_json: bool,
    full: bool,
    plot_file: Path | None,
) -> None:
    """Estimate the total from a capture table (CSV), without a ledger.

    TABLE.csv has one 0/1 column per list and a `count` column (the format of
    datasets/mse); stratum columns are named with --strata (also with
    --compare: every method per stratum, then combined). Prints the estimate,
    its interval, the model, diagnostics and a plain-language summary. Methods:
    chapman, loglinear, stepwise, lcmcr, dga, chao, mth-chao, mth-darroch,
    mth-poisson.
    """
    options = _parse_settings(settings)
    if compare:
        names = _compare_names(compare)
        with _warnings_in_summary():
            results = _fit_compared(
                table_file, names, seed, confidence, strata, options
            )
        _show_compared(results, names, as_json, full, plot_file)
        return
    chosen = method.lower()
    with _warnings_in_summary():
        fit = _fit_one(
            table_file,
            chosen,
            seed,
            confidence,
            strata,
            _settings_for(options, [chosen])[chosen],
        )
    if plot_file:
        from ..estimate.plot import plot_estimate

        plot_estimate(fit, plot_file)
    if as_json:
        click.echo(json.dumps(fit_json(fit, full=full), indent=2))
        return
    echo_fit(fit)
    if plot_file:
        click.echo(f"\nFigure: {plot_file}")


def _settings_for(
    options: dict[str, Any], names: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Settings per method: ``KEY`` goes to every method, ``METHOD.KEY`` to one."""
    out: dict[str, dict[str, Any]] = {name: {} for name in names}
    for key, value in options.items():
        method, dot, setting = key.rpartition(".")
        if not dot:
            for name in names:
                out[name][key] = value
            continue
        if method.lower() not in out:
            raise click.BadParameter(
                f"{key}={value!r} is for method {method!r}, which is not being "
                f"fitted ({', '.join(names)})",
                param_hint="--set",
            )
        out[method.lower()][setting] = value
    return out


def _fit_compared(
    path: Path,
    names: list[str],
    seed: int | None,
    confidence: float,
    strata: Sequence[str],
    options: dict[str, Any],
) -> list[EstimateFit | EstimationError]:
    """Each method on the same table (or the same strata); failures in place."""
    per_method = _settings_for(options, names)
    if not strata:
        rows, _ = _read_rows(path)
        table = CaptureTable.from_rows(rows, source=path.name)
        return compare_methods(
            table, names, seed, confidence=confidence, options=per_method
        )
    results: list[EstimateFit | EstimationError] = []
    for name in names:
        try:
            settings = per_method[name]
            results.append(_fit_one(path, name, seed, confidence, strata, settings))
        except EstimationError as e:
            results.append(e)
    return results


def _show_compared(
    results: list[EstimateFit | EstimationError],
    names: list[str],
    as_json: bool,
    full: bool,
    plot_file: Path | None,
) -> None:
    if plot_file:
        from ..estimate.plot import plot_comparison

        plot_comparison(results, plot_file, labels=names)
    if as_json:
        items = [
            fit_json(r, full=full)
            if isinstance(r, EstimateFit)
            else {"method": n, "error": str(r)}
            for n, r in zip(names, results, strict=True)
        ]
        payload = {"results": items, "spread": spread_summary(results)}
        click.echo(json.dumps(payload, indent=2))
        return
    echo_comparison(results, names)
    if plot_file:
        click.echo(f"\nFigure: {plot_file}")
