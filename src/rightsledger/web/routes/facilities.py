"""Facilities: a map from the public locations and a table of every site; a page
per facility with its status history and the observations about it (newest
first, 50 a page; viewers see only public sources' observations)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...access import Permission
from ...browse.facilities import (
    facility_detail,
    facility_list,
    facility_observations,
    observation_counts,
)
from ...domain import Facility
from ...ledger import Ledger
from ...report.map import facilities_map_svg
from ..deps import LedgerAsUser, SignedIn, State
from ..pages import json_response, render, wants_json
from .scorecard import visibility

router = APIRouter()


def cached_counts(state: State, ledger: Ledger) -> dict[str, int]:
    """Observation counts per facility, counted once per ledger version."""
    key = ("facility-counts", visibility(ledger))
    counts: dict[str, int] = state.cache.get(key, lambda: observation_counts(ledger))
    return counts


@lru_cache(maxsize=64)
def _map(facilities: tuple[Facility, ...], lang: str, highlight: str | None) -> str:
    links = {f.id: f"/facilities/{f.id}" for f in facilities}
    # embed_css=False: the CSP forbids inline styles; public.css carries MAP_CSS.
    return facilities_map_svg(
        facilities, lang=lang, links=links, highlight=highlight, embed_css=False
    )


def facilities_map(ledger: Ledger, lang: str, highlight: str | None = None) -> str:
    """The catalogue's facilities on the outline map, as SVG text (memoised: the
    catalogue is the only input)."""
    return _map(tuple(ledger.catalogue().facilities), lang, highlight)


def _state_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    return [{"state": s, "count": n} for s, n in sorted(counts.items())]


@router.get("/facilities", include_in_schema=False)
def facilities_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "facilities")
    rows = facility_list(ledger, cached_counts(state, ledger))
    data = {
        "facilities": rows,
        "states": _state_counts(rows),
        "unplaced": [r["id"] for r in rows if not r["placed"]],
    }
    if wants_json(request):
        return json_response(data)
    # The map is our own SVG (report/map.py escapes every data string).
    extra = {"map_svg": facilities_map(ledger, who.locale)}
    return render(
        request, who, "facilities.html.j2", {**data, **extra}, title=who._("Facilities")
    )


@router.get("/facilities/{facility_id}", include_in_schema=False)
def facility_page(
    request: Request,
    facility_id: str,
    who: SignedIn,
    ledger: LedgerAsUser,
    state: State,
    page: int = 1,
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "facilities")
    counts = cached_counts(state, ledger)
    detail = facility_detail(ledger, facility_id, counts)
    data = {
        "facility": detail,
        "observations": facility_observations(
            ledger, facility_id, page, total=counts.get(facility_id, 0)
        ),
    }
    if wants_json(request):
        return json_response(data)
    extra = {
        "map_svg": facilities_map(ledger, who.locale, facility_id)
        if detail["placed"]
        else ""
    }
    return render(
        request, who, "facility.html.j2", {**data, **extra}, title=detail["name"]
    )
