"""What every API module shares: the router prefix and the documented errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .schemas import ApiError

PREFIX = "/api/v1"

#: The error answers any API operation may give, all in the one JSON shape
#: ``{ok, error, errors, status}`` (see :mod:`rightsledger.web.failures`).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ApiError, "description": "The body is not readable JSON."},
    401: {"model": ApiError, "description": "No valid API token or session."},
    403: {
        "model": ApiError,
        "description": "The role may not do this (the attempt is logged), or a "
        "session request came without its CSRF token.",
    },
    404: {"model": ApiError, "description": "No such item in the ledger."},
    422: {"model": ApiError, "description": "The request is not valid."},
}


def api_router(tag: str) -> APIRouter:
    """A router of one API area under ``/api/v1``, with the documented errors."""
    return APIRouter(prefix=PREFIX, tags=[tag], responses=ERRORS)
