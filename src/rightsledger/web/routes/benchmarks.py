"""A benchmark's page: statement, references, status and standard of proof, its
indicators with their evidence trails, a timeline chart and the verification plan.

Built from the cached scorecard (one build per ledger version and visibility), so
a page costs a dict lookup, not a pass over the observations. A reader without
``read evidence`` sees only public sources' evidence; what the assessment cited
beyond that is counted (masked when small), never listed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...access import Permission
from ...domain import Benchmark, Indicator
from ...errors import InputError, NotFound
from ...ledger import Ledger
from ...report.brief_context import masked
from ...report.charts import status_timeline_svg, svg_data_uri
from ..deps import LedgerAsUser, SignedIn, State
from ..pages import json_response, render, wants_json
from .scorecard import cached_scorecard

router = APIRouter()

#: Evidence entries listed per indicator on the benchmark page.
TRAIL_SHOWN = 10
#: Evidence entries per page when one indicator's whole trail is opened.
TRAIL_PER_PAGE = 50


def _rule(indicator: Indicator) -> dict[str, Any]:
    """The indicator's verification rule as plain data."""
    rule = indicator.rule
    return {
        "text": indicator.verify,
        "source_kinds": [k.value for k in rule.source_kinds],
        "min_independent": rule.min_independent,
        "min_reliability": rule.min_reliability.value,
        "min_credibility": int(rule.min_credibility),
        "requires_monitor": rule.requires_monitor,
        "requires_physical": rule.requires_physical,
        "standard": rule.standard.value,
        "population": rule.population,
        "max_upper": rule.max_upper,
    }


def _trail(
    evidence: list[dict[str, Any]], hidden_only: bool, small_cell: int
) -> tuple[list[dict[str, Any]], str]:
    """The entries the reader may see, and how many were withheld (masked).

    For a reader of public evidence only, an entry the scorecard could not find
    is one of a non-public source: it is counted, not listed.
    """
    if not hidden_only:
        return evidence, ""
    shown = [e for e in evidence if not e.get("missing")]
    return shown, masked(len(evidence) - len(shown), small_cell)


def _indicator(
    indicator: Indicator,
    assessed: dict[str, Any] | None,
    *,
    hidden_only: bool,
    small_cell: int,
) -> dict[str, Any]:
    trail, withheld = _trail(
        list(assessed["evidence"]) if assessed else [], hidden_only, small_cell
    )
    if assessed and assessed.get("withheld"):  # the viewer's scorecard counted them
        withheld = str(assessed["withheld"])
    return {
        "key": indicator.key,
        "id": indicator.id,
        "kind": indicator.kind.value,
        "target": indicator.target,
        "rule": _rule(indicator),
        "status": assessed["status"] if assessed else None,
        "standard": assessed["standard"] if assessed else None,
        "reason": assessed["reason"] if assessed else "",
        "evidence": trail,
        "evidence_total": len(trail),
        "supporting": sum(1 for e in trail if e["stance"] == "supports"),
        "contradicting": sum(1 for e in trail if e["stance"] == "contradicts"),
        "withheld": withheld,
    }


def _unassessed_row(b: Benchmark) -> dict[str, Any]:
    return {
        "id": b.id,
        "status": None,
        "standard": None,
        "reason": "",
        "as_of": None,
        "simulated": False,
        "trend": [],
        "last_change": None,
        "indicators": [],
        "plan": None,
    }


