"""The few clear bytes in front of an archive: what is needed to find its key.

A ledger whose key comes from a passphrase keeps its scrypt salt in the database,
which is inside the encrypted archive. So the archive starts with a small public
part, a JSON object of strings chosen by the caller (for example
``{"key_source": "passphrase", "key_salt": "..."}``), that can be read without any
key::

    "RLBACKUP" | version (1 byte) | length (4 bytes, big-endian) | JSON (UTF-8)

The whole envelope is bound to the encrypted stream as associated data: changing
one byte of it makes the archive fail authentication. Never put a secret in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from ..errors import IntegrityError, NotFound

MAGIC = b"RLBACKUP"
VERSION = 1
MAX_PUBLIC = 64 * 1024
_FIXED = len(MAGIC) + 1 + 4


def encode_envelope(public: Mapping[str, str]) -> bytes:
    """The envelope bytes for ``public``.

    Raises:
        ValueError: not a mapping of strings to strings, or too large.
    """
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in public.items()):
        raise ValueError("the public part of a backup maps strings to strings")
    body = json.dumps(dict(public), sort_keys=True, ensure_ascii=False).encode()
    if len(body) > MAX_PUBLIC:
        raise ValueError(f"the public part of a backup is limited to {MAX_PUBLIC} B")
    return MAGIC + bytes([VERSION]) + len(body).to_bytes(4, "big") + body


def read_envelope(fh: BinaryIO, *, where: str) -> tuple[dict[str, str], bytes]:
    """Read the envelope at the start of ``fh``: the public part and its raw bytes.

    Raises:
        IntegrityError: not a rightsledger backup, a newer format, or damaged.
    """
    fixed = fh.read(_FIXED)
    if len(fixed) < _FIXED or not fixed.startswith(MAGIC):
        raise IntegrityError(f"{where}: not a rightsledger backup archive")
    if fixed[len(MAGIC)] != VERSION:
        raise IntegrityError(
            f"{where}: archive format version {fixed[len(MAGIC)]} is not supported "
            f"(this rightsledger reads version {VERSION})"
        )
    size = int.from_bytes(fixed[-4:], "big")
    body = fh.read(size) if size <= MAX_PUBLIC else b""
    if len(body) != size:
        raise IntegrityError(f"{where}: the archive's public header is damaged")
    try:
        public = json.loads(body)
        if not isinstance(public, dict) or not all(
            isinstance(v, str) for v in public.values()
        ):
            raise ValueError("not an object of strings")
    except ValueError as e:
        raise IntegrityError(f"{where}: the archive's public header is damaged") from e
    return public, fixed + body


def read_public(path: Path) -> dict[str, str]:
    """The public part of an archive, readable without its key (and not yet
    authenticated: a restore or check fails if it was altered).

    Raises:
        NotFound: no file at ``path``.
        IntegrityError: not a rightsledger backup archive.
    """
    where = f"backup archive {path}"
    try:
        with open(path, "rb") as fh:
            return read_envelope(fh, where=where)[0]
    except FileNotFoundError as e:
        raise NotFound(f"{where} does not exist") from e
