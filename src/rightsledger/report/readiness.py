"""Verification plans and sanctions readiness as plain data for the scorecard (and
for the JSON of ``rightsledger plan`` and ``rightsledger sanctions``).

Pure. Plans name organisations that own sources (never a person: testimony and
non-public sources are never suppliers, see :mod:`rightsledger.assess.plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rightsledger.assess import (
    BenchmarkPlan,
    ConditionReadiness,
    by_effect,
    sanctions_readiness,
    verification_plan,
)
from rightsledger.domain import (
    BenchmarkAssessment,
    Catalogue,
    EstimateResult,
    Observation,
    SanctionsCondition,
    Source,
    StandardOfProof,
)

__all__ = [
    "MAX_SUPPLIERS",
    "current_plans",
    "plan_entry",
    "plans_and_sanctions",
    "readiness_entry",
    "sanctions_entry",
]

#: Owners listed per need; the rest are counted ("and N more").
MAX_SUPPLIERS = 6


def current_plans(
    catalogue: Catalogue,
    current: Mapping[str, BenchmarkAssessment],
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
) -> dict[str, BenchmarkPlan]:
    """The plan of every assessed benchmark, on the date of its assessment.

    Observations citing a source missing from ``sources`` are left out (the
    evidence trail lists them as unknown) rather than failing the whole report.
    """
    known = [o for o in observations if o.source_id in sources]
    return {
        b.id: verification_plan(
            b, current[b.id], known, sources, catalogue.sources, estimates
        )
        for b in catalogue.benchmarks
        if b.id in current
    }


def _owners(owners: Sequence[str], limit: int) -> dict[str, Any]:
    return {"suppliers": list(owners[:limit]), "more": max(0, len(owners) - limit)}


def plan_entry(plan: BenchmarkPlan, *, limit: int = MAX_SUPPLIERS) -> dict[str, Any]:
    """One benchmark's plan as a JSON-ready dict."""
    return {
        "benchmark_id": plan.benchmark_id,
        "as_of": plan.as_of.isoformat(),
        "status": plan.status.value,
        "next_status": plan.next_status.value if plan.next_status else None,
        "summary": plan.summary,
        "needs_all": plan.needs_all,
        "indicators_needed": list(plan.indicators_needed),
        "indicators": [
            {
                "key": ip.indicator_key,
                "target": ip.target,
                "status": ip.status.value,
                "next_status": ip.next_status.value if ip.next_status else None,
                "note": ip.note,
                "needs": [
                    {
                        "text": n.text,
                        "facility": n.facility or "",
                        **_owners(n.suppliers, limit),
                    }
                    for n in ip.needs
                ],
            }
            for ip in plan.indicators
        ],
        "suppliers": [
            {
                "owner": s.owner,
                "kinds": [k.value for k in s.kinds],
                "sources": list(s.sources),
                "reliability": s.reliability.value,
                "simulated": s.simulated,
            }
            for s in plan.suppliers
        ],
    }


def readiness_entry(
    r: ConditionReadiness,
    current: Mapping[str, BenchmarkAssessment],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """One condition's readiness as a JSON-ready dict (tied benchmarks with their
    status, standard and shortfall; the summaries of the plans still open)."""
    return {
        "id": r.condition_id,
        "statute": r.statute,
        "effect": r.effect,
        "text": r.text,
        "binding": r.binding,
        "readiness": r.readiness.value,
        "required": r.required.value,
        "reason": r.reason,
        "benchmarks": [
            {
                "id": b.benchmark_id,
                "title": titles.get(b.benchmark_id, b.benchmark_id),
                "status": b.status.value if b.status else None,
                "standard": b.standard.value,
                "met": b.met,
                "shortfall": b.shortfall,
                "simulated": bool(
                    b.benchmark_id in current and current[b.benchmark_id].simulated
                ),
            }
            for b in r.benchmarks
        ],
        "missing": [
            {"benchmark_id": p.benchmark_id, "summary": p.summary} for p in r.missing
        ],
    }


def sanctions_entry(
    conditions: Sequence[SanctionsCondition],
    current: Mapping[str, BenchmarkAssessment],
    plans: Mapping[str, BenchmarkPlan],
    titles: Mapping[str, str],
    standard: StandardOfProof,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Readiness of every condition, grouped by effect, with counts per readiness."""
    items = sanctions_readiness(conditions, current, required=standard, plans=plans)
    effects = [
        {
            "effect": effect,
            "binding": any(r.binding for r in group),
            "conditions": [readiness_entry(r, current, titles) for r in group],
        }
        for effect, group in by_effect(items).items()
    ]
    counts: dict[str, int] = {}
    for r in items:
        counts[r.readiness.value] = counts.get(r.readiness.value, 0) + 1
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "standard": standard.value,
        "counts": counts,
        "effects": effects,
    }


def plans_and_sanctions(
    catalogue: Catalogue,
    current: Mapping[str, BenchmarkAssessment],
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    conditions: Sequence[SanctionsCondition],
    standard: StandardOfProof,
) -> tuple[dict[str, dict[str, Any] | None], dict[str, Any]]:
    """The scorecard's two sections: each benchmark's plan entry (None when it is
    verified) and the sanctions readiness, judged on the latest assessment date."""
    plans = current_plans(catalogue, current, observations, sources, estimates)
    rows = {bid: plan_entry(p) if p.indicators else None for bid, p in plans.items()}
    titles = {b.id: b.title for b in catalogue.benchmarks}
    as_of = max((a.as_of for a in current.values()), default=None)
    section = sanctions_entry(conditions, current, plans, titles, standard, as_of)
    return rows, section
