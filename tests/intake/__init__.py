"""Helpers for the intake tests: rows of every kind written in every format, and
the state of a ledger taken so that "unchanged" can be checked byte for byte."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from rightsledger.ledger import Ledger
from rightsledger.store import parse_url, sqlite_path
from rightsledger.store.tables import Base

TEMPLATES = Path(__file__).parents[2] / "src" / "rightsledger" / "templates" / "intake"

#: Kinds in the order they can be imported (references point backwards).
ORDER = ("sources", "facilities", "observations", "records", "witnesses", "testimonies")

#: Synthetic rows of each kind, referring only to what earlier kinds (or the
#: packaged catalogue) provide. Every person here is invented.
ROWS: dict[str, list[dict[str, Any]]] = {
    "sources": [
        {
            "id": "t-list",
            "kind": "ngo-list",
            "title": "Test list (synthetic)",
            "owner": "Test NGO",
            "reliability": "B",
            "published_on": "2024-03-01",
        },
        {
            "id": "t-talks",
            "kind": "testimony",
            "title": "Test interviews (synthetic)",
            "owner": "Test NGO",
            "reliability": "c",
            "confidentiality": "confidential",
        },
    ],
    "facilities": [
        {
            "id": "t-centre",
            "name": "Test holding centre (fictitious)",
            "type": "jipkyulso",
            "location": "Test county",
            "latitude": "41.5",
            "longitude": "129.6",
            "operator": "Test ministry",
        }
    ],
    "observations": [
        {
            "source_id": "t-list",
            "indicator_key": "release-political-prisoners/verified-releases",
            "observed_on": "2024-02-28",
            "stance": "contradicts",
            "credibility": "3",
            "summary": "No release confirmed (test)",
            "value": "0",
        },
        {
            "source_id": "t-talks",
            "indicator_key": "dismantle-political-prison-camps/acknowledge-camps",
            "observed_on": "2024-05-20",
            "stance": "contradicts",
            "credibility": "2",
            "summary": "Camp denied (test)",
            "facility_id": "t-centre",
        },
    ],
    "records": [
        {
            "record_id": "t-r1",
            "source_id": "t-list",
            "full_name": "홍길남",
            "sex": "M",
            "birth_year": "1961",
            "facility_id": "t-centre",
            "seen_from": "1999-04-01",
            "seen_to": "2010-12-31",
        },
        {
            "record_id": "t-r2",
            "source_id": "t-list",
            "full_name": "Test Sun-ok",
            "sex": "F",
            "fate": "released",
        },
    ],
    "witnesses": [
        {
            "witness_id": "t-w1",
            "full_name": "박시험",
            "consent": "anonymised",
            "birth_year": "1970",
            "contact": "via the test caseworker",
            "family_inside": "yes",
        }
    ],
    "testimonies": [
        {
            "testimony_id": "t-t1",
            "source_id": "t-talks",
            "text": "(Synthetic.) A test account of the holding centre.",
            "witness_id": "t-w1",
            "recorded_on": "2024-05-20",
        }
    ],
}

FORMATS = ("csv", "json-array", "json-object", "jsonl", "yaml")
_SUFFIX = {
    "csv": "csv",
    "json-array": "json",
    "json-object": "json",
    "jsonl": "jsonl",
    "yaml": "yaml",
}


def write_rows(
    folder: Path, kind: str, fmt: str, rows: Sequence[dict[str, Any]], name: str = ""
) -> Path:
    """Write ``rows`` of ``kind`` as a file of format ``fmt`` (see FORMATS)."""
    path = folder / f"{name or kind}-{fmt}.{_SUFFIX[fmt]}"
    if fmt == "csv":
        columns = list(dict.fromkeys(k for r in rows for k in r))
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, fieldnames=columns)
            out.writeheader()
            out.writerows(rows)
    elif fmt == "json-array":
        path.write_text(json.dumps(list(rows), ensure_ascii=False), encoding="utf-8")
    elif fmt == "json-object":
        holder = {"note": "synthetic", kind: list(rows)}
        path.write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")
    elif fmt == "jsonl":
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        body = yaml.safe_dump(list(rows), allow_unicode=True, sort_keys=False)
        path.write_text(body, encoding="utf-8")
    return path


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def database_file(ledger: Ledger) -> Path | None:
    return sqlite_path(parse_url(ledger.settings.database_url))


def file_digest(ledger: Ledger) -> str | None:
    """SHA-256 of the SQLite file with every connection closed (so nothing is
    held in a connection or a journal), or None on PostgreSQL."""
    path = database_file(ledger)
    if path is None:
        return None
    ledger.engine.dispose()
    assert not Path(f"{path}-journal").exists()
    assert not Path(f"{path}-wal").exists()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_state(ledger: Ledger) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table."""
    tables: dict[str, tuple[int, str]] = {}
    with ledger.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            tables[table.name] = (len(rows), digest)
    return tables


def ledger_state(ledger: Ledger) -> tuple[str | None, dict[str, tuple[int, str]]]:
    """What must not change when an import fails: the SQLite file's bytes, and
    every table's rows (the only check on PostgreSQL)."""
    digest = file_digest(ledger)
    return digest, table_state(ledger)


def import_all(ledger: Ledger, folder: Path, fmt: str) -> None:
    """Import every kind of ROWS, in ORDER, as files of format ``fmt``."""
    for kind in ORDER:
        ledger.import_file(write_rows(folder, kind, fmt, ROWS[kind]), kind)
