"""Benchmarks: status, standard of proof, timeline, evidence and plan, read from
the cached scorecard (built once per ledger version and kind of visibility)."""

from __future__ import annotations

from typing import Any

from fastapi import Path

from ...access import Permission
from ...errors import NotFound
from ..deps import LedgerAsUser, State
from ..routes.scorecard import cached_scorecard
from ._common import api_router
from .schemas import (
    ID_PATTERN,
    BenchmarkListPublic,
    BenchmarkPublic,
    BenchmarkSummaryPublic,
)

router = api_router("benchmarks")


def _rows(
    state: State, ledger: LedgerAsUser
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The scorecard and its benchmark rows; before any assessment, the
    catalogue's benchmarks without a status."""
    data = cached_scorecard(state, ledger)
    if data.get("assessed"):
        return data, list(data["benchmarks"])
    rows = [
        {
            "id": b.id,
            "title": b.title,
            "title_ko": b.title_ko,
            "statement": b.statement,
            "demanded_by": list(b.demanded_by),
            "status": None,
            "standard": None,
            "reason": "",
            "as_of": None,
            "simulated": False,
            "last_change": None,
            "trend": [],
            "indicators": [],
            "plan": None,
        }
        for b in ledger.catalogue().benchmarks
    ]
    return data, rows


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "title_ko", "status", "standard", "as_of", "simulated")
    return {**{k: row[k] for k in keys}, "last_change": row["last_change"]}


def _detail(row: dict[str, Any]) -> dict[str, Any]:
    indicators = [
        {
            **{k: i[k] for k in ("key", "kind", "target", "status", "standard")},
            "reason": i["reason"],
            "evidence": [e["id"] for e in i["evidence"] if not e["missing"]],
            "evidence_not_shown": sum(1 for e in i["evidence"] if e["missing"]),
        }
        for i in row["indicators"]
    ]
    timeline = [
        {"date": t["date"], "status": t["status"], "simulated": t["simulated"]}
        for t in row["trend"]
    ]
    return {
        **_summary(row),
        "statement": row["statement"],
        "demanded_by": row["demanded_by"],
        "reason": row["reason"],
        "timeline": timeline,
        "indicators": indicators,
        "plan": row["plan"],
    }


@router.get("/benchmarks", summary="Every benchmark with its current status")
def list_benchmarks(ledger: LedgerAsUser, state: State) -> BenchmarkListPublic:
    ledger.require(Permission.READ_PUBLIC, "benchmarks")
    data, rows = _rows(state, ledger)
    return BenchmarkListPublic(
        assessed=bool(data.get("assessed")),
        as_of=data.get("as_of"),
        items=[BenchmarkSummaryPublic.model_validate(_summary(r)) for r in rows],
    )


@router.get(
    "/benchmarks/{benchmark_id}",
    summary="One benchmark: indicators, timeline, evidence and verification plan",
)
def get_benchmark(
    ledger: LedgerAsUser,
    state: State,
    benchmark_id: str = Path(min_length=1, max_length=120, pattern=ID_PATTERN),
) -> BenchmarkPublic:
    ledger.require(Permission.READ_PUBLIC, "benchmarks")
    _, rows = _rows(state, ledger)
    for row in rows:
        if row["id"] == benchmark_id:
            return BenchmarkPublic.model_validate(_detail(row))
    raise NotFound(f"no benchmark {benchmark_id!r} in the catalogue")
