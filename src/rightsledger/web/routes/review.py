"""The link review queue (investigators): the uncertain pairs of the latest
linkage run, most uncertain first, both records side by side, each comparison's
match weight, and Accept / Reject with a note. Decisions are append-only, with
who and when; a later one on a pair supersedes the earlier, which stays on record.

Showing the queue reads names: :func:`rightsledger.chain.review_queue` writes the
read to the custody log, as ``link review`` on the command line does. Nothing of
the queue is cached. Analysts and viewers are refused by the façade (403).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from ...access import Permission
from ...browse.review import recent_decisions
from ...chain import ReviewItem, review_queue
from ...errors import InputError, NotFound
from ..deps import LedgerAsUser, SignedIn, Writer
from ..pages import page, render

router = APIRouter()

#: Pairs per page of the queue.
PER_PAGE = 25
#: Half the width of a weight's bar (pixels) and the weight that fills it.
BAR_HALF, BAR_SCALE = 80, 8.0


def _bar(weight: float) -> dict[str, Any]:
    """An SVG bar for one comparison's weight: right of the middle when it
    speaks for a match, left when against (drawn with attributes, not styles)."""
    width = round(min(abs(weight), BAR_SCALE) / BAR_SCALE * BAR_HALF, 1)
    return {
        "x": BAR_HALF if weight >= 0 else round(BAR_HALF - width, 1),
        "width": width,
        "positive": weight >= 0,
    }


def _pair(rank: int, item: ReviewItem) -> dict[str, Any]:
    pair = item.pair
    return {
        "rank": rank,
        "left": pair.left,
        "right": pair.right,
        "probability": round(pair.probability, 4),
        "match_weight": round(pair.match_weight, 2),
        "left_record": item.left,
        "right_record": item.right,
        "weights": [
            {"name": name, "weight": round(w, 2), "bar": _bar(w)}
            for name, w in pair.weights.items()
        ],
    }


@router.get("/review", include_in_schema=False)
def review_page(
    request: Request,
    who: SignedIn,
    ledger: LedgerAsUser,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    ledger.require(Permission.REVIEW_LINKS, "the review queue")
    data: dict[str, Any] = {
        "ready": True,
        "reason": "",
        "band": None,
        "total": 0,
        "pairs": [],
        "page": page_no,
        "more": False,
        "bar_half": BAR_HALF,
    }
    try:
        first = (page_no - 1) * PER_PAGE
        queue = review_queue(ledger, start=first, count=PER_PAGE)
    except NotFound as e:
        data.update(ready=False, reason=str(e))
        return page(request, who, "review.html.j2", data, title=who._("Link review"))
    data.update(
        band=list(queue.band),
        total=queue.total,
        pairs=[_pair(first + n + 1, item) for n, item in enumerate(queue.pairs)],
        more=first + PER_PAGE < queue.total,
    )
    return page(request, who, "review.html.j2", data, title=who._("Link review"))


@router.post("/review/decide", include_in_schema=False)
def decide(
    request: Request,
    who: Writer,
    ledger: LedgerAsUser,
    left: Annotated[str, Form(max_length=120)],
    right: Annotated[str, Form(max_length=120)],
    decision: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record an investigator's decision on a pair. From htmx: the pair's row
    is replaced by what was recorded; otherwise back to the queue."""
    if decision not in ("accept", "reject"):
        raise InputError("choose accept or reject", field="decision")
    accept = decision == "accept"
    ledger.decide_link(left, right, accept=accept, note=note.strip())
    if request.headers.get("hx-request") != "true":
        return RedirectResponse("/review", status_code=303)
    a, b = sorted((left, right))
    data = {"left": a, "right": b, "accept": accept, "note": note.strip()}
    return render(request, who, "review_decided.html.j2", data)


@router.get("/review/decisions", include_in_schema=False)
def decisions_page(
    request: Request,
    who: SignedIn,
    ledger: LedgerAsUser,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    data = {"decisions": recent_decisions(ledger, limit=limit), "limit": limit}
    return page(
        request, who, "review_decisions.html.j2", data, title=who._("Link decisions")
    )
