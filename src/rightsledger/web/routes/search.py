"""Search across everything the signed-in user may see (``GET /search?q=``), and
the name search of investigators (``POST /search/names``: a deliberate act, sent
in the request body so that the name is in no address, and logged by the ledger
as an identity read without the name)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ...access import Permission
from ...browse.search import MAX_QUERY, search, search_names
from ...browse.sources import problems_by_field
from ...errors import InputError
from ..deps import LedgerAsUser, SignedIn, Writer
from ..pages import page

router = APIRouter()


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, q: str = ""
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "search")
    data: dict[str, Any] = {"problems": {}, "name_search": None, "name_value": ""}
    status = 200
    try:
        data.update(search(ledger, q))
    except InputError as e:
        data.update(q="", evidence=False, searched=False)
        data["problems"] = problems_by_field(e)
        status = 422
    data["may_search_names"] = ledger.actor.may(Permission.READ_IDENTITIES)
    return page(
        request, who, "search.html.j2", data, title=who._("Search"), status=status
    )


@router.post("/search/names", include_in_schema=False)
def name_search(
    request: Request,
    who: Writer,
    ledger: LedgerAsUser,
    name: Annotated[str, Form(max_length=MAX_QUERY * 2)] = "",
) -> Response:
    ledger.require(Permission.READ_IDENTITIES, "name search")
    data: dict[str, Any] = {
        "q": "",
        "evidence": True,
        "searched": False,
        "problems": {},
        "may_search_names": True,
        "name_search": None,
        "name_value": name,
    }
    status = 200
    try:
        data["name_search"] = search_names(ledger, name)
    except InputError as e:
        data["problems"] = problems_by_field(e)
        status = 422
    return page(
        request,
        who,
        "search.html.j2",
        data,
        title=who._("Search names"),
        status=status,
    )
