"""Chunked authenticated encryption of byte streams (AES-256-GCM, STREAM layout).

Files in the evidence vault and backup archives may be gigabytes, so they are
encrypted in 64 KiB chunks and never held whole in memory. The layout follows the
STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015)::

    header   "RLSE" | version (1 byte) | nonce prefix (7 random bytes)
             | key check (16 bytes)                                   = 28 bytes
    chunk i  AES-256-GCM(key, nonce = prefix | i (4 bytes, big-endian)
                                      | final flag (1 byte: 1 on the last chunk),
                         aad = header | associated)                   = plaintext + 16

Every chunk but the last carries exactly 64 KiB of plaintext; the last carries
0 to 64 KiB and the final flag. Because the chunk number and the final flag are in
the nonce and the header and the caller's ``associated`` bytes are in the
authenticated data, reordering, swapping, dropping, truncating or appending chunks,
splicing in chunks of another stream, and moving a stream to another name (when the
name is part of ``associated``) all fail authentication. The key check is an HMAC
of the header under a key derived from the stream key: it tells "wrong key" apart
from "altered data" without revealing anything about the key.

A 7-byte random prefix per stream keeps nonces unique under one key for far more
streams than a ledger will ever write (collision odds about n^2 / 2^57 for n
streams); the vault uses a fresh data key per file anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import ConfigError, IntegrityError

MAGIC = b"RLSE"
VERSION = 1
PREFIX_SIZE = 7
CHECK_SIZE = 16
HEADER_SIZE = len(MAGIC) + 1 + PREFIX_SIZE + CHECK_SIZE
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
MAX_CHUNKS = 2**32
TEMP_SUFFIX = ".tmp"


def _check_key(key: bytes) -> None:
    if len(key) != 32:
        raise ValueError(f"stream key must be 32 bytes, got {len(key)}")


def _key_check(key: bytes, head: bytes) -> bytes:
    sub = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"rightsledger stream key check",
    ).derive(key)
    return hmac.new(sub, head, hashlib.sha256).digest()[:CHECK_SIZE]


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def _read_exactly(src: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only at the end of ``src`` (short reads joined)."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        part = src.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


class _StreamFile:
    """What tarfile and shutil expect of a file object, minus seeking."""

    _closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def seekable(self) -> bool:
        return False

    def seek(self, *_args: object) -> NoReturn:
        raise io.UnsupportedOperation("encrypted streams cannot seek")

    def flush(self) -> None:
        """Nothing to flush: chunks go to the underlying file as they fill."""

    def _unsupported(self, what: str) -> NoReturn:
        raise io.UnsupportedOperation(f"{type(self).__name__} does not {what}")


class EncryptingWriter(_StreamFile):
    """Encrypts everything written to it into ``dst``, one 64 KiB chunk at a time.

    ``close()`` (or ``finish()``) writes the final chunk; until then the output is
    not a valid stream. Leaving a ``with`` block by an exception does *not* write
    the final chunk, so a half-written stream can never pass as complete. ``dst``
    is not closed. Usable as the ``fileobj`` of ``tarfile.open(mode="w|")``.

    Args:
        key: 32-byte AES-256 key.
        dst: binary file to write the encrypted stream to.
        associated: bytes the stream is bound to (for example its name); the same
            bytes must be given to decrypt.

    Examples:
        >>> out = io.BytesIO()
        >>> with EncryptingWriter(bytes(32), out, associated=b"x") as w:
        ...     _ = w.write(b"hello")
        >>> len(out.getvalue()) == HEADER_SIZE + 5 + TAG_SIZE
        True
    """

    def __init__(self, key: bytes, dst: BinaryIO, *, associated: bytes) -> None:
        _check_key(key)
        prefix = secrets.token_bytes(PREFIX_SIZE)
        head = MAGIC + bytes([VERSION]) + prefix
        self._header = head + _key_check(key, head)
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._aad = self._header + associated
        self._dst = dst
        self._buffer = bytearray()
        self._index = 0
        self._written = 0
        dst.write(self._header)

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def read(self, *_args: object) -> NoReturn:
        self._unsupported("read")

    def tell(self) -> int:
        """Plaintext bytes written so far."""
        return self._written

    def write(self, data: bytes | bytearray | memoryview, /) -> int:
        if self._closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        self._written += len(data)
        # Keep the last (possibly full) chunk back: only close() knows it is last.
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), final=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        if self._index >= MAX_CHUNKS:
            raise ValueError("stream too long: more than 2**32 chunks")
        nonce = _nonce(self._prefix, self._index, final)
        self._dst.write(self._aead.encrypt(nonce, plain, self._aad))
        self._index += 1

    def finish(self) -> None:
        """Write the final chunk. Idempotent; no write is accepted afterwards."""
        if self._closed:
            return
        self._seal(bytes(self._buffer), final=True)
        self._buffer.clear()
        self._closed = True

    def close(self) -> None:
        self.finish()

    def abort(self) -> None:
        """Stop without the final chunk: what was written will not decrypt."""
        self._buffer.clear()
        self._closed = True

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()


class DecryptingReader(_StreamFile):
    """Reads and authenticates a stream written by :class:`EncryptingWriter`.

    ``read(n)`` returns exactly ``n`` bytes until the end (fewer only at the end,
    ``b""`` after it). No byte of a chunk is returned before the chunk is
    authenticated; the end of the data is reported only after the final chunk is.
    Usable as the ``fileobj`` of ``tarfile.open(mode="r|")``.

    Args:
        key: the 32-byte key the stream was written with.
        src: binary file positioned at the stream's header.
        associated: the bytes given when writing.
        name: how to call the stream in error messages.

    Raises:
        IntegrityError: (on construction or any read) not a stream, wrong key, a
            chunk that fails authentication, a truncated stream, or bytes after
            its end. The message names the chunk and its byte offset.
    """

    def __init__(
        self, key: bytes, src: BinaryIO, *, associated: bytes, name: str = "stream"
    ) -> None:
        _check_key(key)
        self._src = src
        self._name = name
        header = _read_exactly(src, HEADER_SIZE)
        self._check_header(key, header)
        self._aead = AESGCM(key)
        self._prefix = header[len(MAGIC) + 1 : len(MAGIC) + 1 + PREFIX_SIZE]
        self._aad = header + associated
        self._index = 0
        self._plain = b""
        self._pos = 0
        self._read_total = 0
        self._next: bytes | None = _read_exactly(src, SEALED_CHUNK_SIZE)

    def _check_header(self, key: bytes, header: bytes) -> None:
        if len(header) < HEADER_SIZE:
            raise IntegrityError(
                f"{self._name}: only {len(header)} bytes, shorter than the "
                f"{HEADER_SIZE}-byte header (truncated, or not an encrypted stream)"
            )
        if not header.startswith(MAGIC):
            raise IntegrityError(
                f"{self._name}: not a rightsledger encrypted stream (bad magic bytes)"
            )
        version = header[len(MAGIC)]
        if version != VERSION:
            raise IntegrityError(
                f"{self._name}: stream format version {version} is not supported "
                f"(this rightsledger reads version {VERSION})"
            )
        head, check = header[:-CHECK_SIZE], header[-CHECK_SIZE:]
        if not hmac.compare_digest(_key_check(key, head), check):
            raise IntegrityError(
                f"{self._name}: wrong key: the key does not match the one this "
                "stream was written with (or its header was altered)"
            )

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, *_args: object) -> NoReturn:
        self._unsupported("write")

    def tell(self) -> int:
        """Plaintext bytes returned so far."""
        return self._read_total

    def _offset(self, index: int) -> int:
        return HEADER_SIZE + index * SEALED_CHUNK_SIZE

    def _open_next(self) -> bool:
        """Authenticate the next chunk into the buffer; False at the end."""
        sealed = self._next
        if sealed is None:
            return False
        following = b""
        if len(sealed) == SEALED_CHUNK_SIZE:
            following = _read_exactly(self._src, SEALED_CHUNK_SIZE)
        final = not following
        index = self._index
        if len(sealed) < TAG_SIZE:
            self._fail_truncated(index)
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, index, final), sealed, self._aad
            )
        except InvalidTag:
            self._fail_chunk(index, sealed, final)
        self._plain, self._pos = plain, 0
        self._index += 1
        self._next = following or None
        return True

    def _fail_truncated(self, index: int) -> NoReturn:
        raise IntegrityError(
            f"{self._name}: truncated: the stream ends inside chunk {index} "
            f"(byte {self._offset(index)}) before its final chunk"
        )

    def _fail_chunk(self, index: int, sealed: bytes, final: bool) -> NoReturn:
        if final:
            # A last chunk that opens as a middle chunk means the real end is gone.
            with suppress(InvalidTag):
                self._aead.decrypt(
                    _nonce(self._prefix, index, False), sealed, self._aad
                )
                raise IntegrityError(
                    f"{self._name}: truncated: the stream ends after chunk {index} "
                    f"(byte {self._offset(index + 1)}) without its final chunk"
                )
        raise IntegrityError(
            f"{self._name}: chunk {index} (bytes {self._offset(index)}-"
            f"{self._offset(index) + len(sealed) - 1}) fails authentication: the "
            "data was altered, reordered, cut or extended, or belongs to another "
            "name"
        )

    def read(self, size: int = -1, /) -> bytes:
        if self._closed:
            raise ValueError("read from a closed DecryptingReader")
        want = None if size is None or size < 0 else size
        parts: list[bytes] = []
        got = 0
        while want is None or got < want:
            if self._pos >= len(self._plain) and not self._open_next():
                break
            take = len(self._plain) - self._pos
            if want is not None:
                take = min(take, want - got)
            parts.append(self._plain[self._pos : self._pos + take])
            self._pos += take
            got += take
        self._read_total += got
        return b"".join(parts)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> int:
        """Read (and authenticate) to the end; the count of bytes skipped."""
        skipped = 0
        while block := self.read(CHUNK_SIZE):
            skipped += len(block)
        return skipped

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> DecryptingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def atomic_output(path: Path, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` that becomes ``path`` only on success.

    The file is written, flushed and fsynced, then renamed over ``path`` (and the
    folder fsynced), so ``path`` is never seen half-written; on an exception the
    temporary file is removed. With ``overwrite=False`` an existing ``path`` is
    never replaced.

    Raises:
        ConfigError: ``overwrite=False`` and ``path`` exists, or its folder is
            missing.
    """
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"folder {folder} does not exist")
    if not overwrite and path.exists():
        raise ConfigError(f"{path} already exists; refusing to overwrite it")
    fd, tmp_name = tempfile.mkstemp(
        dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path, overwrite=overwrite)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _publish(tmp: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if path exists: no race with another writer
    except FileExistsError as e:
        raise ConfigError(f"{path} already exists; refusing to overwrite it") from e
    tmp.unlink()


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def encrypt_file(
    key: bytes, src_path: Path, dst_path: Path, *, associated: bytes
) -> tuple[str, int]:
    """Encrypt a file into ``dst_path`` atomically (temp file, fsync, rename).

    Returns:
        The SHA-256 (hex) of the plaintext and its size in bytes.

    Raises:
        ConfigError: the destination folder does not exist.
        OSError: ``src_path`` cannot be read.
    """
    digest = hashlib.sha256()
    size = 0
    with atomic_output(Path(dst_path)) as out, open(src_path, "rb") as src:
        writer = EncryptingWriter(key, out, associated=associated)
        while block := src.read(CHUNK_SIZE):
            digest.update(block)
            size += len(block)
            writer.write(block)
        writer.finish()
    return digest.hexdigest(), size


def decrypt_to(key: bytes, src_path: Path, dst: BinaryIO, *, associated: bytes) -> str:
    """Decrypt the stream in ``src_path`` into ``dst``; the plaintext's SHA-256.

    Authenticated plaintext is written as it is read, so on an
    :class:`IntegrityError` ``dst`` holds a prefix of the data: discard it.

    Raises:
        IntegrityError: wrong key, altered, truncated or moved stream.
    """
    digest = hashlib.sha256()
    with open(src_path, "rb") as fh:
        reader = DecryptingReader(key, fh, associated=associated, name=str(src_path))
        while block := reader.read(CHUNK_SIZE):
            digest.update(block)
            dst.write(block)
    return digest.hexdigest()


__all__ = [
    "CHUNK_SIZE",
    "HEADER_SIZE",
    "DecryptingReader",
    "EncryptingWriter",
    "atomic_output",
    "decrypt_to",
    "encrypt_file",
]
