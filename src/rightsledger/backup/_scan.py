"""Reading an archive once, front to back, checking every member on the way.

Both ``check_backup`` and ``restore_backup`` go through :func:`scan`: it decrypts
and authenticates the stream, walks the tar members, hands each table or vault
member to a visitor through a reader that hashes what passes, and at the end
compares every hash, size and row count with the manifest.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Protocol

from ..errors import IntegrityError, NotFound
from ..vault.stream import CHUNK_SIZE, DecryptingReader
from .envelope import read_envelope
from .manifest import (
    MANIFEST_NAME,
    TABLES_PREFIX,
    VAULT_PREFIX,
    BackupManifest,
    Member,
)

ARCHIVE_AAD = b"rightsledger backup archive v1"
MAX_MANIFEST = 1 << 30

Progress = Callable[[str], None]


class HashingReader:
    """Reads a member and hashes every byte that passes, read or skipped."""

    def __init__(self, src: IO[bytes]) -> None:
        self._src = src
        self._digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        return self._seen(self._src.read(size))

    def readline(self) -> bytes:
        return self._seen(self._src.readline())

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def _seen(self, data: bytes) -> bytes:
        self._digest.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        """SHA-256 of the bytes read so far."""
        return self._digest.hexdigest()

    def finish(self) -> tuple[int, str]:
        """Read what the visitor left; the member's size and SHA-256."""
        while self.read(CHUNK_SIZE):
            pass
        return self.size, self.hexdigest()


class Visitor(Protocol):
    def __call__(self, name: str, src: HashingReader) -> int | None:
        """Handle one member; return its row count for table members."""


def vault_relative(name: str, *, where: str) -> PurePosixPath:
    """The path inside the vault of a ``vault/...`` member, refusing escapes.

    Raises:
        IntegrityError: an absolute path, ``..``, or an empty part.
    """
    rel = PurePosixPath(name[len(VAULT_PREFIX) :])
    parts = rel.parts
    if not parts or rel.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise IntegrityError(f"{where}: member {name!r} is not a safe vault path")
    return rel


def scan(path: Path, key: bytes, visit: Visitor, progress: Progress) -> BackupManifest:
    """Read the whole archive, visiting members, and check it against its manifest.

    Raises:
        NotFound: no file at ``path``.
        IntegrityError: wrong key, altered or truncated archive, a member that is
            missing, unlisted, duplicated or differs from the manifest.
    """
    where = f"backup archive {path}"
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after draining
    except FileNotFoundError as e:
        raise NotFound(f"{where} does not exist") from e
    with fh:
        _public, envelope = read_envelope(fh, where=where)
        associated = ARCHIVE_AAD + envelope
        reader = DecryptingReader(key, fh, associated=associated, name=where)
        try:
            manifest, seen = _walk(reader, visit, progress, where)
        except tarfile.TarError as e:
            raise IntegrityError(f"{where}: not a valid archive ({e})") from e
        reader.drain()  # authenticates the end, so truncation never goes unseen
    if manifest is None:
        raise IntegrityError(f"{where}: no manifest (the archive is incomplete)")
    compare(manifest, seen, where)
    return manifest


def _walk(
    reader: DecryptingReader, visit: Visitor, progress: Progress, where: str
) -> tuple[BackupManifest | None, dict[str, Member]]:
    seen: dict[str, Member] = {}
    manifest: BackupManifest | None = None
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        for info in tar:
            name = info.name
            if manifest is not None:
                raise IntegrityError(f"{where}: member {name!r} after the manifest")
            if not info.isreg() or name in seen:
                raise IntegrityError(f"{where}: unexpected member {name!r}")
            src = tar.extractfile(info)
            if src is None:  # pragma: no cover - isreg() members always have data
                raise IntegrityError(f"{where}: member {name!r} has no data")
            if name == MANIFEST_NAME:
                if info.size > MAX_MANIFEST:
                    raise IntegrityError(f"{where}: the manifest is implausibly large")
                manifest = BackupManifest.from_json(src.read(), where=where)
                continue
            if not name.startswith((TABLES_PREFIX, VAULT_PREFIX)):
                raise IntegrityError(f"{where}: unexpected member {name!r}")
            if name.startswith(VAULT_PREFIX):
                vault_relative(name, where=where)
            hashing = HashingReader(src)
            rows = visit(name, hashing)
            size, digest = hashing.finish()
            seen[name] = Member(name, size, digest, rows=rows)
            progress(name if rows is None else f"{name}: {rows:,} rows")
    return manifest, seen


def compare(manifest: BackupManifest, seen: dict[str, Member], where: str) -> None:
    """Every listed member was read, with the listed size, hash and rows.

    Raises:
        IntegrityError: naming each member that differs, is missing or unlisted.
    """
    problems: list[str] = []
    listed = {m.name: m for m in manifest.members}
    for name in sorted(set(listed) - set(seen)):
        problems.append(f"{name}: listed in the manifest but missing")
    for name in sorted(set(seen) - set(listed)):
        problems.append(f"{name}: in the archive but not in the manifest")
    for name in sorted(set(listed) & set(seen)):
        want, got = listed[name], seen[name]
        if (want.size, want.sha256) != (got.size, got.sha256):
            problems.append(f"{name}: content does not match the manifest's SHA-256")
        elif want.table is not None and want.rows != got.rows:
            problems.append(f"{name}: {got.rows} rows, the manifest says {want.rows}")
    if problems:
        raise IntegrityError(f"{where}: " + "; ".join(problems))
