"""The scorecard as plain data: catalogue, assessments and evidence -> one dict.

Pure: no I/O, no clock (``generated_at`` is a parameter), no template engine. The
dict holds only strings, numbers, booleans, lists and dicts, so one context feeds the
HTML page, the Markdown brief, the terminal table and any JSON export.

Public-safety rule: the scorecard shows aggregates and source-level evidence only.
:func:`scorecard_context` takes no person-level records, and must never be given any.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rightsledger import __version__
from rightsledger.domain import (
    Benchmark,
    BenchmarkAssessment,
    Catalogue,
    Credibility,
    EstimateResult,
    IndicatorAssessment,
    Observation,
    Origin,
    SanctionsCondition,
    Source,
    StandardOfProof,
    Status,
)

from .legend import STATUS_CODES, legend
from .readiness import current_assessments, plans_and_sanctions


def scorecard_context(
    catalogue: Catalogue,
    timeline: Mapping[date, Sequence[BenchmarkAssessment]],
    observations: Mapping[str, Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    *,
    real_until: date,
    generated_at: datetime,
    ledger_label: str,
    scenario_note: str = "",
    conditions: Sequence[SanctionsCondition] | None = None,
    sanctions_standard: StandardOfProof = StandardOfProof.REASONABLE_GROUNDS,
    small_cell: int = 5,
) -> dict[str, Any]:
    """Build the scorecard context: everything the renderers show, as plain data.

    Args:
        catalogue: The catalogue; benchmarks are listed in its order.
        timeline: Assessments on several dates (e.g. the real baseline date, then
            one per simulated year). The latest date is the current one.
        observations: Observations by :attr:`Observation.id`; the evidence trail of
            each indicator is looked up here.
        sources: Sources by :attr:`Source.id`.
        estimates: Population estimates to list in the estimates table.
        real_until: Facts up to this date are real and sourced; later ones come
            from a simulated scenario.
        generated_at: When the report is generated (shown in the header).
        ledger_label: What the data came from, e.g. the database path (footer).
        scenario_note: One line describing the simulated scenario, if any.
        conditions: Sanctions conditions to judge; None (the default) takes the
            catalogue's, ``()`` leaves the section out.
        sanctions_standard: The standard of proof a tied benchmark must reach
            for a condition to be met (a condition's text may raise it).
        small_cell: Counts of persons below this are shown only as ``<small_cell``
            (the ledger's ``small_cell_threshold`` setting).

    Returns:
        A JSON-serialisable dict with keys ``title``, ``country``, ``catalogue``,
        ``as_of``, ``as_of_simulated``, ``real_until``, ``dates``, ``generated_at``,
        ``ledger_label``, ``scenario_note``, ``software_version``, ``has_simulated``,
        ``counts``, ``unassessed``, ``benchmarks`` (each with its verification
        ``plan``, None when verified or not assessed), ``estimates``, ``sanctions``
        and ``legend``.

    Examples:
        >>> ctx = scorecard_context(cat, timeline, obs, srcs, [],
        ...     real_until=date(2024, 12, 31), generated_at=now, ledger_label="x.db")
        >>> ctx["benchmarks"][0]["status"]
        'no-progress'
    """
    dates = sorted(timeline)
    by_benchmark = _index_timeline(timeline)
    evidence = _EvidenceIndex(observations, sources, real_until)
    rows = [
        _benchmark_row(b, by_benchmark.get(b.id, {}), dates, evidence, real_until)
        for b in catalogue.benchmarks
    ]
    current = current_assessments(timeline)
    plans, sanctions = plans_and_sanctions(
        catalogue,
        current,
        list(observations.values()),
        sources,
        estimates,
        catalogue.conditions if conditions is None else conditions,
        sanctions_standard,
    )
    for row in rows:
        row["plan"] = plans.get(row["id"])
    estimate_rows = [_estimate_row(e, real_until, small_cell) for e in estimates]
    return {
        "title": f"Human-rights benchmarks scorecard — {catalogue.country}",
        "country": catalogue.country,
        "catalogue": catalogue.name,
        "as_of": dates[-1].isoformat() if dates else None,
        "as_of_simulated": bool(dates) and dates[-1] > real_until,
        "real_until": real_until.isoformat(),
        "dates": [_date_cell(d, real_until) for d in dates],
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "ledger_label": ledger_label,
        "scenario_note": scenario_note,
        "software_version": __version__,
        "has_simulated": any(r["simulated"] for r in rows)
        or any(d > real_until for d in dates)
        or any(e["simulated"] for e in estimate_rows),
        "counts": _counts(rows),
        "unassessed": sum(1 for r in rows if r["status"] is None),
        "benchmarks": rows,
        "estimates": estimate_rows,
        "sanctions": sanctions,
        "legend": legend(),
    }


def _counts(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """How many benchmarks are at each status (every status listed, zeros too)."""
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        if row["status"] is not None:
            counts[Status(row["status"])] += 1
    return [
        {"status": s.value, "code": STATUS_CODES[s], "count": counts[s]} for s in Status
    ]


def _index_timeline(
    timeline: Mapping[date, Sequence[BenchmarkAssessment]],
) -> dict[str, dict[date, BenchmarkAssessment]]:
    """Assessments by benchmark id, then by timeline date."""
    out: dict[str, dict[date, BenchmarkAssessment]] = {}
    for on, assessments in timeline.items():
        for a in assessments:
            out.setdefault(a.benchmark_id, {})[on] = a
    return out


def _date_cell(on: date, real_until: date) -> dict[str, Any]:
    return {"date": on.isoformat(), "simulated": on > real_until}


class _EvidenceIndex:
    """Looks up observations and their sources, and turns them into trail entries."""

    def __init__(
        self,
        observations: Mapping[str, Observation],
        sources: Mapping[str, Source],
        real_until: date,
    ) -> None:
        self.observations = observations
        self.sources = sources
        self.real_until = real_until

    def is_simulated(self, observation_id: str) -> bool:
        """True when the observation, or its source, comes from a simulation."""
        obs = self.observations.get(observation_id)
        if obs is None:
            return False
        src = self.sources.get(obs.source_id)
        return obs.origin is Origin.SIMULATED or (
            src is not None and src.origin is Origin.SIMULATED
        )

    def trail(self, observation_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Evidence entries for the ids, newest first (missing ids listed last)."""
        found = [
            (oid, self.observations[oid])
            for oid in observation_ids
            if oid in self.observations
        ]
        found.sort(key=lambda p: (p[1].observed_on, p[1].source_id, p[0]), reverse=True)
        entries = [self._entry(oid, obs) for oid, obs in found]
        entries += [
            _missing_entry(oid)
            for oid in observation_ids
            if oid not in self.observations
        ]
        return entries

    def _entry(self, oid: str, obs: Observation) -> dict[str, Any]:
        src = self.sources.get(obs.source_id)
        simulated = self.is_simulated(oid)
        citation = ""
        if src is not None and not simulated:
            citation = src.citation or src.id
        return {
            "id": oid,
            "short_id": oid[:12],
            "missing": False,
            "date": obs.observed_on.isoformat(),
            "source_id": obs.source_id,
            "source_title": src.title if src else f"unknown source {obs.source_id}",
            "source_kind": src.kind.value if src else "",
            "owner": src.owner if src else "",
            "reliability": src.reliability.value if src else "",
            "credibility": int(obs.credibility),
            "credibility_label": _credibility_label(obs.credibility),
            "stance": obs.stance.value,
            "summary": obs.summary,
            "value": obs.value,
            "facility_id": obs.facility_id or "",
            "origin": "SIMULATED" if simulated else "REAL",
            "simulated": simulated,
            "citation": citation,
        }


def _missing_entry(oid: str) -> dict[str, Any]:
    """A trail entry for an observation id the caller did not supply."""
    return {
        "id": oid,
        "short_id": oid[:12],
        "missing": True,
        "date": "",
        "source_id": "",
        "source_title": "observation not found in the ledger",
        "source_kind": "",
        "owner": "",
        "reliability": "",
        "credibility": None,
        "credibility_label": "",
        "stance": "",
        "summary": "",
        "value": None,
        "facility_id": "",
        "origin": "UNKNOWN",
        "simulated": False,
        "citation": "",
    }


def _credibility_label(c: Credibility) -> str:
    return c.name.replace("_", " ").lower()


def _benchmark_row(
    benchmark: Benchmark,
    assessed: Mapping[date, BenchmarkAssessment],
    dates: Sequence[date],
    evidence: _EvidenceIndex,
    real_until: date,
) -> dict[str, Any]:
    """One benchmark: current and real status, trend, last change, indicators."""
    current = assessed[max(assessed)] if assessed else None
    real_dates = [d for d in assessed if d <= real_until]
    real = assessed[max(real_dates)] if real_dates else None
    simulated = current is not None and (
        current.simulated
        or any(evidence.is_simulated(o) for o in current.observation_ids)
    )
    targets = {i.key: i for i in benchmark.indicators}
    return {
        "id": benchmark.id,
        "title": benchmark.title,
        "title_ko": benchmark.title_ko,
        "statement": benchmark.statement,
        "demanded_by": list(benchmark.demanded_by),
        "status": current.status.value if current else None,
        "standard": current.standard.value if current else None,
        "reason": current.reason if current else "",
        "as_of": current.as_of.isoformat() if current else None,
        "simulated": simulated,
        "simulated_date": current is not None and current.as_of > real_until,
        **_real_fields(benchmark, real, real_until),
        "trend": _trend(assessed, dates, real_until),
        "last_change": _last_change(assessed),
        "indicators": [
            _indicator_row(ia, targets, evidence)
            for ia in (current.indicators if current else ())
        ],
    }


def _real_fields(
    benchmark: Benchmark, real: BenchmarkAssessment | None, real_until: date
) -> dict[str, Any]:
    """The real status on ``real_until``: the latest real assessment, else the
    catalogue's sourced baseline when it is dated on or before ``real_until``."""
    baseline = benchmark.baseline
    keys = list(baseline.sources)
    if real is not None:
        status, standard, on = real.status.value, real.standard.value, real.as_of
    elif baseline.as_of <= real_until:
        status, standard, on = baseline.status.value, None, baseline.as_of
    else:
        return {
            "real_status": None,
            "real_standard": None,
            "real_as_of": None,
            "real_sources": keys,
        }
    return {
        "real_status": status,
        "real_standard": standard,
        "real_as_of": on.isoformat(),
        "real_sources": keys,
    }


def _trend(
    assessed: Mapping[date, BenchmarkAssessment],
    dates: Sequence[date],
    real_until: date,
) -> list[dict[str, Any]]:
    """The status at each timeline date (None where the benchmark was not assessed)."""
    cells: list[dict[str, Any]] = []
    for on in dates:
        a = assessed.get(on)
        cells.append(
            {
                "date": on.isoformat(),
                "status": a.status.value if a else None,
                "code": STATUS_CODES[a.status] if a else "--",
                "simulated": on > real_until or (a is not None and a.simulated),
            }
        )
    return cells


def _last_change(assessed: Mapping[date, BenchmarkAssessment]) -> dict[str, Any] | None:
    """The latest date at which the status differs from the previous assessment."""
    ordered = sorted(assessed.items())
    for (_, before), (on, after) in reversed(
        list(zip(ordered, ordered[1:], strict=False))
    ):
        if before.status is not after.status:
            return {
                "date": on.isoformat(),
                "from": before.status.value,
                "to": after.status.value,
            }
    return None


def _indicator_row(
    ia: IndicatorAssessment,
    targets: Mapping[str, Any],
    evidence: _EvidenceIndex,
) -> dict[str, Any]:
    indicator = targets.get(ia.indicator_key)
    return {
        "key": ia.indicator_key,
        "target": indicator.target if indicator is not None else "",
        "kind": indicator.kind.value if indicator is not None else "",
        "status": ia.status.value,
        "standard": ia.standard.value,
        "reason": ia.reason,
        "evidence": evidence.trail(ia.observation_ids),
    }


def _cell(count: int, small_cell: int) -> str:
    """A count as shown: below the small-cell threshold only ``<threshold``, so that
    no shown count points at a handful of people."""
    return f"<{small_cell}" if count < small_cell else f"{count:,}"


def _whole(x: float) -> int | None:
    """A bound rounded to a whole number; None when it is not finite (a model
    without a finite upper bound), which the renderers show as unbounded."""
    return round(x) if math.isfinite(x) else None


def _estimate_row(
    e: EstimateResult, real_until: date, small_cell: int = 5
) -> dict[str, Any]:
    """One estimate row; the observed count is suppressed below ``small_cell``.

    ``EstimateResult`` has no origin field: an estimate counts as simulated when its
    diagnostics say so (``origin: simulated`` or ``simulated: true``) or when it is
    dated after ``real_until``.
    """
    flagged = e.diagnostics.get("origin") == Origin.SIMULATED.value or bool(
        e.diagnostics.get("simulated", False)
    )
    return {
        "population": e.population,
        "method": e.method,
        "estimate": _whole(e.estimate),
        "lower": _whole(e.lower),
        "upper": _whole(e.upper),
        "confidence": round(e.confidence * 100),
        "observed": _cell(e.observed, small_cell),
        "lists": list(e.lists),
        "as_of": e.as_of.isoformat() if e.as_of else None,
        "simulated": flagged or (e.as_of is not None and e.as_of > real_until),
    }
