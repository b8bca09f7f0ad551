"""Sources of evidence (viewers: public sources only)."""

from __future__ import annotations

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import SourceListPublic

router = api_router("evidence")


@router.get("/sources", summary="Sources the caller may see")
def list_sources(ledger: LedgerAsUser) -> SourceListPublic:
    return SourceListPublic.model_validate({"items": api.sources(ledger)})
