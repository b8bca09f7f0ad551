"""Who the caller is: user name, role and permissions."""

from __future__ import annotations

from ...browse import api
from ..deps import LedgerAsUser, SignedIn
from ._common import api_router
from .schemas import MePublic

router = api_router("account")


@router.get("/me", summary="The signed-in user, role and permissions")
def me(who: SignedIn, ledger: LedgerAsUser) -> MePublic:
    return MePublic.model_validate({**api.whoami(ledger), "via": who.via})
