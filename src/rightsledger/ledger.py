"""The façade that the CLI, the web app and the tests all drive.

Each public method is one use case and one transaction: it lands whole or not at all,
and it appends to the custody log in the same transaction as the write it records.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, inspect

from . import __version__
from .access import Actor, Permission
from .backup import BackupManifest, read_public, restore_backup
from .config import Settings
from .domain import Role
from .errors import ConfigError
from .logins import Logins
from .paths import finish_rotation, key_path_for, vault_path_for
from .store import Sessions, make_engine, parse_url, safe_url, sqlite_path, user_rows
from .store import migrations_runner as migrations
from .store.tables import Meta
from .usecases.archive import ArchiveCases
from .usecases.base import (
    Clock,
    LedgerBase,
    PassphraseRequired,
    PasswordRequired,
    _utcnow,
    guess_media_type,
)
from .usecases.integrity import seal_problems
from .vault import FieldCipher, LedgerKey
from .vault.passwords import check_password

__all__ = [
    "Clock",
    "Ledger",
    "LedgerBase",
    "PassphraseRequired",
    "PasswordRequired",
    "guess_media_type",
    "seal_problems",
]


class Ledger(ArchiveCases):
    """One open ledger: a database, its key, the acting user, and the steps of
    the chain. Every use case checks the actor's role (see
    :mod:`rightsledger.access`) and logs every refusal.

    This class holds the life cycle (``init``, ``open``, ``open_service``,
    ``acting_as``, ``restore``); the use cases are inherited from
    :mod:`rightsledger.usecases`, one module per area."""

    # -- lifecycle ---------------------------------------------------------------
    @classmethod
    def init(
        cls,
        settings: Settings,
        clock: Clock = _utcnow,
        *,
        passphrase: str | None = None,
    ) -> Ledger:
        """Create a new ledger: schema, key, the first admin, the first custody entry.

        The key is written to a new key file, or, when ``passphrase`` is given,
        derived from it with scrypt (nothing written; the salt is kept in the
        database). The acting user (``settings.actor``) becomes the first admin.

        Raises:
            ConfigError: the database already holds tables, the key file exists, or
                the database cannot be reached.
        """
        url = parse_url(settings.database_url)
        engine = make_engine(url)
        try:
            key, key_meta = cls._new_schema(engine, settings, passphrase, safe_url(url))
        except BaseException:
            engine.dispose()
            raise
        actor = Actor(settings.actor, Role.ADMIN)
        ledger = cls(engine, key, settings, clock, actor=actor)
        with ledger.sessions.transaction() as s:
            s.add(Meta(key="key_fingerprint", value=key.fingerprint))
            s.add(Meta(key="created_at", value=clock().isoformat()))
            for name, value in key_meta.items():
                s.add(Meta(key=name, value=value))
            user_rows.add(
                s,
                name=actor.name,
                role=Role.ADMIN,
                password_hash=None,
                at=clock(),
                by=actor.name,
            )
            ledger._log(
                s,
                "init",
                safe_url(url),
                {"software_version": __version__, "key": key_meta["key_source"]},
            )
        return ledger

    @classmethod
    def open(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Open an existing ledger for ``settings.actor``, checking its schema, its
        key, and the actor's password when they have one.

        Raises:
            ConfigError: no ledger there, an old schema, the wrong key, or an
                unknown or disabled user.
            PasswordRequired / PassphraseRequired: a secret is missing or wrong.
        """
        url = parse_url(settings.database_url)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise ConfigError(
                f"no ledger at {path}: create one with `rightsledger init`"
            )
        engine = make_engine(url)
        try:
            key = cls._checked_key(engine, settings, safe_url(url))
            ledger = cls(engine, key, settings, clock, actor=Actor("?", Role.VIEWER))
            ledger.actor = ledger._authenticate()
        except BaseException:
            engine.dispose()
            raise
        return ledger

    @classmethod
    def open_service(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Open a ledger for a server (the web app): the schema and the key are
        checked, but no user signs in. The returned ledger acts as a viewer named
        ``(service)``; each request works on :meth:`acting_as` the user who signed
        in through :attr:`logins`.

        Raises:
            ConfigError / PassphraseRequired: as :meth:`open`.
        """
        url = parse_url(settings.database_url)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise ConfigError(
                f"no ledger at {path}: create one with `rightsledger init`"
            )
        engine = make_engine(url)
        try:
            key = cls._checked_key(engine, settings, safe_url(url))
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, key, settings, clock, actor=Actor("(service)", Role.VIEWER))

    def acting_as(self, actor: Actor) -> Ledger:
        """The same open ledger (engine, key, catalogue) acting for another user,
        who has already proven who they are (see :class:`~rightsledger.logins.Logins`).
        Closing the returned ledger is not needed; close the original."""
        other = copy.copy(self)
        other.actor = actor
        return other

    @property
    def logins(self) -> Logins:
        """Sign-in, browser sessions and API tokens (the web app's door)."""
        return Logins(self)

    @staticmethod
    def _new_schema(
        engine: Engine, settings: Settings, passphrase: str | None, where: str
    ) -> tuple[LedgerKey, dict[str, str]]:
        if inspect(engine).get_table_names():
            raise ConfigError(
                f"{where} already holds tables; init needs an empty database"
            )
        if passphrase is not None:
            salt = secrets.token_bytes(16)
            key = LedgerKey.from_passphrase(passphrase, salt)
            migrations.upgrade(engine)
            return key, {"key_source": "passphrase", "key_salt": salt.hex()}
        key_path = key_path_for(settings)
        if key_path.exists():
            raise ConfigError(
                f"key file {key_path} already exists; refusing to overwrite"
            )
        migrations.upgrade(engine)
        key = LedgerKey.generate()
        key.save(key_path)
        return key, {"key_source": "file"}

    @staticmethod
    def _checked_key(engine: Engine, settings: Settings, where: str) -> LedgerKey:
        current, head = migrations.current_revision(engine), migrations.head_revision()
        if current is None:
            raise ConfigError(f"{where} is not a rightsledger ledger (run init)")
        if current != head:
            raise ConfigError(
                f"{where} has schema {current}; this version needs {head}"
            )
        with Sessions(engine).read() as s:
            meta = {m.key: m.value for m in s.query(Meta)}
        stored = meta.get("key_fingerprint")
        if meta.get("key_source") == "passphrase":
            if settings.passphrase is None:
                raise PassphraseRequired(
                    "this ledger's key is derived from a passphrase: set "
                    "RIGHTSLEDGER_PASSPHRASE or enter it when asked"
                )
            key = LedgerKey.from_passphrase(
                settings.passphrase.get_secret_value(), bytes.fromhex(meta["key_salt"])
            )
            if key.fingerprint != stored:
                raise PassphraseRequired("wrong passphrase for this ledger")
            return key
        key_path = key_path_for(settings)
        finish_rotation(key_path, stored)
        key = LedgerKey.load(key_path)
        if stored is None or stored != key.fingerprint:
            raise ConfigError("the key file does not belong to this ledger")
        return key

    def _authenticate(self) -> Actor:
        name = self.settings.actor
        with self.sessions.read() as s:
            row = user_rows.get(s, name)
            stored = None if row is None else (row.role, row.active, row.password_hash)
        if stored is None:
            raise ConfigError(
                f"unknown user {name!r}: an admin adds users with "
                "`rightsledger users add NAME --role ROLE`"
            )
        role, active, password_hash = stored
        actor = Actor(name, Role(role))
        if not active:
            self._deny(actor, "open the ledger", "user disabled")
            raise ConfigError(f"user {name!r} is disabled")
        if password_hash is not None:
            given = self.settings.password
            if given is None:
                raise PasswordRequired(
                    f"user {name!r} has a password: set RIGHTSLEDGER_PASSWORD or "
                    "enter it when asked"
                )
            if not check_password(password_hash, given.get_secret_value()):
                self._deny(actor, "open the ledger", "wrong password")
                raise PasswordRequired(f"wrong password for user {name!r}")
        return actor

    @classmethod
    def restore(
        cls,
        settings: Settings,
        archive: Path,
        clock: Clock = _utcnow,
        *,
        progress: Callable[[str], None] | None = None,
    ) -> tuple[Ledger, BackupManifest]:
        """Restore an archive into an empty database and vault, then open it as
        ``settings.actor`` (an admin of the restored ledger) and log the restore.

        The key is the original ledger's: its key file (``settings.key_file`` or
        beside the new SQLite file), or its passphrase for a passphrase ledger.

        Raises:
            ConfigError: the target is not empty, or the key is not the ledger's.
            IntegrityError: the archive was altered or truncated; nothing written.
        """
        public = read_public(archive)
        if public.get("key_source") == "passphrase":
            if settings.passphrase is None:
                raise PassphraseRequired(
                    "this backup is of a passphrase ledger: set "
                    "RIGHTSLEDGER_PASSPHRASE or enter it when asked"
                )
            key = LedgerKey.from_passphrase(
                settings.passphrase.get_secret_value(),
                bytes.fromhex(public["key_salt"]),
            )
        else:
            key = LedgerKey.load(key_path_for(settings))
        engine = make_engine(parse_url(settings.database_url))
        try:
            manifest = restore_backup(
                archive,
                FieldCipher(key).backup_key,
                engine,
                vault_path_for(settings),
                progress=progress,
            )
        finally:
            engine.dispose()
        if manifest.key_fingerprint not in (None, key.fingerprint):
            raise ConfigError("the key does not belong to the restored ledger")
        ledger = cls.open(settings, clock)
        try:
            ledger._require(Permission.BACKUP, "restore")
            with ledger.sessions.transaction() as s:
                ledger._log(
                    s,
                    "restore",
                    archive.name,
                    {"backup_taken": manifest.created_at.isoformat()},
                )
        except BaseException:
            ledger.close()
            raise
        return ledger, manifest
