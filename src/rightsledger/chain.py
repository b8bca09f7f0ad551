"""The analysis chain as use cases over a :class:`Ledger`: link, estimate, assess,
diff. Each step reads what the previous one stored and stores its own run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from .assess import assess_all, status_changes
from .assess.timeline import Change
from .domain import BenchmarkAssessment, Clustering, EstimateResult, Origin
from .errors import EstimationError, NotFound
from .estimate import Chapman, LogLinear, capture_histories
from .ledger import Ledger
from .linkage import ExactKeyLinker
from .names import name_key
from .populations import PopulationSpec


@dataclass(frozen=True, slots=True)
class LinkSummary:
    run_id: str
    records: int
    persons: int
    method: str


@dataclass(frozen=True, slots=True)
class EstimateSummary:
    run_id: str
    results: tuple[EstimateResult, ...]
    skipped: tuple[str, ...]


def run_link(ledger: Ledger, *, birth_year_tolerance: int = 1) -> LinkSummary:
    """Link all person records into persons (first version: exact name key)."""
    records = ledger.records(purpose="linkage")
    if not records:
        raise NotFound("no person records in the ledger to link")
    linker = ExactKeyLinker(name_key, birth_year_tolerance=birth_year_tolerance)
    clustering = linker.link(records)
    inputs = sorted(r.record_id for r in records)
    run_id = ledger.record_run(
        "link",
        {"method": clustering.method, **clustering.parameters},
        inputs,
        clustering=clustering,
    )
    return LinkSummary(run_id, len(records), clustering.n_persons, clustering.method)


def estimate_population(
    spec: PopulationSpec, clustering: Clustering, lists: dict[str, str]
) -> EstimateResult:
    """Chapman for two lists; with three or more, the log-linear model (independence
    or all two-way interactions) with the lower BIC. Candidates are recorded."""
    table = capture_histories(clustering, lists)
    if len(table.lists) < 3:
        return Chapman(table).fit().to_result(spec.id, spec.end)
    fits, failed = [], []
    for interactions in ("none", "two-way"):
        try:
            fits.append(LogLinear(table, interactions=interactions).fit())
        except EstimationError as e:
            failed.append(f"{interactions}: {e}")
    if not fits:
        raise EstimationError("; ".join(failed))
    best = min(fits, key=lambda f: float(f.diagnostics["bic"]))
    result = best.to_result(spec.id, spec.end)
    candidates = [
        {"model": f.model, "estimate": f.estimate, "bic": f.diagnostics["bic"]}
        for f in fits
    ]
    diagnostics = {**result.diagnostics, "candidates": candidates, "failed": failed}
    return replace(result, diagnostics=diagnostics)


def run_estimate(ledger: Ledger, specs: Sequence[PopulationSpec]) -> EstimateSummary:
    """Estimate each population from the latest linkage run and store the results."""
    clustering = ledger.latest_clustering()
    records = ledger.records(purpose="estimation")
    results: list[EstimateResult] = []
    skipped: list[str] = []
    simulated = any(s.origin is Origin.SIMULATED for s in ledger.sources().values())
    for spec in specs:
        chosen = {r.record_id: r.source_id for r in records if spec.includes(r)}
        sub = Clustering(
            {rid: pid for rid, pid in clustering.assignment.items() if rid in chosen},
            clustering.method,
        )
        try:
            results.append(estimate_population(spec, sub, chosen))
        except EstimationError as e:
            skipped.append(f"{spec.label}: {e}")
    params: dict[str, object] = {
        "populations": [s.label for s in specs],
        "skipped": skipped,
    }
    inputs = {"clustering": sorted(clustering.assignment.items())}
    origin = Origin.SIMULATED if simulated else Origin.REAL
    run_id = ledger.record_run(
        "estimate", params, inputs, estimates=results, origin=origin
    )
    return EstimateSummary(run_id, tuple(results), tuple(skipped))


def run_assess(
    ledger: Ledger, dates: Sequence[date]
) -> dict[date, list[BenchmarkAssessment]]:
    """Assess every benchmark on each date from the stored evidence and estimates."""
    catalogue = ledger.catalogue()
    observations, sources = ledger.observations(), ledger.sources()
    estimates = ledger.estimates()
    timeline = {
        d: assess_all(catalogue, observations, sources, estimates, d)
        for d in sorted(set(dates))
    }
    every = [a for day in timeline.values() for a in day]
    inputs = {
        "observations": sorted(o.id for o in observations),
        "estimates": [(e.population, e.as_of, e.estimate) for e in estimates],
    }
    ledger.record_run(
        "assess",
        {"dates": [d.isoformat() for d in timeline]},
        inputs,
        assessments=every,
    )
    return timeline


def diff(ledger: Ledger, earlier: date, later: date) -> list[Change]:
    """What changed between two dates, and which observations changed it."""
    catalogue = ledger.catalogue()
    observations, sources = ledger.observations(), ledger.sources()
    estimates = ledger.estimates()
    before = assess_all(catalogue, observations, sources, estimates, earlier)
    after = assess_all(catalogue, observations, sources, estimates, later)
    return status_changes(before, after)
