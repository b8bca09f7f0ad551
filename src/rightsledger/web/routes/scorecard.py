"""The scorecard: every benchmark's status, standard of proof, trend and last change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...access import Permission
from ...errors import NotFound
from ...ledger import Ledger
from ...report.brief_public import public_scorecard
from ...scorecard import build_context, real_until_default
from ..deps import LedgerAsUser, SignedIn, State
from ..pages import page

router = APIRouter()


def visibility(ledger: Ledger) -> str:
    """Which evidence the acting user may see: the cache keeps one page per kind."""
    return "all" if ledger.actor.may(Permission.READ_EVIDENCE) else "public"


def scorecard_data(ledger: Ledger) -> dict[str, Any]:
    """The scorecard context of the latest assessment, or an empty one with the
    reason when nothing has been assessed yet."""
    ledger.require(Permission.READ_PUBLIC, "scorecard")
    try:
        timeline = ledger.latest_assessments()
    except NotFound as e:
        return {"assessed": False, "reason": str(e), "benchmarks": []}
    context = build_context(ledger, timeline, real_until=real_until_default(ledger))
    if visibility(ledger) == "public":
        context = viewer_scorecard(ledger, context)
    return {"assessed": True, **context}


def viewer_scorecard(ledger: Ledger, context: dict[str, Any]) -> dict[str, Any]:
    """The scorecard as the public scorecard report shows it (report/brief_public):
    evidence of restricted sources only counted, free text (reasons, what an
    observation says) left out, estimates rounded outward, and the lists behind
    an estimate named only when they are public sources."""
    public = public_scorecard(context, ledger.settings.small_cell_threshold)
    public_ids = set(ledger.sources())
    for row in public["estimates"]:
        lists = row["lists"]
        row["lists"] = [x for x in lists if x in public_ids]
        row["lists_withheld"] = len(lists) - len(row["lists"])
    return public


def cached_scorecard(state: State, ledger: Ledger) -> dict[str, Any]:
    key = ("scorecard", visibility(ledger))
    data: dict[str, Any] = state.cache.get(key, lambda: scorecard_data(ledger))
    return data


@router.get("/", include_in_schema=False)
def scorecard_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, state: State
) -> Response:
    ledger.require(Permission.READ_PUBLIC, "scorecard")
    data = cached_scorecard(state, ledger)
    return page(request, who, "scorecard.html.j2", data, title=who._("Scorecard"))
