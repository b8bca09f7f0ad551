"""Writing the export: CSV per table, one JSON, a README and a manifest.

Every file is UTF-8 with ``\\n`` line ends, keys and rows in a fixed order, and no
clock reading: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rightsledger.errors import InputError

from ._tables import CrossTable, ListTable, Value

FORMAT = "rightsledger-public-export"
FORMAT_VERSION = 1
JSON_NAME = "export.json"
README_NAME = "README.txt"
MANIFEST_NAME = "manifest.json"

Table = CrossTable | ListTable

#: A cell starting with one of these would be run as a formula by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_name(table: Table) -> str:
    return f"{table.name}.csv"


def prepare(out_dir: Path, names: Sequence[str]) -> None:
    """Create ``out_dir``, or accept it empty or holding an earlier export.

    Raises:
        InputError: ``out_dir`` is a file, or holds files this export does not
            write (so nothing of someone else's is overwritten or mixed in).
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("is not a folder", file=str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = {*names, *(f".{n}.tmp" for n in names)}
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in ours)
    if foreign:
        raise InputError(
            "holds files that are not part of a public export "
            f"({', '.join(foreign[:5])}); choose an empty folder",
            file=str(out_dir),
        )


def write(out_dir: Path, name: str, text: str) -> None:
    """Write one file whole: to a temporary name, then renamed over."""
    tmp = out_dir / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(out_dir / name)


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)


def table_csv(table: Table) -> str:
    """One table as CSV: a cross table with its totals, a list with a header."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    if isinstance(table, CrossTable):
        shown = table.table.shown()
        out.writerow([table.rows_are, *table.column_labels, "total"])
        for label, row in zip(table.row_labels, shown, strict=False):
            out.writerow([_csv_value(v) for v in (label, *row)])
        out.writerow([_csv_value(v) for v in ("total", *shown[-1])])
    else:
        out.writerow(table.fields)
        for record in table.rows:
            out.writerow([_csv_value(v) for v in record])
    return buf.getvalue()


def table_json(table: Table) -> dict[str, Any]:
    """One table as JSON: counts as numbers, hidden ones as their marks."""
    if isinstance(table, ListTable):
        return {
            "title": table.title,
            "fields": list(table.fields),
            "rows": [dict(zip(table.fields, r, strict=True)) for r in table.rows],
        }
    shown = table.table.shown()
    return {
        "title": table.title,
        "rows_are": table.rows_are,
        "columns_are": table.columns_are,
        "rows": list(table.row_labels),
        "columns": list(table.column_labels),
        "cells": [row[:-1] for row in shown[:-1]],
        "row_totals": [row[-1] for row in shown[:-1]],
        "column_totals": shown[-1][:-1],
        "total": shown[-1][-1],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def manifest(out_dir: Path, names: Sequence[str], header: dict[str, Any]) -> str:
    """The manifest: size and SHA-256 of every other file, sorted by name."""
    files = []
    for name in sorted(names):
        raw = (out_dir / name).read_bytes()
        files.append(
            {"name": name, "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
        )
    return dumps({**header, "files": files})
