"""Observations, a page at a time (keyset cursor, or a shallow offset)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import ID_PATTERN, ObservationPagePublic

router = api_router("evidence")

IdFilter = Annotated[
    str | None, Query(min_length=1, max_length=120, pattern=ID_PATTERN)
]


@router.get(
    "/observations",
    summary="Observations the caller may see, oldest first, a page at a time",
)
def list_observations(
    ledger: LedgerAsUser,
    limit: Annotated[int, Query(ge=1, le=api.MAX_LIMIT)] = 100,
    cursor: Annotated[
        str | None, Query(min_length=1, max_length=400, pattern=r"^[A-Za-z0-9_-]+$")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=api.MAX_OFFSET)] = 0,
    benchmark: IdFilter = None,
    facility: IdFilter = None,
    source: IdFilter = None,
    since: date | None = None,
    until: date | None = None,
) -> ObservationPagePublic:
    """Viewers see the observations of public sources only. Pass the page's
    ``next_cursor`` back as ``cursor`` for the next page; ``offset`` (up to
    10,000) is for shallow jumps and cannot be combined with ``cursor``."""
    query = api.ObservationQuery(
        limit=limit,
        cursor=cursor,
        offset=offset,
        benchmark=benchmark,
        facility=facility,
        source=source,
        since=since,
        until=until,
    )
    return ObservationPagePublic.model_validate(api.observations_page(ledger, query))
