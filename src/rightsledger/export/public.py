"""The public export: aggregates only, as CSV and JSON, for anyone to read.

What leaves the ledger (docs/export.md has the full list and the reasons):

- counts of person records by list and year of arrest, by facility and fate, and
  by list and sex, with small-cell and complementary suppression, protected
  together because they share totals;
- counts of observations from public sources by benchmark, period and stance;
- the status of each benchmark per period, and population estimates rounded to
  three significant figures, with dates coarsened to a year, quarter or month.

What never leaves: names, birth years, record ids, pseudonyms, provinces, sighting
dates, free text of any kind (summaries, reasons, diagnostics), the ids of
non-public sources, and anything from a non-public source's observations.

Database-free: the caller reads the ledger and passes plain domain values in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rightsledger import __version__
from rightsledger.domain import (
    BenchmarkAssessment,
    Catalogue,
    EstimateResult,
    Observation,
    PersonRecord,
    Source,
)

from . import _files
from ._dates import DatePrecision
from ._evidence import estimate_table, observation_table, status_table
from ._lists import list_labels, lists_table
from ._people import count_records, record_tables
from ._readme import legend, readme
from ._tables import CrossTable, ListTable
from .suppression import Suppression, check_threshold

__all__ = ["ExportSummary", "write_public_export"]


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What :func:`write_public_export` wrote (for the operator, not published).

    Attributes:
        out_dir: The folder written.
        files: Names of the files written, the manifest last.
        suppressed: Hidden entries of the record tables by kind: ``primary``
            (shown ``<t``), ``complementary`` and ``widened`` (both shown ``x``).
        records: Person records counted.
        observations: Observations counted (public sources).
        observations_left_out: Observations not counted (source not public).
    """

    out_dir: Path
    files: tuple[str, ...]
    suppressed: dict[str, int]
    records: int
    observations: int
    observations_left_out: int


def write_public_export(
    out_dir: Path,
    *,
    catalogue: Catalogue,
    sources: Mapping[str, Source],
    observations: Iterable[Observation],
    records: Iterable[PersonRecord],
    assessments: Mapping[date, Sequence[BenchmarkAssessment]],
    estimates: Sequence[EstimateResult],
    generated_on: date,
    threshold: int = 5,
    date_precision: DatePrecision | str = DatePrecision.YEAR,
) -> ExportSummary:
    """Write the public export of a ledger into ``out_dir``.

    Args:
        out_dir: Folder to write; created if missing. It must be empty or hold
            an earlier export (whose files are replaced).
        catalogue: The ledger's catalogue (benchmarks, indicators, facilities).
        sources: Every source by id; decides which observations count and which
            list ids may be published.
        observations: Every observation; only those of public sources count.
        records: Person records; only list, year of arrest, facility, fate and
            sex are read. Read once, so an iterator is fine.
        assessments: Benchmark assessments by date (``Ledger.latest_assessments()``).
        estimates: Population estimates (``Ledger.estimates()``).
        generated_on: The date written into the export (no clock is read).
        threshold: Counts of persons from 1 to ``threshold - 1`` are hidden (the
            ledger's ``small_cell_threshold``); 1 switches suppression off.
        date_precision: ``year``, ``quarter`` or ``month``.

    Returns:
        What was written, and how many entries were hidden, by kind.

    Raises:
        ValueError: threshold 2 or below 1, or an unknown date precision.
        InputError: ``out_dir`` is a file or holds files of something else.

    Examples:
        >>> summary = write_public_export(Path("public"), catalogue=cat,
        ...     sources=ledger.sources(), observations=ledger.observations(),
        ...     records=ledger.records(purpose="public export"),
        ...     assessments=ledger.latest_assessments(),
        ...     estimates=ledger.estimates(), generated_on=date(2026, 11, 27))
        >>> summary.files[-1]
        'manifest.json'
    """
    check_threshold(threshold)
    precision = DatePrecision(date_precision)
    counted = count_records(records, catalogue)
    list_ids = {f.list for f in counted} | {x for e in estimates for x in e.lists}
    labels = list_labels(list_ids, sources)
    crosses = record_tables(counted, catalogue, labels, threshold)
    observed, n_obs, left_out = observation_table(
        observations, sources, catalogue, precision
    )
    lists: list[ListTable] = [
        lists_table(labels, sources),
        observed,
        status_table(assessments, catalogue, precision),
        estimate_table(estimates, labels, precision, threshold),
    ]
    tables: list[CrossTable | ListTable] = [*crosses, *lists]
    header = {
        "format": _files.FORMAT,
        "format_version": _files.FORMAT_VERSION,
        "software_version": __version__,
        "catalogue": catalogue.name,
        "country": catalogue.country,
        "generated_on": generated_on.isoformat(),
        "threshold": threshold,
        "date_precision": precision.value,
    }
    names = _write_all(out_dir, tables, catalogue, header)
    kinds = Counter[Suppression]()
    for cross in crosses:
        kinds.update(cross.table.suppressed())
    return ExportSummary(
        out_dir=out_dir,
        files=tuple(names),
        suppressed={k.value: kinds[k] for k in Suppression},
        records=sum(counted.values()),
        observations=n_obs,
        observations_left_out=left_out,
    )


def _write_all(
    out_dir: Path,
    tables: Sequence[CrossTable | ListTable],
    catalogue: Catalogue,
    header: dict[str, Any],
) -> list[str]:
    """Write every file, the manifest last; return their names in that order."""
    csvs = [_files.csv_name(t) for t in tables]
    names = [_files.README_NAME, _files.JSON_NAME, *csvs]
    _files.prepare(out_dir, [*names, _files.MANIFEST_NAME])
    threshold = int(header["threshold"])
    document = {
        **header,
        "legend": legend(threshold),
        "facilities": [
            {"id": f.id, "name": f.name, "type": f.type.value}
            for f in catalogue.facilities
        ],
        "benchmarks": [{"id": b.id, "title": b.title} for b in catalogue.benchmarks],
        "tables": {t.name: _files.table_json(t) for t in tables},
    }
    _files.write(out_dir, _files.README_NAME, readme(header, tables))
    _files.write(out_dir, _files.JSON_NAME, _files.dumps(document))
    for table, name in zip(tables, csvs, strict=True):
        _files.write(out_dir, name, _files.table_csv(table))
    _files.write(out_dir, _files.MANIFEST_NAME, _files.manifest(out_dir, names, header))
    return [*names, _files.MANIFEST_NAME]
