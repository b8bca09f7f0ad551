"""Backup then restore gives the same ledger, on SQLite and on PostgreSQL: every
row of every table, every vault file, a custody chain that verifies, attachments
that decrypt, and ids that keep counting after the restore."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, func, inspect, select

from rightsledger.backup import check_backup, read_public, restore_backup, write_backup
from rightsledger.config import Settings
from rightsledger.domain import Clustering, Role
from rightsledger.errors import ConfigError
from rightsledger.ledger import Ledger
from rightsledger.store import make_engine, migrations_runner, parse_url
from rightsledger.store.tables import Base, Meta, PersonLinkRow
from rightsledger.vault import FieldCipher, LedgerKey

from .conftest import (
    BACKUP_KEY,
    is_empty,
    key_file_of,
    table_rows,
    vault_files,
    vault_of,
)


def _backup(ledger: Ledger, tmp_path: Path) -> Path:
    out = tmp_path / "ledger.rlbackup"
    write_backup(ledger.engine, vault_of(ledger), BACKUP_KEY, out)
    return out


@pytest.fixture
def archive(filled, tmp_path: Path) -> Path:
    return _backup(filled[0], tmp_path)


def test_restore_gives_the_same_ledger(filled, archive, new_target, clock):
    ledger, contents = filled
    target = new_target(
        "sqlite" if ledger.engine.dialect.name == "sqlite" else "postgres",
        key_file_of(ledger),
    )
    manifest = restore_backup(archive, BACKUP_KEY, target.engine, target.vault)

    assert table_rows(target.engine) == table_rows(ledger.engine)
    assert vault_files(target.vault) == vault_files(vault_of(ledger))
    assert len(manifest.vault_files) == len(contents)
    with Ledger.open(target.settings, clock=clock) as restored:
        assert restored.verify() == []
        # new rows after the restore extend the chain
        restored.add_user("investigator", Role.INVESTIGATOR)
        assert restored.verify() == []
    as_investigator = target.settings.model_copy(update={"actor": "investigator"})
    with Ledger.open(as_investigator, clock=clock) as restored:
        attached = {a.original_name: a.sha256 for a in restored.attachments()}
        assert set(attached) == set(contents)
        for name, data in contents.items():
            assert attached[name] == hashlib.sha256(data).hexdigest()
            out = io.BytesIO()
            restored.read_attachment(attached[name], out)
            assert out.getvalue() == data
        assert restored.verify() == []


def test_ids_keep_counting_after_a_restore(filled, archive, new_target, clock):
    ledger, _ = filled
    kind = "sqlite" if ledger.engine.dialect.name == "sqlite" else "postgres"
    target = new_target(kind, key_file_of(ledger))
    restore_backup(archive, BACKUP_KEY, target.engine, target.vault)
    with ledger.sessions.read() as s:
        linked = s.scalars(select(PersonLinkRow.record_id).limit(2)).all()
        top = s.scalar(select(func.max(PersonLinkRow.id)))
    with Ledger.open(target.settings, clock=clock) as restored:
        restored.record_run(
            "link",
            {"method": "after-restore"},
            linked,
            clustering=Clustering(dict.fromkeys(linked, "P-new"), "after-restore"),
        )
        with restored.sessions.read() as s:
            ids = s.scalars(
                select(PersonLinkRow.id).where(PersonLinkRow.person_id == "P-new")
            ).all()
        assert sorted(ids) == [top + 1, top + 2]
        assert restored.verify() == []


def test_manifest_describes_the_ledger(filled, archive):
    ledger, contents = filled
    manifest = check_backup(archive, BACKUP_KEY)
    counts = {}
    with ledger.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = conn.scalar(select(func.count()).select_from(table))
    assert manifest.tables == counts
    assert list(manifest.tables) == [t.name for t in Base.metadata.sorted_tables]
    assert manifest.tables["records"] > 0 and manifest.tables["person_links"] == 50
    assert manifest.schema_revision == migrations_runner.head_revision()
    assert manifest.database == ledger.engine.dialect.name
    assert manifest.vault_bytes == sum(
        len(b) for b in vault_files(vault_of(ledger)).values()
    )
    assert len(manifest.vault_files) == len(contents)
    assert "tables" in manifest.summary()


def test_check_and_write_agree_and_check_writes_nothing(sqlite_filled, tmp_path):
    ledger, _ = sqlite_filled
    out = tmp_path / "b.rlbackup"
    lines: list[str] = []
    written = write_backup(
        ledger.engine,
        vault_of(ledger),
        BACKUP_KEY,
        out,
        progress=lines.append,
        key_fingerprint="f" * 32,
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    checked = check_backup(out, BACKUP_KEY)
    assert checked == written
    assert checked.key_fingerprint == "f" * 32
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert any(line.startswith("tables/records.jsonl") for line in lines)
    assert sum(line.startswith("vault/") for line in lines) == 3


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Engine]:
    """An empty ledger schema at the current revision (no rows)."""
    engine = make_engine(parse_url(f"sqlite:///{tmp_path / 'schema-only.sqlite'}"))
    migrations_runner.upgrade(engine)
    yield engine
    engine.dispose()


def test_restore_refuses_a_non_empty_database(built, migrated, tmp_path):
    with pytest.raises(ConfigError, match="already holds tables"):
        restore_backup(built.archive, BACKUP_KEY, migrated, tmp_path / "new-vault")
    assert not (tmp_path / "new-vault").exists()


def test_restore_refuses_a_non_empty_vault(built, new_target):
    target = new_target("sqlite", built.key_file)
    target.vault.mkdir()
    (target.vault / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not empty"):
        restore_backup(built.archive, BACKUP_KEY, target.engine, target.vault)
    assert [p.name for p in target.vault.iterdir()] == ["keep.txt"]
    assert not inspect(target.engine).get_table_names()


def test_backup_never_overwrites(migrated, tmp_path):
    out = tmp_path / "taken.rlbackup"
    out.write_bytes(b"someone else's file")
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        write_backup(migrated, tmp_path / "vault", BACKUP_KEY, out)
    assert out.read_bytes() == b"someone else's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "schema-only.sqlite",
        "taken.rlbackup",
    ]


def test_a_failure_during_restore_leaves_the_target_empty(
    built, new_target, monkeypatch
):
    from rightsledger.backup import restore

    target = new_target("sqlite", built.key_file)

    def broken(self, name, src):
        raise OSError("disk full")

    # vault files come after every table: the rows are in when this fails
    monkeypatch.setattr(restore._Restorer, "_file", broken)
    with pytest.raises(OSError, match="disk full"):
        restore_backup(built.archive, BACKUP_KEY, target.engine, target.vault)
    assert is_empty(target)
    assert [p for p in target.vault.parent.iterdir() if "restoring" in p.name] == []


def test_a_backup_of_another_schema_is_refused(
    migrated, tmp_path, new_target, monkeypatch
):
    from rightsledger.backup import archive as archive_module

    monkeypatch.setattr(archive_module, "_current_revision", lambda _engine: "0000")
    out = tmp_path / "old.rlbackup"
    write_backup(migrated, tmp_path / "vault", BACKUP_KEY, out)
    target = new_target("sqlite", tmp_path / "unused.key")
    with pytest.raises(ConfigError, match="backup has schema 0000"):
        restore_backup(out, BACKUP_KEY, target.engine, target.vault)
    assert is_empty(target)


def test_backup_refuses_a_database_behind_the_code(tmp_path):
    engine = make_engine(parse_url(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    migrations_runner.upgrade(engine, "0001")
    with pytest.raises(ConfigError, match="has schema 0001"):
        write_backup(engine, tmp_path / "v", BACKUP_KEY, tmp_path / "b")
    engine.dispose()
    assert not (tmp_path / "b").exists()


def test_unfinished_writes_are_skipped_and_links_refused(sqlite_filled, tmp_path):
    ledger, contents = sqlite_filled
    vault = vault_of(ledger)
    (vault / ".incoming").mkdir(exist_ok=True)
    (vault / ".incoming" / "half-written.part").write_bytes(b"partial")
    (vault / "ab").mkdir(exist_ok=True)
    (vault / "ab" / ".tmp-file.tmp").write_bytes(b"partial")
    made = write_backup(ledger.engine, vault, BACKUP_KEY, tmp_path / "a.rlbackup")
    assert len(made.vault_files) == len(contents)
    assert not any("/." in m.name for m in made.members)

    (tmp_path / "elsewhere").write_bytes(b"not evidence")
    (vault / "ab" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match="not a regular file"):
        write_backup(ledger.engine, vault, BACKUP_KEY, tmp_path / "b.rlbackup")
    assert not (tmp_path / "b.rlbackup").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b.rlbackup")]


def test_a_passphrase_ledger_restores_from_the_archive_and_passphrase(
    tmp_path, new_target, clock
):
    """The scrypt salt lives in the database, inside the encrypted archive: the
    clear envelope carries it, so the passphrase alone opens the backup."""
    phrase = "correct horse battery staple"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'pp.sqlite'}",
        actor="test",
        passphrase=SecretStr(phrase),
    )
    out = tmp_path / "pp.rlbackup"
    with Ledger.init(settings, clock=clock, passphrase=phrase) as ledger:
        with ledger.sessions.read() as s:
            salt = s.get(Meta, "key_salt").value  # type: ignore[union-attr]
        key = LedgerKey.from_passphrase(phrase, bytes.fromhex(salt))
        write_backup(
            ledger.engine,
            vault_of(ledger),
            FieldCipher(key).backup_key,
            out,
            key_fingerprint=key.fingerprint,
            public={"key_source": "passphrase", "key_salt": salt},
        )
        before = table_rows(ledger.engine)

    public = read_public(out)  # no key needed
    again = LedgerKey.from_passphrase(phrase, bytes.fromhex(public["key_salt"]))
    target = new_target("sqlite", tmp_path / "no-key-file")
    manifest = restore_backup(
        out, FieldCipher(again).backup_key, target.engine, target.vault
    )
    assert manifest.key_fingerprint == again.fingerprint
    assert table_rows(target.engine) == before
    restored_settings = target.settings.model_copy(
        update={"passphrase": SecretStr(phrase)}
    )
    with Ledger.open(restored_settings, clock=clock) as restored:
        assert restored.verify() == []
