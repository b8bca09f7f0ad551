"""Population estimates, with small counts withheld from all but investigators."""

from __future__ import annotations

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import EstimateListPublic

router = api_router("estimates")


@router.get("/estimates", summary="The latest population estimates")
def list_estimates(ledger: LedgerAsUser) -> EstimateListPublic:
    return EstimateListPublic.model_validate({"items": api.estimates(ledger)})
