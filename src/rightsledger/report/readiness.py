"""Verification plans and sanctions readiness as plain data for the scorecard (and
for the JSON of ``rightsledger plan`` and ``rightsledger sanctions``).

Pure. Plans name organisations that own sources (never a person: testimony and
non-public sources are never suppliers, see :mod:`rightsledger.assess.plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rightsledger.assess import (
    BenchmarkPlan,
    ConditionReadiness,
    by_effect,
    sanctions_readiness,
    verification_plan,
)
from rightsledger.assess.plan import reads_observations
from rightsledger.domain import (
    Benchmark,
    BenchmarkAssessment,
    Catalogue,
    EstimateResult,
    Observation,
    SanctionsCondition,
    Source,
    Stance,
    StandardOfProof,
)

__all__ = [
    "MAX_SUPPLIERS",
    "Window",
    "current_assessments",
    "current_plans",
    "plan_entry",
    "plan_windows",
    "plans_and_sanctions",
    "readiness_entry",
    "sanctions_entry",
]

#: Owners listed per need; the rest are counted ("and N more").
MAX_SUPPLIERS = 6


def current_assessments(
    timeline: Mapping[date, Sequence[BenchmarkAssessment]],
) -> dict[str, BenchmarkAssessment]:
    """The latest assessment of each benchmark in ``timeline`` (date ->
    assessments): the one the scorecard shows, with its evidence and plan."""
    out: dict[str, tuple[date, BenchmarkAssessment]] = {}
    for on, assessments in timeline.items():
        for a in assessments:
            if a.benchmark_id not in out or on >= out[a.benchmark_id][0]:
                out[a.benchmark_id] = (on, a)
    return {bid: a for bid, (_, a) in out.items()}


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
    by_key: dict[str, list[Observation]] = {}
    for o in observations:  # one pass; each plan then reads only its benchmark's
        if o.source_id in sources:
            by_key.setdefault(o.indicator_key, []).append(o)
    return {
        b.id: verification_plan(
            b, current[b.id], _of(b, by_key), sources, catalogue.sources, estimates
        )
        for b in catalogue.benchmarks
        if b.id in current
    }


def _of(
    benchmark: Benchmark, by_key: Mapping[str, list[Observation]]
) -> list[Observation]:
    """The observations of the benchmark's indicators."""
    keys = dict.fromkeys(i.key for i in benchmark.indicators)
    return [o for key in keys for o in by_key.get(key, ())]


@dataclass(frozen=True, slots=True)
class Window:
    """The observations of one indicator that its plan reads, besides its baselines
    (read whatever their date): those dated after ``after`` (None: from the first
    one) and up to ``until``."""

    after: date | None
    until: date


def plan_windows(
    catalogue: Catalogue,
    current: Mapping[str, BenchmarkAssessment],
    baselines: Sequence[Observation],
    sources: Mapping[str, Source],
) -> dict[str, Window]:
    """Which observations :func:`current_plans` reads, by indicator key.

    The plans come out the same when given any observations that hold the
    baselines and those inside these windows (more change nothing), so a caller
    need not load the rest. Only indicators whose plan reads observations
    (:func:`~rightsledger.assess.plan.reads_observations`) get a window. Each
    group of evidence the rules weigh starts from the indicator's latest baseline
    with a status and no facility (see ``assess._evidence.gather`` and
    ``assess._facilities.by_facility``), and what is dated on or before a group's
    baseline is taken as reflected in it. So a window opens after the latest
    such baseline dated on or before the plan's date, and closes on that date.

    Args:
        catalogue: The catalogue, for the benchmarks and their indicators.
        current: The assessment of each benchmark the plans are made for.
        baselines: Every baseline observation the plans could be given (those
            of sources missing from ``sources`` are left out, as the plans do).
        sources: Source id -> source, as given to :func:`current_plans`.

    Returns:
        The window of each indicator key whose plan reads observations; a key of
        several benchmarks gets the window covering all of theirs.
    """
    out: dict[str, Window] = {}
    for b in catalogue.benchmarks:
        a = current.get(b.id)
        if a is None:
            continue
        by_key = {i.key: i for i in b.indicators}
        for ia in a.indicators:
            i = by_key.get(ia.indicator_key)
            if i is None or not reads_observations(i, ia):
                continue
            w = Window(_opens(i.key, baselines, sources, a.as_of), a.as_of)
            out[i.key] = _cover(out[i.key], w) if i.key in out else w
    return out


def _opens(
    key: str,
    baselines: Sequence[Observation],
    sources: Mapping[str, Source],
    as_of: date,
) -> date | None:
    """The date of the latest baseline of ``key`` that starts every group."""
    return max(
        (
            o.observed_on
            for o in baselines
            if o.indicator_key == key
            and o.stance is Stance.BASELINE
            and o.status
            and o.facility_id is None
            and o.observed_on <= as_of
            and o.source_id in sources
        ),
        default=None,
    )


def _cover(a: Window, b: Window) -> Window:
    """The smallest window holding both."""
    after = None if a.after is None or b.after is None else min(a.after, b.after)
    return Window(after, max(a.until, b.until))


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