def benchmark_data(ledger: Ledger, state: State, benchmark_id: str) -> dict[str, Any]:
    """The benchmark page's data for the acting user (every indicator's full trail).

    Raises:
        NotFound: the catalogue has no such benchmark.
    """
    ledger.require(Permission.READ_PUBLIC, "benchmarks")
    catalogue = ledger.catalogue()
    try:
        benchmark = catalogue.benchmark(benchmark_id)
    except KeyError:
        raise NotFound(f"no benchmark {benchmark_id!r} in the catalogue") from None
    card = cached_scorecard(state, ledger)
    rows = {r["id"]: r for r in card["benchmarks"]}
    row = rows.get(benchmark.id) or _unassessed_row(benchmark)
    assessed = {i["key"]: i for i in row["indicators"]}
    hidden_only = not ledger.actor.may(Permission.READ_EVIDENCE)
    small_cell = ledger.settings.small_cell_threshold
    indicators = [
        _indicator(
            i, assessed.get(i.key), hidden_only=hidden_only, small_cell=small_cell
        )
        for i in benchmark.indicators
    ]
    dates = card.get("dates", [])
    return {
        "assessed": bool(card["assessed"]) and row["status"] is not None,
        "catalogue": catalogue.name,
        "as_of": row["as_of"],
        "real_until": card.get("real_until"),
        "dates": dates,
        "has_simulated": bool(row["simulated"]) or any(d["simulated"] for d in dates),
        "evidence_hidden": hidden_only,
        "benchmark": {
            "id": benchmark.id,
            "title": benchmark.title,
            "title_ko": benchmark.title_ko,
            "statement": benchmark.statement,
            "demanded_by": list(benchmark.demanded_by),
            "status": row["status"],
            "standard": row["standard"],
            "reason": row["reason"],
            "simulated": row["simulated"],
            "trend": row["trend"],
            "last_change": row["last_change"],
            "baseline": {
                "status": benchmark.baseline.status.value,
                "as_of": benchmark.baseline.as_of.isoformat(),
                "summary": benchmark.baseline.summary,
                "sources": list(benchmark.baseline.sources),
            },
            "indicators": indicators,
            "plan": row["plan"],
        },
    }


def _paged(data: dict[str, Any], key: str | None, page: int) -> dict[str, Any]:
    """Cut each indicator's trail to :data:`TRAIL_SHOWN` entries, or, for the one
    indicator opened (``key``), to the requested page of its whole trail."""
    if page < 1:
        raise InputError("the page number starts at 1", field="page")
    keys = {i["key"] for i in data["benchmark"]["indicators"]}
    if key is not None and key not in keys:
        raise NotFound(
            f"benchmark {data['benchmark']['id']!r} has no indicator {key!r}"
        )
    indicators = []
    for ind in data["benchmark"]["indicators"]:
        total = len(ind["evidence"])
        if ind["key"] == key:
            pages = max(1, -(-total // TRAIL_PER_PAGE))
            if page > pages:
                raise NotFound(f"page {page} is past the last page ({pages})")
            start = (page - 1) * TRAIL_PER_PAGE
            shown = ind["evidence"][start : start + TRAIL_PER_PAGE]
            trail = {"page": page, "pages": pages, "per_page": TRAIL_PER_PAGE}
        else:
            shown, trail = ind["evidence"][:TRAIL_SHOWN], None
        indicators.append({**ind, "evidence": shown, "trail_page": trail})
    return {
        **data,
        "opened": key,
        "benchmark": {**data["benchmark"], "indicators": indicators},
    }


@lru_cache(maxsize=256)
def _timeline_uri(key: str, lang: str) -> str:
    """The timeline chart as a ``data:`` URI, memoised on its inputs (as JSON)."""
    trend, dates = json.loads(key)
    return svg_data_uri(status_timeline_svg({"trend": trend}, dates, lang=lang))


def timeline_chart(data: dict[str, Any], lang: str) -> str:
    """The status-over-time chart of the page's benchmark ("" when unassessed)."""
    trend, dates = data["benchmark"]["trend"], data["dates"]
    if not trend or not dates:
        return ""
    return _timeline_uri(json.dumps([trend, dates], sort_keys=True), lang)


@router.get("/benchmarks/{benchmark_id}", include_in_schema=False)
def benchmark_page(
    request: Request,
    benchmark_id: str,
    who: SignedIn,
    ledger: LedgerAsUser,
    state: State,
    indicator: str | None = None,
    page: int = 1,
) -> Response:
    """One benchmark; ``?indicator=KEY&page=N`` pages through that indicator's
    whole evidence trail."""
    ledger.require(Permission.READ_PUBLIC, "benchmarks")
    data = _paged(benchmark_data(ledger, state, benchmark_id), indicator, page)
    if wants_json(request):
        return json_response(data)
    b = data["benchmark"]
    title = b["title_ko"] if who.locale == "ko" and b["title_ko"] else b["title"]
    # The chart is an image (data: URI), kept out of the JSON twin.
    extra = {"chart": timeline_chart(data, who.locale)}
    return render(request, who, "benchmark.html.j2", {**data, **extra}, title=title)
