"""Large files are read and prepared by worker processes (CSV cut into pieces at
record ends). What lands and what is reported must be exactly what the serial
path gives: the same rows, the same problems in the same order, also when a
piece is cut inside a quoted field and the import falls back to reading on."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest

from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.errors import InputError, InputErrors
from rightsledger.intake import importer, readers
from rightsledger.ledger import Ledger

from . import ROWS, table_state, write_rows

HEADER = ["record_id", "source_id", "full_name", "province", "birth_year", "seen_from"]


def _parallel(monkeypatch, chunk: int = 300) -> None:
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "WORKERS", 2)
    monkeypatch.setattr(readers, "CHUNK_BYTES", chunk)


def _serial(monkeypatch) -> None:
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 10**15)


def _children() -> set[int]:
    me = os.getpid()
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                out.add(int(entry.name))
    return out


def _write(path: Path, rows: list[list[str]], newline: str = "\n") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator=newline)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def _rows(n: int, breaks: bool = True) -> list[list[str]]:
    """Rows whose provinces are plain, quoted (comma, quotes) and, with
    ``breaks``, hold a line break (so a record's line is not its row number)."""
    out = []
    provinces = ["North Hamgyong", 'Ryanggang, "the north"', "line\nbreak"]
    for i in range(n):
        province = provinces[i % (3 if breaks else 2)]
        out.append([f"p-{i}", "t-list", f"이름 {i}", province, str(1930 + i % 70), ""])
    return out


def _new_ledger(tmp: Path, clock) -> Ledger:
    tmp.mkdir()
    settings = Settings(database_url=f"sqlite:///{tmp / 'l.sqlite'}", actor="test")
    ledger = Ledger.init(settings, clock=clock)
    ledger.load_catalogue()
    ledger.import_file(write_rows(tmp, "sources", "csv", ROWS["sources"]), "sources")
    return ledger


def _outcome(ledger: Ledger, path: Path) -> Any:
    """What an import did: its problems, or the records (decrypted) it stored."""
    try:
        summary = ledger.import_file(path, "records")
    except InputError as e:
        errors = e.errors if isinstance(e, InputErrors) else [e]
        return [(x.location, x.message) for x in errors]
    ledger.add_user("reader", Role.INVESTIGATOR)
    reader = Ledger.open(
        ledger.settings.model_copy(update={"actor": "reader"}), clock=ledger.now
    )
    with reader:
        records = sorted(
            (r.record_id, r.full_name, r.province, r.birth_year, r.seen_from)
            for r in reader.records(purpose="test")
        )
    return (summary.rows, summary.added, records)


def _both(tmp_path, clock, monkeypatch, path: Path, chunk: int = 300) -> Any:
    before = _children()
    _serial(monkeypatch)
    with _new_ledger(tmp_path / "serial", clock) as ledger:
        serial = _outcome(ledger, path)
    _parallel(monkeypatch, chunk)
    with _new_ledger(tmp_path / "parallel", clock) as ledger:
        parallel = _outcome(ledger, path)
    assert parallel == serial
    assert _children() == before  # no worker left behind
    return serial


def test_quoted_fields_with_commas_quotes_and_line_breaks(tmp_path, clock, monkeypatch):
    path = _write(tmp_path / "records.csv", _rows(400))
    rows, added, records = _both(tmp_path, clock, monkeypatch, path)
    assert (rows, added, len(records)) == (400, 400, 400)
    assert ("p-2", "이름 2", "line\nbreak", 1932, None) in records


def test_crlf_line_ends(tmp_path, clock, monkeypatch):
    path = _write(tmp_path / "records.csv", _rows(200), newline="\r\n")
    rows, added, _ = _both(tmp_path, clock, monkeypatch, path)
    assert (rows, added) == (200, 200)


def test_a_stray_quote_misaligns_the_pieces_and_the_import_reads_on(
    tmp_path, clock, monkeypatch
):
    rows = _rows(300)
    rows[5][3] = 'he said "no'  # a quote inside an unquoted field (not RFC 4180)
    path = tmp_path / "records.csv"
    _write(path, [])
    with path.open("a", encoding="utf-8", newline="") as fh:
        for i, r in enumerate(rows):
            if i == 5:
                fh.write(",".join(r) + "\n")  # written raw, so the quote stays stray
            else:
                csv.writer(fh).writerow(r)
    result = _both(tmp_path, clock, monkeypatch, path)
    assert result[0] == 300


def test_a_record_longer_than_the_carry_limit(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CARRY", 120)
    rows = _rows(200)
    rows[50][2] = "긴 이름 " * 36  # 179 characters, 400 bytes: no record end
    path = _write(tmp_path / "records.csv", rows)
    result = _both(tmp_path, clock, monkeypatch, path, chunk=50)
    assert result[0] == 200


def test_the_same_problems_in_the_same_order(tmp_path, clock, monkeypatch):
    rows = _rows(300, breaks=False)
    rows[3][4] = "19x0"
    rows[40][1] = "no-such-list"
    rows[41][5] = "2020-13-01"
    rows[120][0] = "p-7"  # a duplicate across pieces
    rows[299][0] = "p-298"
    rows[150].append("surplus")
    rows[151] = rows[151][:2]
    path = _write(tmp_path / "records.csv", rows)
    problems = _both(tmp_path, clock, monkeypatch, path)
    assert [p[0][1:] for p in problems] == [
        (5, "birth_year"),
        (42, "source_id"),
        (43, "seen_from"),
        (122, "record_id"),
        (152, None),
        (153, None),
        (301, "record_id"),
    ]


def test_a_reading_error_in_a_later_piece(tmp_path, clock, monkeypatch):
    path = _write(tmp_path / "records.csv", _rows(300))
    data = path.read_bytes().replace("이름 250".encode(), b"\xe9\xe9 250")
    path.write_bytes(data)
    problems = _both(tmp_path, clock, monkeypatch, path)
    ((where, message),) = problems
    assert "not UTF-8 text (line" in message


def test_a_field_over_the_reading_limit_in_a_later_piece(tmp_path, clock, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FIELD_CHARS", 100)
    rows = _rows(200)
    rows[120][2] = "x" * 150
    path = _write(tmp_path / "records.csv", rows)
    problems = _both(tmp_path, clock, monkeypatch, path)
    assert problems[-1][1] == "a field is longer than 100 characters"


@pytest.mark.parametrize("fmt", ["jsonl", "yaml"])
def test_other_formats_go_to_the_workers_as_rows(tmp_path, clock, monkeypatch, fmt):
    rows = [dict(zip(HEADER, r, strict=True)) for r in _rows(150)]
    rows[10]["birth_year"] = "old"
    path = write_rows(tmp_path, "records", fmt, rows)
    monkeypatch.setattr(importer, "BATCH", 40)
    problems = _both(tmp_path, clock, monkeypatch, path)
    assert [p[0][1:] for p in problems] == [(11, "birth_year")]


def test_parallel_import_on_each_backend(ledger, tmp_path, monkeypatch):
    """The workers' rows land through executemany (SQLite) and COPY (PostgreSQL)."""
    ledger.import_file(
        write_rows(tmp_path, "sources", "csv", ROWS["sources"]), "sources"
    )
    _parallel(monkeypatch)
    before = table_state(ledger)
    path = _write(tmp_path / "records.csv", _rows(500))
    summary = ledger.import_file(path, "records")
    assert (summary.rows, summary.added) == (500, 500)
    after = table_state(ledger)
    assert after["records"][0] == before["records"][0] + 500


@pytest.mark.parametrize(
    "header",
    [
        ["record_id", "source_id", "name"],  # a required column missing, one unknown
        HEADER,  # the header alone
    ],
)
def test_header_problems(tmp_path, clock, monkeypatch, header):
    path = tmp_path / "records.csv"
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    problems = _both(tmp_path, clock, monkeypatch, path)
    assert problems and all(p[0][1] in (1, None) for p in problems)
