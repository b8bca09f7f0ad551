"""Review decisions on pairs of records (investigators)."""

from __future__ import annotations

from fastapi import status

from ...browse import api
from ..deps import LedgerAsUser, Writer
from ._common import api_router
from .schemas import LinkDecisionCreate, LinkDecisionPublic

router = api_router("linkage")


@router.post(
    "/link-decisions",
    status_code=status.HTTP_201_CREATED,
    summary="Accept or reject a pair of records as one person",
)
def create_link_decision(
    body: LinkDecisionCreate, _who: Writer, ledger: LedgerAsUser
) -> LinkDecisionPublic:
    """The same use case as ``rightsledger link review --accept``: append-only,
    a later decision on the pair supersedes this one. Session callers must send
    the ``X-CSRF-Token`` header."""
    stored = api.decide_link(
        ledger, body.left, body.right, accept=body.accept, note=body.note
    )
    return LinkDecisionPublic.model_validate(stored)
