"""A SQLite backup restores into PostgreSQL and back: the SQLite ledger at the end
holds exactly the rows it started with, and every step verifies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from rightsledger.backup import check_backup, restore_backup, write_backup
from rightsledger.backup.codec import TableCodec
from rightsledger.ledger import Ledger
from rightsledger.store.tables import Base, CustodyRow

from .conftest import BACKUP_KEY, key_file_of, table_rows, vault_files, vault_of


def _encoded(engine: Engine) -> dict[str, list[bytes]]:
    """Rows as the archive writes them: the same on both kinds of database."""
    out: dict[str, list[bytes]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            codec = TableCodec(table)
            out[table.name] = [codec.encode(r) for r in conn.execute(codec.query())]
    return out


@pytest.mark.postgres
def test_sqlite_to_postgres_and_back(sqlite_filled, new_target, tmp_path: Path, clock):
    ledger, _ = sqlite_filled
    key_file = key_file_of(ledger)
    first = tmp_path / "from-sqlite.rlbackup"
    write_backup(ledger.engine, vault_of(ledger), BACKUP_KEY, first)

    pg = new_target("postgres", key_file, timezone="Asia/Seoul")
    restore_backup(first, BACKUP_KEY, pg.engine, pg.vault)
    assert _encoded(pg.engine) == _encoded(ledger.engine)
    with pg.engine.connect() as conn:
        at = conn.execute(select(CustodyRow.at).limit(1)).scalar_one()
    assert at.utcoffset() == timedelta(hours=9)  # the zone really is not UTC
    with Ledger.open(pg.settings, clock=clock) as on_pg:
        assert on_pg.verify() == []
        assert on_pg.sources() == ledger.sources()
        assert on_pg.observations() == ledger.observations()

    second = tmp_path / "from-postgres.rlbackup"
    made = write_backup(pg.engine, pg.vault, BACKUP_KEY, second)
    assert made.database == "postgresql"
    assert (
        check_backup(second, BACKUP_KEY).tables
        == check_backup(first, BACKUP_KEY).tables
    )

    back = new_target("sqlite", key_file)
    restore_backup(second, BACKUP_KEY, back.engine, back.vault)
    assert table_rows(back.engine) == table_rows(ledger.engine)
    assert vault_files(back.vault) == vault_files(vault_of(ledger))
    with Ledger.open(back.settings, clock=clock) as on_sqlite:
        assert on_sqlite.verify() == []
