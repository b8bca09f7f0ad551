"""Places of detention: public locations and status history."""

from __future__ import annotations

from ...browse import api
from ..deps import LedgerAsUser
from ._common import api_router
from .schemas import FacilityListPublic

router = api_router("facilities")


@router.get("/facilities", summary="Facilities with location and status history")
def list_facilities(ledger: LedgerAsUser) -> FacilityListPublic:
    return FacilityListPublic.model_validate({"items": api.facilities(ledger)})
