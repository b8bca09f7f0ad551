"""The JSON API under ``/api/v1``: one module per area, all joined in ``router``.

Every operation acts through the Ledger façade as the caller (API token or
browser session), so the API allows and refuses exactly what the pages and the
command line do. ``create_app`` includes :data:`router`.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    account,
    agreements,
    benchmarks,
    estimates,
    facilities,
    links,
    observations,
    persons,
    sanctions,
    sources,
)

MODULES = (
    account,
    benchmarks,
    observations,
    sources,
    facilities,
    estimates,
    agreements,
    sanctions,
    persons,
    links,
)

router = APIRouter()
for _module in MODULES:
    router.include_router(_module.router)

__all__ = ["MODULES", "router"]
