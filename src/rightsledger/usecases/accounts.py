"""Users, roles, passwords and tokens, and the ledger key's rotation."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from ..access import Permission
from ..domain import Role
from ..errors import InputError, NotFound
from ..paths import finish_rotation, key_path_for
from ..store import ciphertexts, link_rows, user_rows
from ..store.tables import Meta
from ..vault import FieldCipher, LedgerKey
from ..vault.passwords import MIN_PASSWORD_LENGTH, hash_password, new_token, token_hash
from .linkage import LinkageCases


class AccountCases(LinkageCases):
    """Users, roles, passwords and tokens, and the ledger key's rotation."""

    # -- users -------------------------------------------------------------------
    def add_user(self, name: str, role: Role, *, password: str | None = None) -> None:
        """Add a user (admins).

        Raises:
            InputError: the name is taken or empty, or the password too short.
        """
        self._require(Permission.MANAGE_USERS, f"add user {name}")
        if not name.strip() or len(name) > 200:
            raise InputError("a user name must be 1 to 200 characters", field="name")
        hashed = None if password is None else hash_password(_checked(password))
        with self.sessions.transaction() as s:
            if user_rows.get(s, name) is not None:
                raise InputError(f"user {name!r} already exists", field="name")
            user_rows.add(
                s,
                name=name,
                role=role,
                password_hash=hashed,
                at=self._clock(),
                by=self.actor.name,
            )
            self._log(s, "add-user", name, {"role": role.value})

    def users(self) -> list[dict[str, object]]:
        """Every user: name, role, whether active, whether a password and a token
        are set (never the hashes)."""
        self._require(Permission.MANAGE_USERS, "list users")
        with self.sessions.read() as s:
            return [
                {
                    "name": u.name,
                    "role": u.role,
                    "active": u.active,
                    "password": u.password_hash is not None,
                    "token": u.token_hash is not None,
                    "created_at": u.created_at,
                }
                for u in user_rows.all_users(s)
            ]

    def set_password(self, name: str, password: str) -> None:
        """Set a user's password: one's own, or anyone's for an admin."""
        if name != self.actor.name:
            self._require(Permission.MANAGE_USERS, f"set the password of {name}")
        hashed = hash_password(_checked(password))
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            row.password_hash = hashed
            self._log(s, "set-password", name)

    def set_role(
        self, name: str, role: Role | None = None, *, active: bool = True
    ) -> None:
        """Change a user's role, or disable / enable them (admins)."""
        self._require(Permission.MANAGE_USERS, f"change user {name}")
        if name == self.actor.name and (not active or role not in (None, Role.ADMIN)):
            raise InputError(
                "an admin cannot demote or disable themselves", field="name"
            )
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            if role is not None:
                row.role = role.value
            row.active = active
            self._log(s, "change-user", name, {"role": row.role, "active": active})

    def issue_token(self, name: str) -> str:
        """A new API token for a user (their own, or anyone's for an admin); the
        previous one stops working. Only its hash is kept."""
        if name != self.actor.name:
            self._require(Permission.MANAGE_USERS, f"issue a token for {name}")
        token = new_token()
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            row.token_hash = token_hash(token)
            self._log(s, "issue-token", name)
        return token

    # -- keys --------------------------------------------------------------------
    def rotate_key(
        self,
        *,
        new_passphrase: str | None = None,
        progress: Callable[[str, int], None] | None = None,
    ) -> dict[str, int]:
        """Re-encrypt every encrypted value under a new key (admins).

        Review notes written before notes were sealed (schema 0006) are sealed
        in the same transaction.

        Key-file ledgers: the new key is written to ``<key>.next`` first; one
        transaction re-encrypts everything and records the new key's fingerprint;
        then the old file is kept as ``<key>.old-<time>`` (backups made before need
        it) and the new one takes its name. Interrupted before the commit, nothing
        changed and the stale ``.next`` is removed at the next open; interrupted
        after, the next open finishes the renaming. Passphrase ledgers need
        ``new_passphrase``; the new salt lands in the same transaction.
        """
        self._require(Permission.MANAGE_KEYS, "rotate the key")
        with self.sessions.read() as s:
            source_row = s.get(Meta, "key_source")
        by_passphrase = source_row is not None and source_row.value == "passphrase"
        meta: dict[str, str] = {}
        next_path: Path | None = None
        if by_passphrase:
            if not new_passphrase:
                raise InputError(
                    "this ledger's key comes from a passphrase: give the new one",
                    field="passphrase",
                )
            salt = secrets.token_bytes(16)
            new_key = LedgerKey.from_passphrase(new_passphrase, salt)
            meta["key_salt"] = salt.hex()
        else:
            key_path = key_path_for(self.settings)
            next_path = key_path.with_name(key_path.name + ".next")
            next_path.unlink(missing_ok=True)
            new_key = LedgerKey.generate()
            new_key.save(next_path)
        meta["key_fingerprint"] = new_key.fingerprint
        old_cipher, new_cipher = self._cipher, FieldCipher(new_key)
        try:
            with self.sessions.transaction() as s:
                counts = ciphertexts.reencrypt(s, old_cipher, new_cipher, progress)
                legacy = link_rows.seal_legacy_notes(
                    s,
                    lambda note, context: new_cipher.encrypt_text(
                        note, context=context
                    ).hex(),
                )
                if legacy:
                    counts["link review note written in clear, now sealed"] = legacy
                for name, value in meta.items():
                    s.merge(Meta(key=name, value=value))
                self._cipher = new_cipher
                self._log(
                    s,
                    "rotate-key",
                    "ledger key",
                    {**counts, "fingerprint": new_key.fingerprint},
                )
        except BaseException:
            self._cipher = old_cipher
            raise
        self._key = new_key
        if next_path is not None:
            finish_rotation(key_path_for(self.settings), new_key.fingerprint)
        return counts


def _checked(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
            field="password",
        )
    return password
