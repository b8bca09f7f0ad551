"""Restoring a backup into an empty database and an empty vault folder.

The archive is checked whole first (:func:`check_backup`), so a wrong key, an
altered byte or a truncated file is found before anything is written. Then the
schema is created by the migrations, the archive is read a second time and its
rows are inserted in batches in one transaction while the vault files go to a
staging folder; only when this second pass matches the manifest again is the
transaction committed and the staging folder renamed into place. On any failure
the database is emptied again and the staging folder removed, so the target is
left as it was: empty.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, MetaData, inspect, text

from ..errors import ConfigError, IntegrityError
from ..store import migrations_runner
from ..store.tables import Base
from ..vault.stream import CHUNK_SIZE
from ._scan import HashingReader, Progress, scan, vault_relative
from .archive import BATCH_ROWS, _quiet, check_backup
from .codec import TableCodec, decode_row, read_header
from .manifest import TABLES_PREFIX, BackupManifest, table_member


def restore_backup(
    path: Path,
    key: bytes,
    engine: Engine,
    vault_dir: Path,
    *,
    progress: Progress | None = None,
    metadata: MetaData = Base.metadata,
) -> BackupManifest:
    """Restore an archive into an empty database and an empty or missing vault.

    Args:
        path: the archive.
        key: the 32-byte backup key it was written with.
        engine: the target database; it must hold no table at all.
        vault_dir: the target vault folder; it must be empty or not exist.
        progress: called with a short line after each member.
        metadata: the ledger's tables (default: the application's).

    Returns:
        The archive's manifest.

    Raises:
        ConfigError: the target is not empty, or the archive is of another
            schema revision than this software.
        NotFound: no archive at ``path``.
        IntegrityError: wrong key, altered or truncated archive. Nothing is
            written in any of these cases.
    """
    say = progress or _quiet
    vault_dir = Path(vault_dir)
    _require_empty(engine, vault_dir)
    manifest = check_backup(path, key, progress=lambda m: say(f"checked {m}"))
    _require_compatible(manifest, metadata)
    _require_empty(engine, vault_dir)
    tables = {t.name: TableCodec(t) for t in metadata.sorted_tables}
    with _staging(vault_dir) as staging:
        try:
            migrations_runner.upgrade(engine)
            with engine.begin() as conn:
                visit = _Restorer(conn, tables, staging, where=f"backup archive {path}")
                again = scan(Path(path), key, visit, lambda m: say(f"restored {m}"))
                if again != manifest:
                    raise IntegrityError(
                        f"backup archive {path} changed between check and restore"
                    )
                _advance_sequences(conn, metadata)
            _publish(staging, vault_dir)
        except BaseException as e:
            _empty_database(engine, e)
            raise
    return manifest


class _Restorer:
    """Visitor of the second pass: rows into the database, files into staging."""

    def __init__(
        self,
        conn: Connection,
        tables: dict[str, TableCodec],
        staging: Path,
        *,
        where: str,
    ) -> None:
        self._conn = conn
        self._tables = tables
        self._staging = staging
        self._where = where

    def __call__(self, name: str, src: HashingReader) -> int | None:
        if name.startswith(TABLES_PREFIX):
            return self._rows(name, src)
        self._file(name, src)
        return None

    def _rows(self, name: str, src: HashingReader) -> int:
        where = f"{self._where}: {name}"
        table, columns = read_header(src.readline(), where=where)
        codec = self._tables.get(table)
        if codec is None or table_member(table) != name:
            raise ConfigError(f"{where}: table {table!r} is not in this schema")
        if columns != codec.columns:
            raise ConfigError(
                f"{where}: columns {columns} differ from this schema's {codec.columns}"
            )
        insert = codec.table.insert()
        batch: list[dict[str, Any]] = []
        rows = 0
        for line in src:
            rows += 1
            batch.append(decode_row(columns, line, where=where, row=rows))
            if len(batch) >= BATCH_ROWS:
                self._conn.execute(insert, batch)
                batch = []
        if batch:
            self._conn.execute(insert, batch)
        return rows

    def _file(self, name: str, src: HashingReader) -> None:
        target = self._staging / vault_relative(name, where=self._where)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            while block := src.read(CHUNK_SIZE):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())


def _require_empty(engine: Engine, vault_dir: Path) -> None:
    tables = inspect(engine).get_table_names()
    if tables:
        where = engine.url.render_as_string(hide_password=True)
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise ConfigError(
            f"{where} already holds tables ({shown}); restore needs an empty "
            "database and never overwrites a ledger"
        )
    if vault_dir.exists() and (not vault_dir.is_dir() or any(vault_dir.iterdir())):
        raise ConfigError(
            f"vault folder {vault_dir} is not empty; restore needs an empty or new "
            "folder and never overwrites evidence"
        )


def _require_compatible(manifest: BackupManifest, metadata: MetaData) -> None:
    head = migrations_runner.head_revision()
    if manifest.schema_revision != head:
        raise ConfigError(
            f"the backup has schema {manifest.schema_revision} (rightsledger "
            f"{manifest.software_version}); this rightsledger has schema {head}. "
            f"Restore it with rightsledger {manifest.software_version}, then upgrade"
        )
    ours = {t.name for t in metadata.sorted_tables}
    theirs = set(manifest.tables)
    if ours != theirs:
        raise ConfigError(
            "the backup's tables differ from this schema's: missing "
            f"{sorted(ours - theirs)}, unknown {sorted(theirs - ours)}"
        )


@contextmanager
def _staging(vault_dir: Path) -> Iterator[Path]:
    """A private folder beside the vault; removed unless it became the vault."""
    vault_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = vault_dir.parent / f".{vault_dir.name}.restoring-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _publish(staging: Path, vault_dir: Path) -> None:
    if vault_dir.exists():
        vault_dir.rmdir()  # checked empty above; fails if something appeared
    os.rename(staging, vault_dir)


def _advance_sequences(conn: Connection, metadata: MetaData) -> None:
    """PostgreSQL: move each serial column's sequence past the restored ids.

    Rows were inserted with their ids, which does not advance a sequence; the
    next insert would collide. SQLite needs nothing (it takes max(rowid) + 1).
    """
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, Integer):
                continue
            seq = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": quote.format_table(table), "c": column.name},
            ).scalar()
            if seq is None:
                continue
            col, tab = quote.quote(column.name), quote.format_table(table)
            conn.execute(
                text(
                    f"SELECT setval(:seq, COALESCE(MAX({col}), 0) + 1, false) "  # noqa: S608 - quoted identifiers
                    f"FROM {tab}"
                ),
                {"seq": seq},
            )


def _empty_database(engine: Engine, failure: BaseException) -> None:
    """Drop every table (the target was empty before the restore began); if that
    fails too, say so on the original error rather than hiding it."""
    try:
        existing = MetaData()
        existing.reflect(engine)
        existing.drop_all(engine)
    except Exception as e:  # noqa: BLE001 - reported on the original error
        failure.add_note(f"the partly restored tables could not be dropped: {e}")


__all__ = ["restore_backup"]
