"""Signing in and out, and the interface language.

The sign-in form is protected against cross-site submission by a double-submit
token (a random cookie that the form must echo). Signing in always starts a new
session id, so a session id planted before sign-in is worthless (no fixation).
Failed attempts are limited per address and per user name (see ``throttle``).
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...logins import SESSION_LIFETIME, SignInFailed
from ..deps import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AnyVisitor,
    State,
    Writer,
    client_address,
    csrf_matches,
)
from ..failures import error_response
from ..i18n import LANGUAGES
from ..pages import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site (never another host) may follow sign-in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_form(
    request: Request, who: AnyVisitor, state: State, next: str = "/"
) -> Response:
    if who.actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        who,
        "login.html.j2",
        {"next": safe_next(next), "login_csrf": token, "error": None, "user": ""},
        title=who._("Sign in"),
    )
    _set_cookie(response, state.cookie_secure, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    who: AnyVisitor,
    state: State,
    user: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    login_csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE), login_csrf):
        return error_response(
            request, 403, "the sign-in form has expired: reload it and try again"
        )
    address = client_address(request)
    keys = (f"ip:{address}", f"user:{user}")
    wait = state.throttle.wait_seconds(*keys)
    if wait:
        return error_response(
            request,
            429,
            f"too many failed sign-ins: try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )
    logins = state.ledger.logins
    try:
        actor = logins.sign_in(user, password, where=f"web {address}")
    except SignInFailed:
        state.throttle.failed(*keys)
        return render(
            request,
            who,
            "login.html.j2",
            {
                "next": safe_next(next),
                "login_csrf": login_csrf,
                "error": who._("Wrong user name or password."),
                "user": user,
            },
            status=401,
            title=who._("Sign in"),
        )
    state.throttle.succeeded(f"user:{user}")
    grant = logins.start_session(actor, where=f"web {address}")
    response = RedirectResponse(safe_next(next), status_code=303)
    lifetime = int(SESSION_LIFETIME.total_seconds())
    _set_cookie(response, state.cookie_secure, SESSION_COOKIE, grant.token, lifetime)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(who: Writer, state: State) -> Response:
    if who.session_token and who.actor is not None:
        state.ledger.logins.end_session(who.session_token, who.actor)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language", include_in_schema=False)
def choose_language(
    request: Request,
    who: AnyVisitor,
    state: State,
    lang: Annotated[str, Form(max_length=5)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch the interface language: remembered for the user when signed in
    (CSRF-checked), and in a cookie for the browser."""
    if lang not in LANGUAGES:
        return error_response(request, 422, f"unknown language {lang[:5]!r}")
    if who.actor is not None and who.via == "session":
        if not csrf_matches(who.csrf, csrf_token):
            return error_response(
                request, 403, "the form has expired: reload the page and try again"
            )
        state.ledger.logins.set_locale(who.actor, lang)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_cookie(response, state.cookie_secure, LANG_COOKIE, lang, 365 * 86400, True)
    return response


def _set_cookie(
    response: Response,
    secure: bool,
    name: str,
    value: str,
    max_age: int,
    lax: bool = False,
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax" if lax else "strict",
    )
