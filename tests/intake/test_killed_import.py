"""A `rightsledger import` killed with SIGKILL in the middle leaves the ledger as
it was (SQLite rolls the hot journal back on the next open), its worker processes
go away with it, and the next import of the same file succeeds."""

from __future__ import annotations

import csv
import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rightsledger.config import Settings
from rightsledger.ledger import Ledger

from . import ROWS, write_rows

ROWS_IN_FILE = 120_000


def _write_records(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["record_id", "source_id", "full_name", "sex", "birth_year"])
        for i in range(n):
            out.writerow(
                [f"k-{i:07d}", "t-list", f"합성 {i}", "MF"[i % 2], 1940 + i % 60]
            )


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:  # a hot journal is rolled back here
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        counts = {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]  # noqa: S608
            for n in names
        }
    conn.close()
    return counts


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (
            (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        )
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists(), reason="watches processes in /proc")
def test_sigkill_in_the_middle_of_an_import(tmp_path, clock):
    db = tmp_path / "ledger.sqlite"
    settings = Settings(database_url=f"sqlite:///{db}", actor="test")
    with Ledger.init(settings, clock=clock) as ledger:
        ledger.load_catalogue()
        ledger.import_file(
            write_rows(tmp_path, "sources", "csv", ROWS["sources"]), "sources"
        )
    big = tmp_path / "records.csv"
    _write_records(big, ROWS_IN_FILE)
    before_bytes = hashlib.sha256(db.read_bytes()).hexdigest()
    before_counts = _counts(db)
    size = db.stat().st_size

    command = [
        sys.executable,
        "-c",
        "from rightsledger.cli import main; main()",
        "-d",
        str(db),
        "--actor",
        "test",
        "import",
        str(big),
        "--kind",
        "records",
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = Path(f"{db}-journal")
    deadline = time.monotonic() + 60
    # Under way: the transaction has outgrown SQLite's page cache and written
    # pages into the database file itself.
    while not (journal.exists() and db.stat().st_size > size + 1_000_000):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never got under way"
        time.sleep(0.01)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # workers holding its pipes would block this
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    assert journal.exists()  # a hot journal: died inside the transaction
    assert db.stat().st_size > size  # and the file itself had been written to

    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers):
        assert time.monotonic() < deadline, f"orphaned import workers {workers}"
        time.sleep(0.05)

    assert _counts(db) == before_counts
    assert not journal.exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_bytes
    with Ledger.open(settings, clock=clock) as ledger:
        assert ledger.verify() == []
        summary = ledger.import_file(big, "records")
        assert summary.added == ROWS_IN_FILE
        assert ledger.verify() == []
    assert _counts(db)["records"] == ROWS_IN_FILE
