"""Sanctions readiness, from the cached scorecard."""

from __future__ import annotations

from ...access import Permission
from ..deps import LedgerAsUser, State
from ..routes.scorecard import cached_scorecard
from ._common import api_router
from .schemas import SanctionsPublic

router = api_router("sanctions")


@router.get("/sanctions", summary="Readiness of each sanctions condition")
def sanctions(ledger: LedgerAsUser, state: State) -> SanctionsPublic:
    ledger.require(Permission.READ_PUBLIC, "sanctions")
    data = cached_scorecard(state, ledger)
    section = data.get("sanctions") if data.get("assessed") else None
    if not section:
        return SanctionsPublic(
            assessed=False, as_of=None, standard=None, counts={}, effects=[]
        )
    return SanctionsPublic.model_validate({"assessed": True, **section})
