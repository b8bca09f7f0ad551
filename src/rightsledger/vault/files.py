"""The evidence vault on disk: files named by the SHA-256 of their content, each
encrypted under its own data key, written once and never overwritten.

Layout: ``<vault>/<first two hex digits>/<sha256>``. A file arrives through
``<vault>/.incoming/`` and is renamed into place only when complete, so a crash
leaves at most an unreferenced file behind, never a half-written one under a
real name.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from ..errors import IntegrityError
from .stream import DecryptingReader, encrypt_file

#: Bound to every vault file's ciphertext; the data key is bound to the file's
#: hash when it is wrapped, so a blob moved under another name fails to decrypt.
ASSOCIATED = b"rightsledger vault file"

_INCOMING = ".incoming"


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    size: int
    data_key: bytes
    new: bool


class _Discard:
    """A write-only sink that keeps nothing (for hashing while decrypting)."""

    def write(self, data: bytes) -> int:
        return len(data)


class VaultFiles:
    """Content-addressed, encrypted file storage under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def store(self, source: Path, *, existing_key: dict[str, bytes]) -> Stored:
        """Encrypt ``source`` into the vault.

        ``existing_key`` maps hashes already in the ledger to their data keys: a
        file whose content is already stored is not written again.
        """
        incoming = self.root / _INCOMING
        incoming.mkdir(parents=True, exist_ok=True, mode=0o700)
        data_key = secrets.token_bytes(32)
        tmp = incoming / f"{secrets.token_hex(8)}.part"
        try:
            sha, size = encrypt_file(data_key, source, tmp, associated=ASSOCIATED)
            if sha in existing_key:
                return Stored(sha, size, existing_key[sha], new=False)
            final = self.path_for(sha)
            final.parent.mkdir(exist_ok=True, mode=0o700)
            # a file under this name that the ledger does not know was left by an
            # interrupted intake: its data key died with it, so it is replaced
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return Stored(sha, size, data_key, new=True)
        finally:
            tmp.unlink(missing_ok=True)

    def read(self, sha256: str, data_key: bytes, dst: BinaryIO) -> None:
        """Decrypt a file into ``dst``, checking its hash.

        Raises:
            IntegrityError: missing, altered, or not the content its name says.
        """
        path = self.path_for(sha256)
        if not path.is_file():
            raise IntegrityError(f"vault file {sha256} is missing (removed)")
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            # named by its hash, not its path: the message goes to verify's report
            reader = DecryptingReader(
                data_key, fh, associated=ASSOCIATED, name=f"vault file {sha256}"
            )
            while block := reader.read(1 << 16):
                digest.update(block)
                dst.write(block)
        got = digest.hexdigest()
        if got != sha256:
            raise IntegrityError(
                f"vault file {sha256} decrypts to content with hash {got} (altered)"
            )

    def check(self, sha256: str, data_key: bytes) -> str | None:
        """The problem with one stored file, or None when it is intact."""
        try:
            self.read(sha256, data_key, cast(BinaryIO, _Discard()))
        except IntegrityError as e:
            return str(e)
        return None

    def relative(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256}"

    def names(self) -> Iterator[str]:
        """Every file in the vault as a relative path, the incoming folder aside."""
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root)
            if path.is_file() and rel.parts[0] != _INCOMING:
                yield rel.as_posix()


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
