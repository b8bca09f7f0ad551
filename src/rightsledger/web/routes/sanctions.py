"""Sanctions readiness: each legal condition for suspending or ending sanctions,
the benchmarks tied to it, whether it is met and why not (from the cached
scorecard's ``sanctions`` section)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...access import Permission
from ...domain import Catalogue
from ...ledger import Ledger
from ..deps import LedgerAsUser, SignedIn, State
from ..pages import page
from .scorecard import cached_scorecard

router = APIRouter()


def _unassessed(catalogue: Catalogue) -> dict[str, Any]:
    """The conditions and their tied benchmarks, before any assessment."""
    effects: dict[str, list[dict[str, Any]]] = {}
    for c in catalogue.conditions:
        effects.setdefault(c.effect, []).append(
            {
                "id": c.id,
                "statute": c.statute,
                "effect": c.effect,
                "text": c.text,
                "binding": c.binding,
                "readiness": None,
                "required": None,
                "reason": "",
                "benchmarks": [
                    {"id": b, "status": None, "met": False, "shortfall": ""}
                    for b in c.benchmarks
                ],
                "missing": [],
            }
        )
    return {
        "as_of": None,
        "standard": None,
        "counts": {},
        "effects": [
            {
                "effect": effect,
                "binding": any(c["binding"] for c in group),
                "conditions": group,
            }
            for effect, group in effects.items()
        ],
    }


def _with_titles(section: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """Add each tied benchmark's English and Korean titles."""
    titles = {b.id: (b.title, b.title_ko) for b in catalogue.benchmarks}

    def bench(b: dict[str, Any]) -> dict[str, Any]:
        title, title_ko = titles.get(b["id"], (b["id"], ""))
        return {**b, "title": title, "title_ko": title_ko}

    effects = [
        {
            **group,
            "conditions": [
                {**c, "benchmarks": [bench(b) for b in c["benchmarks"]]}
                for c in group["conditions"]
            ],
        }
        for group in section["effects"]
    ]
    return {**section, "effects": effects}


def sanctions_data(ledger: Ledger, state: State) -> dict[str, Any]:
    """The readiness of every sanctions condition, as the page shows it."""
    ledger.require(Permission.READ_PUBLIC, "sanctions readiness")
    catalogue = ledger.catalogue()
    card = cached_scorecard(state, ledger)
    section = card["sanctions"] if card["assessed"] else _unassessed(catalogue)
    return {
        "assessed": bool(card["assessed"]),
        "real_until": card.get("real_until"),
        "has_simulated": bool(card.get("has_simulated")),
        **_with_titles(section, catalogue),
    }


@router.get("/sanctions", include_in_schema=False)
def sanctions_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "sanctions readiness")
    data = sanctions_data(ledger, state)
    return page(
        request, who, "sanctions.html.j2", data, title=who._("Sanctions readiness")
    )
