"""State and checks shared by every use case of the ledger façade."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..access import Actor, Permission
from ..config import Settings
from ..domain import Catalogue
from ..errors import ConfigError, Forbidden
from ..store import Sessions, custody_log
from ..store.custody_log import changes_data
from ..store.tables import Meta
from ..vault import FieldCipher, LedgerKey

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def guess_media_type(path: Path) -> str:
    kind, _ = mimetypes.guess_type(path.name)
    return kind or "application/octet-stream"


class PasswordRequired(ConfigError):
    """The acting user has a password and none (or a wrong one) was given."""


class PassphraseRequired(ConfigError):
    """The ledger's key comes from a passphrase and none was given."""


class LedgerBase:
    """What every use case shares: the database, the key, the acting user, the
    clock; the role check and the custody log."""

    def __init__(
        self,
        engine: Engine,
        key: LedgerKey,
        settings: Settings,
        clock: Clock = _utcnow,
        *,
        actor: Actor,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.sessions = Sessions(engine)
        self.actor = actor
        self._key = key
        self._cipher = FieldCipher(key)
        self._clock = clock
        self._catalogue: Catalogue | None = None

    # -- access and custody ------------------------------------------------------
    def _log(
        self,
        session: Session,
        action: str,
        target: str,
        detail: Mapping[str, object] | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        """Append a custody entry in ``session``'s transaction and reseal the
        log's end (see :meth:`FieldCipher.anchor`)."""
        entry = custody_log.append(
            session,
            actor=(actor or self.actor).name,
            action=action,
            target=target,
            at=self._clock(),
            detail=dict(detail or {}),
        )
        seal = f"{entry.seq}:{self._cipher.anchor(entry.seq, entry.hash)}"
        session.merge(Meta(key="custody_anchor", value=seal))
        if changes_data(action):
            session.merge(Meta(key="data_version", value=str(entry.seq)))

    def _deny(self, actor: Actor, what: str, reason: str) -> None:
        with self.sessions.transaction() as s:
            detail = {"role": actor.role.value, "why": reason}
            self._log(s, "denied", what, detail, actor=actor)

    def require(self, permission: Permission, target: str = "") -> None:
        """Check a permission for a use case built on top of the façade."""
        self._require(permission, target)

    def _require(self, permission: Permission, target: str = "") -> None:
        """Raise Forbidden (and log the attempt) unless the actor may."""
        if self.actor.may(permission):
            return
        what = f"{permission.value}{f' ({target})' if target else ''}"
        self._deny(self.actor, what, f"role {self.actor.role.value}")
        raise Forbidden(
            f"user {self.actor.name!r} ({self.actor.role.value}) may not {what}; "
            "the attempt is logged"
        )

    def close(self) -> None:
        self.engine.dispose()

    def now(self) -> datetime:
        """The ledger's clock (injected, so tests and runs can fix time)."""
        return self._clock()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
