"""Agreements and which benchmarks their clauses cover."""

from __future__ import annotations

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import AgreementListPublic

router = api_router("agreements")


@router.get("/agreements", summary="Agreements with their clause coverage")
def list_agreements(ledger: LedgerAsUser) -> AgreementListPublic:
    return AgreementListPublic.model_validate({"items": api.agreements(ledger)})
