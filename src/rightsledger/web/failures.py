"""Errors as responses: each error class maps to one HTTP status, one JSON shape
``{ok, error, errors, status}`` for the API and JSON twins, and an error page for
browsers. Nothing from the request is echoed back but what our own messages say,
and a server error says nothing of its cause (the log keeps the error's type and
where it was raised, never its message, which might quote data).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from ..errors import (
    ConfigError,
    Forbidden,
    InputError,
    InputErrors,
    IntegrityError,
    NotFound,
    RightsLedgerError,
)
from ..logins import SignInFailed
from .deps import CsrfRejected, NotSignedIn, Visitor, visitor, web_state
from .pages import json_response, render, wants_json

log = logging.getLogger("rightsledger.web")

#: Our error classes and their HTTP status, most specific first.
STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (SignInFailed, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (InputError, 422),
    (IntegrityError, 409),
    (ConfigError, 503),
    (RightsLedgerError, 400),
)

_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Integrity problem",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Server error",
    503: "Ledger unavailable",
}


def status_of(error: Exception) -> int:
    return next((code for cls, code in STATUS_OF if isinstance(error, cls)), 500)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or wants_json(request)


def _problems(error: Exception) -> list[dict[str, Any]]:
    if isinstance(error, InputErrors):
        return [{"message": str(e), "location": list(e.location)} for e in error.errors]
    if isinstance(error, InputError):
        return [{"message": str(error), "location": list(error.location)}]
    return []


def error_response(
    request: Request,
    status: int,
    message: str,
    problems: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if _is_api(request):
        body = {
            "ok": False,
            "error": message,
            "errors": problems or [],
            "status": status,
        }
        response: Response = json_response(body, status=status)
    else:
        try:
            who = visitor(request, web_state(request))
        except RightsLedgerError:
            who = Visitor(None, "anonymous", "en")
        data = {
            "status": status,
            "heading": _TITLES.get(status, "Error"),
            "message": message,
            "problems": problems or [],
        }
        response = render(request, who, "error.html.j2", data, status=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _e: NotSignedIn) -> Response:
        if _is_api(request):
            return error_response(
                request,
                401,
                "sign in or send an API token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _e: CsrfRejected) -> Response:
        return error_response(
            request,
            403,
            "the form has expired or did not come from this site: reload the page "
            "and try again",
        )

    @app.exception_handler(RightsLedgerError)
    async def _ours(request: Request, e: RightsLedgerError) -> Response:
        status = status_of(e)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(request, status, str(e), _problems(e), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> Response:
        problems = [
            {"message": str(err.get("msg", "")), "location": list(err.get("loc", ()))}
            for err in e.errors()
        ]
        return error_response(request, 422, "the request is not valid", problems)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, e: HTTPException) -> Response:
        message = e.detail if isinstance(e.detail, str) else _TITLES.get(e.status_code)
        return error_response(
            request, e.status_code, str(message or "error"), headers=e.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, e: Exception) -> Response:
        where = traceback.extract_tb(e.__traceback__)[-1:] if e.__traceback__ else []
        place = f"{where[0].filename}:{where[0].lineno}" if where else "?"
        log.error(
            "server error %s at %s on %s", type(e).__name__, place, request.url.path
        )
        return error_response(request, 500, "the server met an unexpected error")
