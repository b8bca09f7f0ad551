"""Memory stays flat: backing up and checking a table far larger than the memory
they use (rows are streamed, members spooled to disk)."""

from __future__ import annotations

import os
import time
import tracemalloc

from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine

from rightsledger.backup import archive, check_backup, write_backup

from .conftest import BACKUP_KEY

ROWS = 20_000
PAYLOAD = 500  # bytes of text per row: about 10 MB of rows in all
LIMIT = 6 * 1024 * 1024


def test_backup_and_check_use_flat_memory(tmp_path, monkeypatch):
    metadata = MetaData()
    table = Table(
        "big", metadata, Column("id", Integer, primary_key=True), Column("x", Text)
    )
    engine = create_engine(f"sqlite:///{tmp_path / 'big.sqlite'}")
    metadata.create_all(engine)
    filler = os.urandom(PAYLOAD // 2).hex()
    with engine.begin() as conn:
        for start in range(0, ROWS, 5000):
            conn.execute(
                table.insert(),
                [{"id": i, "x": filler} for i in range(start, start + 5000)],
            )
    monkeypatch.setattr(archive, "_current_revision", lambda _engine: "test")
    monkeypatch.setattr(archive, "SPOOL_BYTES", 512 * 1024)
    out = tmp_path / "big.rlbackup"

    started = time.perf_counter()
    tracemalloc.start()
    try:
        written = write_backup(
            engine, tmp_path / "no-vault", BACKUP_KEY, out, metadata=metadata
        )
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        checked = check_backup(out, BACKUP_KEY)
        _, check_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        engine.dispose()
    elapsed = time.perf_counter() - started

    assert checked == written and written.tables == {"big": ROWS}
    size = out.stat().st_size
    assert size > ROWS * PAYLOAD  # the data really is larger than the limit
    assert write_peak < LIMIT, f"backup peak {write_peak:,} bytes for {size:,}"
    assert check_peak < LIMIT, f"check peak {check_peak:,} bytes for {size:,}"
    print(  # noqa: T201 - the measurement, shown with -s
        f"{ROWS:,} rows, archive {size:,} B: write peak {write_peak:,} B, "
        f"check peak {check_peak:,} B, {elapsed:.1f} s (traced)"
    )
