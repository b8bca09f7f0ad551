"""Encryption at rest for identifying fields, and stable pseudonyms.

One 256-bit ledger key lives in a key file outside the database. From it two
sub-keys are derived with HKDF: one for AES-256-GCM (authenticated encryption of
identity fields) and one for HMAC-SHA256 pseudonyms, which let analysts tell records
apart and join them without ever seeing a name. The database stores a fingerprint of
the key (an HMAC of a constant), never the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..errors import ConfigError, IntegrityError

if TYPE_CHECKING:
    from _hashlib import HASH

_HEADER = "rightsledger-key-v1"
_NONCE = 12

#: scrypt cost for passphrase-derived keys (N=2^17, r=8: 128 MiB, OWASP's minimum).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1


#: SHA-256's block size in bytes, which HMAC pads its key to.
_BLOCK = 64


def _hmac_pads(key: bytes) -> tuple[HASH, HASH]:
    """SHA-256 states that have taken in the key XOR ipad and the key XOR opad.

    HMAC-SHA256 (RFC 2104) of a message is then two copies and two updates
    away: ``outer(inner(message))``. The same digest as ``hmac.new``, without
    keying a new HMAC object for each of a million pseudonyms.
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
    return inner, outer


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        master
    )


@dataclass(frozen=True)
class LedgerKey:
    """The ledger's key material. Create with :meth:`generate` or :meth:`load`."""

    master: bytes

    @classmethod
    def generate(cls) -> LedgerKey:
        return cls(secrets.token_bytes(32))

    @classmethod
    def load(cls, path: Path) -> LedgerKey:
        """Read a key file.

        Raises:
            ConfigError: the file is missing or not a rightsledger key file.
        """
        try:
            lines = path.read_text(encoding="ascii").split()
        except FileNotFoundError as e:
            raise ConfigError(
                f"key file {path} not found: the ledger's identity fields cannot be "
                "read without it (set RIGHTSLEDGER_KEY_FILE or --key-file)"
            ) from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"key file {path} cannot be read: {e}") from e
        if len(lines) != 2 or lines[0] != _HEADER:
            raise ConfigError(f"key file {path} is not a rightsledger key file")
        try:
            master = base64.b64decode(lines[1], validate=True)
        except ValueError as e:
            raise ConfigError(f"key file {path}: the key is not valid base64") from e
        if len(master) != 32:
            raise ConfigError(f"key file {path}: the key must be 32 bytes")
        return cls(master)

    @classmethod
    def from_passphrase(
        cls, passphrase: str, salt: bytes, *, n: int | None = None, r: int = SCRYPT_R
    ) -> LedgerKey:
        """Derive the key from a passphrase with scrypt (memory-hard).

        Raises:
            ConfigError: the passphrase is empty.
        """
        if not passphrase:
            raise ConfigError("the ledger's passphrase is empty")
        cost = SCRYPT_N if n is None else n  # read now: settable, e.g. in tests
        kdf = Scrypt(salt=salt, length=32, n=cost, r=r, p=SCRYPT_P)
        return cls(kdf.derive(passphrase.encode()))

    def save(self, path: Path) -> None:
        """Write the key file with owner-only permissions; never overwrite one."""
        if path.exists():
            raise ConfigError(f"key file {path} already exists; refusing to overwrite")
        body = f"{_HEADER}\n{base64.b64encode(self.master).decode()}\n"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(body)

    @property
    def fingerprint(self) -> str:
        """Identifies the key without revealing it (stored in the database)."""
        return hmac.new(self.master, b"fingerprint", hashlib.sha256).hexdigest()[:32]


class FieldCipher:
    """Encrypts identity fields (a JSON object) and makes pseudonyms."""

    def __init__(self, key: LedgerKey) -> None:
        self._aead = AESGCM(_derive(key.master, b"rightsledger identity fields"))
        self._mac_key = _derive(key.master, b"rightsledger pseudonyms")
        self._mac_inner, self._mac_outer = _hmac_pads(self._mac_key)
        self._anchor_key = _derive(key.master, b"rightsledger custody anchor")
        self._backup_key = _derive(key.master, b"rightsledger backups")

    def encrypt(self, fields: dict[str, Any], *, context: str) -> bytes:
        """Encrypt ``fields``; ``context`` (the record id) is bound as associated
        data, so ciphertext moved to another row fails to decrypt."""
        nonce = secrets.token_bytes(_NONCE)
        plain = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
        return nonce + self._aead.encrypt(nonce, plain, context.encode())

    def decrypt(self, blob: bytes, *, context: str) -> dict[str, Any]:
        """Decrypt and authenticate.

        Raises:
            IntegrityError: wrong key, altered ciphertext, or moved to another row.
        """
        try:
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], context.encode())
        except (InvalidTag, ValueError) as e:  # ValueError: too short
            raise IntegrityError(
                f"identity fields of {context} fail authentication (wrong key, or the "
                "stored ciphertext was altered)"
            ) from e
        value: dict[str, Any] = json.loads(plain)
        return value

    def encrypt_text(self, text: str, *, context: str) -> bytes:
        """Encrypt free text (testimony) bound to ``context``."""
        nonce = secrets.token_bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, text.encode(), context.encode())

    def decrypt_text(self, blob: bytes, *, context: str) -> str:
        """Decrypt free text.

        Raises:
            IntegrityError: wrong key, altered ciphertext, or moved to another row.
        """
        try:
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], context.encode())
        except (InvalidTag, ValueError) as e:  # ValueError: too short
            raise IntegrityError(
                f"text of {context} fails authentication (wrong key, or the stored "
                "ciphertext was altered)"
            ) from e
        return plain.decode()

    def wrap(self, data_key: bytes, *, context: str) -> bytes:
        """Encrypt a file's data key under the ledger key."""
        return self.encrypt_text(base64.b64encode(data_key).decode(), context=context)

    def unwrap(self, blob: bytes, *, context: str) -> bytes:
        return base64.b64decode(self.decrypt_text(blob, context=context))

    def anchor(self, seq: int, digest: str) -> str:
        """A keyed seal of the custody log's last entry. Kept in the database, it
        lets ``verify`` notice entries removed from the end of the log, which the
        hash chain alone cannot show; without the key it cannot be forged."""
        msg = f"{seq}:{digest}".encode()
        return hmac.new(self._anchor_key, msg, hashlib.sha256).hexdigest()

    @property
    def backup_key(self) -> bytes:
        """The key under which backup archives are encrypted."""
        return self._backup_key

    def pseudonym(self, value: str) -> str:
        """A stable pseudonym: keyed HMAC, so it cannot be reversed by guessing.

        ``R-`` and the first 16 hex digits of HMAC-SHA256(pseudonym key, value);
        computed from the pre-keyed states of :func:`_hmac_pads`.
        """
        inner = self._mac_inner.copy()
        inner.update(value.encode())
        outer = self._mac_outer.copy()
        outer.update(inner.digest())
        return f"R-{outer.hexdigest()[:16]}"
