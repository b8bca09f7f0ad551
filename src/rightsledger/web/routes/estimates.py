"""Estimates: every stored population estimate with its interval, model and
diagnostics, an intervals chart, the posterior where there is one, and the
plain-language summary of what the interval means and assumes.

Counts of people seen below the small-cell threshold are masked for everyone but
investigators; lists from sources the reader may not see are counted, not named.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...access import Permission
from ...browse.estimates import estimates_view, find, posterior_svg
from ...ledger import Ledger
from ...report.charts import estimates_svg, svg_data_uri
from ..deps import LedgerAsUser, SignedIn, State
from ..pages import json_response, render, wants_json

router = APIRouter()


def view_key(ledger: Ledger) -> str:
    """What the reader may see of estimates: counts (investigators), all lists
    (evidence readers) or public lists with masked counts."""
    if ledger.actor.may(Permission.READ_IDENTITIES):
        return "identities"
    return "all" if ledger.actor.may(Permission.READ_EVIDENCE) else "public"


def cached_estimates(state: State, ledger: Ledger, lang: str) -> dict[str, Any]:
    key = ("estimates", view_key(ledger), lang)
    data: dict[str, Any] = state.cache.get(key, lambda: estimates_view(ledger, lang))
    return data


def _charts(ledger: Ledger, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The intervals chart and each posterior, as ``data:`` URIs of our own SVG."""
    results = ledger.estimates()
    posteriors: dict[str, str] = {}
    for row in data["estimates"]:
        found = find(results, row["n"]) if row["has_posterior"] else None
        svg = posterior_svg(found, lang=lang) if found is not None else None
        if svg is not None:
            posteriors[str(row["n"])] = svg_data_uri(svg)
    intervals = estimates_svg(data["estimates"], lang=lang) if data["estimates"] else ""
    return {
        "intervals_chart": svg_data_uri(intervals) if intervals else "",
        "posteriors": posteriors,
    }


@router.get("/estimates", include_in_schema=False)
def estimates_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "estimates")
    data = cached_estimates(state, ledger, who.locale)
    if wants_json(request):
        return json_response(data)
    key = ("estimates-charts", view_key(ledger), who.locale)
    charts = state.cache.get(key, lambda: _charts(ledger, data, who.locale))
    return render(
        request,
        who,
        "estimates.html.j2",
        {**data, **charts},
        title=who._("Estimates"),
    )
