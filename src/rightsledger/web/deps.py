"""Typed dependencies: who is asking, in which language, and the ledger as them.

A request is signed in by a session cookie (browsers), an ``Authorization: Bearer``
API token (scripts), or, for ``serve --get`` only, by the command line. Every
state-changing request made with a session cookie must carry the session's CSRF
token (form field ``csrf_token`` or header ``X-CSRF-Token``); token and command-line
requests carry no cookie and need none.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request

from ..access import Actor
from ..ledger import Ledger
from .i18n import Translator, negotiate, pick_locale, translator
from .state import WebState

SESSION_COOKIE = "rl_session"
LANG_COOKIE = "rl_lang"
LOGIN_CSRF_COOKIE = "rl_login_csrf"

Via = Literal["session", "token", "cli", "anonymous"]


class NotSignedIn(Exception):  # noqa: N818 - a signal, handled by the app
    """The request needs a signed-in user and has none."""


class CsrfRejected(Exception):  # noqa: N818 - a signal, handled by the app
    """A state-changing request came without the session's CSRF token."""


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is asking (None when not signed in), how, and in which language."""

    actor: Actor | None
    via: Via
    locale: str
    csrf: str | None = None
    session_token: str | None = None

    @property
    def _(self) -> Translator:
        return translator(self.locale)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def visitor(request: Request, state: State) -> Visitor:
    """Identify the request (never raises for a missing sign-in)."""
    cookie_lang = request.cookies.get(LANG_COOKIE)
    browser_lang = negotiate(request.headers.get("accept-language"))
    if state.preauthenticated is not None:
        return Visitor(state.preauthenticated, "cli", pick_locale(cookie_lang))
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        actor = state.ledger.logins.actor_for_token(
            auth[7:].strip(), where=f"api {client_address(request)}"
        )
        return Visitor(actor, "token", pick_locale(cookie_lang, browser_lang))
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = state.ledger.logins.session(token)
        if session is not None:
            locale = pick_locale(session.locale, cookie_lang, browser_lang)
            return Visitor(session.actor, "session", locale, session.csrf, token)
    return Visitor(None, "anonymous", pick_locale(cookie_lang, browser_lang))


AnyVisitor = Annotated[Visitor, Depends(visitor)]


def signed_in(who: AnyVisitor) -> Visitor:
    if who.actor is None:
        raise NotSignedIn()
    return who


SignedIn = Annotated[Visitor, Depends(signed_in)]


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


async def csrf_checked(request: Request, who: SignedIn) -> Visitor:
    """For state-changing routes: the session's CSRF token must come along."""
    if who.via != "session":
        return who
    given = request.headers.get("x-csrf-token")
    if given is None:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not csrf_matches(who.csrf, given):
        raise CsrfRejected()
    return who


Writer = Annotated[Visitor, Depends(csrf_checked)]


def acting_ledger(who: SignedIn, state: State) -> Ledger:
    """The ledger acting as the signed-in user (checks happen in the façade)."""
    assert who.actor is not None  # noqa: S101 - signed_in guarantees it
    return state.for_actor(who.actor)


LedgerAsUser = Annotated[Ledger, Depends(acting_ledger)]
