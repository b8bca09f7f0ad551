"""Signing in to the web app and the API: passwords, browser sessions, tokens.

A component of :class:`~rightsledger.ledger.Ledger` (``ledger.logins``). Every
sign-in, sign-out and refused attempt goes to the custody log. A refused sign-in
says only "wrong user name or password", whatever the reason, so that the answer
tells an attacker nothing about which user names exist; the log keeps the reason.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .access import Actor
from .domain import Role
from .errors import Forbidden, InputError
from .store import user_rows, web_rows
from .vault.passwords import check_password, hash_password, token_hash

if TYPE_CHECKING:
    from .ledger import Ledger

#: How long a browser session lasts from sign-in.
SESSION_LIFETIME = timedelta(hours=12)

#: Languages the interface speaks.
LOCALES = ("en", "ko")

# Checked against when the user does not exist, so that a refusal takes as long
# for an unknown name as for a wrong password.
_DUMMY_HASH = hash_password("not a password of anyone")


class SignInFailed(Forbidden):
    """Wrong user name or password, or a user who may not sign in."""


@dataclass(frozen=True, slots=True)
class SessionGrant:
    """A new browser session: the cookie value (shown once) and its CSRF token."""

    token: str
    csrf: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live browser session as the web app sees it."""

    actor: Actor
    csrf: str
    locale: str | None
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Logins:
    """Sign-in, sessions and API tokens of one ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def sign_in(self, name: str, password: str, *, where: str) -> Actor:
        """Check a user's password and return who they are.

        Args:
            name: The user name.
            password: The password as typed.
            where: Where the attempt came from (e.g. ``web 127.0.0.1``), logged.

        Raises:
            SignInFailed: unknown user, no password set, disabled, or wrong
                password (logged with the reason; the message is the same).
        """
        led = self._ledger
        with led.sessions.read() as s:
            row = user_rows.get(s, name)
            stored = None if row is None else (row.role, row.active, row.password_hash)
        if stored is None:
            check_password(_DUMMY_HASH, password)
            return self._refuse(Actor(name[:200], Role.VIEWER), where, "unknown user")
        role, active, password_hash = stored
        actor = Actor(name, Role(role))
        if password_hash is None:
            check_password(_DUMMY_HASH, password)
            return self._refuse(actor, where, "no password set")
        if not check_password(password_hash, password):
            return self._refuse(actor, where, "wrong password")
        if not active:
            return self._refuse(actor, where, "user disabled")
        return actor

    def _refuse(self, actor: Actor, where: str, reason: str) -> Actor:
        self._ledger._deny(actor, f"sign in ({where})", reason)
        raise SignInFailed("wrong user name or password")

    def start_session(self, actor: Actor, *, where: str) -> SessionGrant:
        """Open a new browser session for ``actor`` (always a new id, so that a
        session id planted before sign-in is never promoted)."""
        led = self._ledger
        now = led.now()
        grant = SessionGrant(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), now + SESSION_LIFETIME
        )
        with led.sessions.transaction() as s:
            web_rows.remove_expired(s, now)
            web_rows.add(
                s,
                token_hash=_hash(grant.token),
                user=actor.name,
                csrf=grant.csrf,
                at=now,
                expires_at=grant.expires_at,
            )
            led._log(s, "sign-in", where, actor=actor)
        return grant

    def session(self, token: str) -> WebSession | None:
        """The live session behind a cookie value, or None when it is unknown,
        expired, or its user is disabled."""
        led = self._ledger
        with led.sessions.read() as s:
            found = web_rows.get(s, _hash(token))
            if found is None:
                return None
            row, user = found
            expires_at = row.expires_at
            if expires_at.tzinfo is None:  # SQLite drops the zone; we store UTC
                expires_at = expires_at.replace(tzinfo=led.now().tzinfo)
            if expires_at <= led.now() or not user.active:
                return None
            return WebSession(
                Actor(user.name, Role(user.role)), row.csrf, user.locale, expires_at
            )

    def end_session(self, token: str, actor: Actor) -> None:
        """Sign out: the session stops working at once."""
        led = self._ledger
        with led.sessions.transaction() as s:
            if web_rows.remove(s, _hash(token)):
                led._log(s, "sign-out", "web", actor=actor)

    def actor_for_token(self, api_token: str, *, where: str) -> Actor:
        """The user an API token belongs to.

        Raises:
            SignInFailed: unknown token or disabled user (logged).
        """
        led = self._ledger
        with led.sessions.read() as s:
            row = user_rows.by_token_hash(s, token_hash(api_token))
            found = None if row is None else (row.name, row.role, row.active)
        if found is None:
            led._deny(Actor("?", Role.VIEWER), f"api token ({where})", "unknown token")
            raise SignInFailed("unknown or revoked API token")
        name, role, active = found
        actor = Actor(name, Role(role))
        if not active:
            led._deny(actor, f"api token ({where})", "user disabled")
            raise SignInFailed("unknown or revoked API token")
        return actor

    def set_locale(self, actor: Actor, locale: str) -> None:
        """Remember the interface language a user chose."""
        if locale not in LOCALES:
            raise InputError(
                f"unknown language {locale!r}; choose one of {', '.join(LOCALES)}",
                field="locale",
            )
        led = self._ledger
        with led.sessions.transaction() as s:
            row = user_rows.get(s, actor.name)
            if row is not None and row.locale != locale:
                row.locale = locale
                led._log(s, "set-language", actor.name, {"locale": locale}, actor=actor)

    def version(self) -> int:
        """Grows with every change of the ledger's data (the custody entry of its
        last change; sign-ins, refusals and reads do not move it): what a cache of
        derived pages is keyed on."""
        with self._ledger.sessions.engine.connect() as conn:
            stored = web_rows.stored_data_version(conn)
        if stored is not None:
            return stored
        with self._ledger.sessions.read() as s:
            return web_rows.data_version(s)
