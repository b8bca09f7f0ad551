"""Writing and checking a backup: one encrypted, self-verifying archive file.

The file is a short clear envelope (see :mod:`rightsledger.backup.envelope`)
followed by a tar stream (written with ``mode="w|"``, never seeked) encrypted
with :class:`rightsledger.vault.stream.EncryptingWriter` under a backup key, with
the envelope bound as associated data. The tar members, in order:

- ``tables/<table>.jsonl`` for every table of the ledger's metadata, in
  foreign-key order (see :mod:`rightsledger.backup.codec` for the lines);
- ``vault/<path>`` for every file of the evidence vault, byte for byte (vault
  files are already encrypted);
- ``manifest.json``: versions, schema revision, and each member's size, SHA-256
  and row count (see :mod:`rightsledger.backup.manifest`).

All tables are read in one read-only snapshot transaction, streamed in batches
(server-side cursors on PostgreSQL), and spooled to a temporary file only
because a tar header needs the member's size first: memory stays flat however
large the ledger.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData

from .. import __version__
from ..errors import ConfigError, IntegrityError
from ..store import migrations_runner
from ..store.tables import Base
from ..vault.stream import EncryptingWriter, atomic_output
from ._scan import ARCHIVE_AAD, HashingReader, Progress, scan
from .codec import TableCodec, decode_row, read_header
from .envelope import encode_envelope
from .manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    TABLES_PREFIX,
    VAULT_PREFIX,
    BackupManifest,
    Member,
    table_member,
)

SPOOL_BYTES = 8 * 1024 * 1024
BATCH_ROWS = 2000


def _quiet(_message: str) -> None:
    """The default progress callback: say nothing."""


def write_backup(
    engine: Engine,
    vault_dir: Path,
    key: bytes,
    out_path: Path,
    *,
    progress: Progress | None = None,
    key_fingerprint: str | None = None,
    public: Mapping[str, str] | None = None,
    now: datetime | None = None,
    metadata: MetaData = Base.metadata,
) -> BackupManifest:
    """Write the database and the vault to one encrypted archive at ``out_path``.

    The file appears only when complete (temporary file, fsync, rename) and an
    existing file is never overwritten.

    Args:
        engine: the ledger's database, at the current schema revision.
        vault_dir: the evidence vault folder (may not exist: no files).
        key: 32-byte backup key.
        out_path: the archive to create.
        progress: called with a short line after each member.
        key_fingerprint: fingerprint of the ledger key, recorded in the manifest
            so that a restore can say which key file the data needs.
        public: strings written in clear in front of the encrypted data (and
            authenticated with it), for what is needed to find the key, such as
            a passphrase's salt; read back with :func:`read_public`. No secrets.
        now: the backup's time (default: the current time, UTC).
        metadata: the tables to back up (default: the ledger's).

    Returns:
        The manifest written into the archive.

    Raises:
        ConfigError: the schema is not at this software's revision, ``out_path``
            exists or its folder does not, or a column type cannot be carried.
    """
    say = progress or _quiet
    revision = _current_revision(engine)
    created = (now or datetime.now(UTC)).astimezone(UTC)
    mtime = int(created.timestamp())
    codecs = [TableCodec(t) for t in metadata.sorted_tables]  # fails early on types
    envelope = encode_envelope(public or {})
    with atomic_output(Path(out_path), overwrite=False) as fh:
        fh.write(envelope)
        writer = EncryptingWriter(key, fh, associated=ARCHIVE_AAD + envelope)
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            members: list[Member] = []
            with _snapshot(engine) as conn:
                for codec in codecs:
                    members.append(_add_table(tar, conn, codec, mtime))
                    say(f"{members[-1].name}: {members[-1].rows:,} rows")
            for path, rel in _vault_files(Path(vault_dir)):
                members.append(_add_file(tar, path, f"{VAULT_PREFIX}{rel}", mtime))
                say(members[-1].name)
            manifest = BackupManifest(
                format_version=FORMAT_VERSION,
                created_at=created,
                software_version=__version__,
                schema_revision=revision,
                database=engine.dialect.name,
                key_fingerprint=key_fingerprint,
                members=tuple(members),
            )
            body = manifest.to_json()
            tar.addfile(_info(MANIFEST_NAME, len(body), mtime), io.BytesIO(body))
        writer.finish()
    say(f"{out_path}: {manifest.summary().splitlines()[1]}")
    return manifest


def check_backup(
    path: Path, key: bytes, *, progress: Progress | None = None
) -> BackupManifest:
    """Decrypt and check every member of an archive against its manifest.

    Nothing is written. Every row is decoded, so an archive that passes can be
    restored.

    Raises:
        NotFound: no file at ``path``.
        IntegrityError: wrong key, altered or truncated archive, or a member that
            does not match the manifest; the message says which.
    """

    def visit(name: str, src: HashingReader) -> int | None:
        if not name.startswith(TABLES_PREFIX):
            return None
        return count_rows(name, src, where=f"backup archive {path}")

    return scan(Path(path), key, visit, progress or _quiet)


def count_rows(name: str, src: HashingReader, *, where: str) -> int:
    """Decode every row of a table member (without keeping them); the count."""
    table, columns = read_header(src.readline(), where=f"{where}: {name}")
    if table_member(table) != name:
        raise IntegrityError(f"{where}: {name} holds rows of table {table!r}")
    rows = 0
    member = f"{where}: {name}"
    for line in src:
        rows += 1
        decode_row(columns, line, where=member, row=rows)
    return rows


def _current_revision(engine: Engine) -> str:
    current = migrations_runner.current_revision(engine)
    head = migrations_runner.head_revision()
    if current is None or current != head:
        raise ConfigError(
            f"the database has schema {current}; this rightsledger backs up schema "
            f"{head} (open the ledger with this version first)"
        )
    return current


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one consistent state of every table."""
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        # our engines emit BEGIN on SQLite too (store.session): the first read
        # below begins one transaction, so all tables come from one state of the
        # file; it is rolled back at the end.
        try:
            yield conn
        finally:
            conn.rollback()


def _add_table(
    tar: tarfile.TarFile, conn: Connection, codec: TableCodec, mtime: int
) -> Member:
    name = table_member(codec.name)
    digest = hashlib.sha256()
    rows = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        head = codec.header()
        spool.write(head)
        digest.update(head)
        result = conn.execution_options(yield_per=BATCH_ROWS).execute(codec.query())
        for batch in result.partitions():
            block = b"".join(codec.encode(row) for row in batch)
            spool.write(block)
            digest.update(block)
            rows += len(batch)
        size = spool.tell()
        spool.seek(0)
        tar.addfile(_info(name, size, mtime), spool)
    return Member(name, size, digest.hexdigest(), table=codec.name, rows=rows)


def _vault_files(vault_dir: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under the vault, sorted, as (path, posix relative path).

    Hidden files and folders (names starting with ".") are skipped: they hold
    unfinished writes (the vault's ``.incoming/``, temporary files), never
    evidence.

    Raises:
        ConfigError: the vault holds a link or a special file.
    """
    if not vault_dir.exists():
        return
    if not vault_dir.is_dir():
        raise ConfigError(f"vault {vault_dir} is not a folder")
    for folder, dirs, files in os.walk(vault_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if os.path.islink(os.path.join(folder, d)):
                raise ConfigError(f"vault holds a link {Path(folder, d)}; refusing")
        for name in sorted(f for f in files if not f.startswith(".")):
            path = Path(folder, name)
            if not stat.S_ISREG(path.lstat().st_mode):
                raise ConfigError(
                    f"vault holds {path}, which is not a regular file; refusing"
                )
            yield path, path.relative_to(vault_dir).as_posix()


def _add_file(tar: tarfile.TarFile, path: Path, name: str, mtime: int) -> Member:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        hashing = HashingReader(fh)
        try:
            tar.addfile(_info(name, size, mtime), hashing)
        except OSError as e:
            raise ConfigError(f"vault file {path} changed while backing up: {e}") from e
    if hashing.size != size:
        raise ConfigError(f"vault file {path} changed while backing up")
    return Member(name, size, hashing.hexdigest())


def _info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    return info
