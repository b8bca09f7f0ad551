"""Persons found by linkage (analysts and up): pseudonyms and lists, never names."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import PersonPagePublic

router = api_router("persons")


@router.get("/persons", summary="Persons of the latest linkage run, a page at a time")
def list_persons(
    ledger: LedgerAsUser,
    limit: Annotated[int, Query(ge=1, le=api.MAX_LIMIT)] = 100,
    cursor: Annotated[
        str | None, Query(min_length=1, max_length=400, pattern=r"^[A-Za-z0-9_-]+$")
    ] = None,
) -> PersonPagePublic:
    """Each person: id, number of records, the lists they are on, and their
    records' pseudonyms. Viewers are refused."""
    page = api.persons_page(ledger, limit=limit, cursor=cursor)
    return PersonPagePublic.model_validate(page)
