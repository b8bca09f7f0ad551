"""Person records: analysts and investigators see pseudonyms; an investigator
may ask for names (``POST /records`` with a purpose), which the ledger façade
writes to the custody log. Viewers may not open the page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ...access import Permission
from ...browse.records import MAX_PURPOSE, named_page, pseudonymous_page
from ...browse.sources import problems_by_field
from ...errors import InputError
from ..deps import LedgerAsUser, SignedIn, Writer
from ..pages import page

router = APIRouter()


@router.get("/records", include_in_schema=False)
def records_page(
    request: Request,
    who: SignedIn,
    ledger: LedgerAsUser,
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    ledger.require(Permission.READ_EVIDENCE, "records")
    data: dict[str, Any] = {
        "problems": {},
        "may_read_names": ledger.actor.may(Permission.READ_IDENTITIES),
        **pseudonymous_page(ledger, page_no),
    }
    return page(request, who, "records.html.j2", data, title=who._("Records"))


@router.post("/records", include_in_schema=False)
def records_with_names(
    request: Request,
    who: Writer,
    ledger: LedgerAsUser,
    purpose: Annotated[str, Form(max_length=MAX_PURPOSE * 4)] = "",
    page_no: Annotated[int, Form(alias="page", ge=1)] = 1,
) -> Response:
    ledger.require(Permission.READ_IDENTITIES, "records with names")
    data: dict[str, Any] = {"problems": {}, "may_read_names": True}
    status = 200
    try:
        data.update(named_page(ledger, page_no, purpose))
    except InputError as e:
        data.update(pseudonymous_page(ledger, page_no))
        data["problems"] = problems_by_field(e)
        data["purpose"] = purpose
        status = 422
    return page(
        request,
        who,
        "records.html.j2",
        data,
        title=who._("Records"),
        status=status,
    )
