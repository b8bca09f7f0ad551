"""The analysis chain as use cases over a :class:`Ledger`: link, estimate, assess,
diff. Each step reads what the previous one stored and stores its own run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .assess import assess_all, status_changes
from .assess.timeline import Change
from .domain import (
    BenchmarkAssessment,
    Clustering,
    EstimateResult,
    Origin,
    PersonRecord,
)
from .errors import EstimationError, InputError, NotFound
from .estimate import DEFAULT_METHOD, METHODS, capture_histories, fit_method
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


#: Birth-year tolerances of the exact linker used as alternative linkages.
LINKAGE_TOLERANCES = (0, 1, 2)


def alternative_clusterings(
    records: Sequence[PersonRecord], tolerances: Sequence[int] = LINKAGE_TOLERANCES
) -> dict[str, Clustering]:
    """Plausible alternative linkages of the same records, by label.

    A first, conservative stand-in for the alternatives the linkage step will
    provide: the exact name-key linker at several birth-year tolerances.
    """
    return {
        f"exact name key, birth-year tolerance {t}": ExactKeyLinker(
            name_key, birth_year_tolerance=t
        ).link(records)
        for t in tolerances
    }


def _restrict(clustering: Clustering, chosen: Mapping[str, str]) -> Clustering:
    return Clustering(
        {rid: pid for rid, pid in clustering.assignment.items() if rid in chosen},
        clustering.method,
    )


def estimate_population(
    spec: PopulationSpec,
    clustering: Clustering,
    lists: dict[str, str],
    *,
    method: str = DEFAULT_METHOD,
    seed: int | None = None,
    alternatives: Mapping[str, Clustering] | None = None,
) -> EstimateResult:
    """Estimate one population with ``method``, carrying linkage uncertainty.

    The estimate is the fit on ``clustering`` (the stored linkage run). Each
    alternative clustering is fitted too; the reported interval is the union of
    all intervals (lowest lower bound, highest upper bound), and every
    alternative's estimate and interval is kept in the diagnostics under
    ``"linkage_alternatives"``. This is a first, conservative way to carry the
    uncertainty of the linkage into the estimate.

    Raises:
        EstimationError: the method cannot estimate on the main linkage.
        InputError: the population's table has fewer than two lists.
    """
    table = capture_histories(clustering, lists)
    fit = fit_method(method, table, seed=seed)
    result = fit.to_result(spec.id, spec.end)
    rows: list[dict[str, object]] = []
    lower, upper = fit.lower, fit.upper
    for label, alt in (alternatives or {}).items():
        alt_table = capture_histories(_restrict(alt, lists), lists)
        try:
            other = fit_method(method, alt_table, seed=seed)
        except (EstimationError, InputError) as e:
            rows.append({"linkage": label, "error": str(e)})
            continue
        lower, upper = min(lower, other.lower), max(upper, other.upper)
        rows.append(
            {
                "linkage": label,
                "n_observed": other.n_observed,
                "estimate": other.estimate,
                "lower": other.lower,
                "upper": other.upper,
            }
        )
    diagnostics = dict(result.diagnostics)
    if alternatives:
        diagnostics.update(
            linkage_alternatives=rows,
            interval_given_linkage=[fit.lower, fit.upper],
            interval="union of the intervals over the alternative linkages",
        )
    return replace(result, lower=lower, upper=upper, diagnostics=diagnostics)


def run_estimate(
    ledger: Ledger,
    specs: Sequence[PopulationSpec],
    *,
    method: str = DEFAULT_METHOD,
    seed: int | None = 1,
    linkage_tolerances: Sequence[int] = LINKAGE_TOLERANCES,
) -> EstimateSummary:
    """Estimate each population from the latest linkage run and store the results.

    Args:
        ledger: the ledger.
        specs: the populations.
        method: a registry name (:data:`rightsledger.estimate.METHODS`).
        seed: seed for the methods that draw random numbers; stored with the run.
        linkage_tolerances: birth-year tolerances of the alternative linkages whose
            intervals widen each result (empty: no linkage uncertainty carried).
    """
    if method.strip().lower() not in METHODS:
        raise EstimationError(
            f"unknown method {method!r}; choose one of {', '.join(METHODS)}"
        )
    clustering = ledger.latest_clustering()
    records = ledger.records(purpose="estimation")
    alternatives = alternative_clusterings(records, linkage_tolerances)
    results: list[EstimateResult] = []
    skipped: list[str] = []
    simulated = any(s.origin is Origin.SIMULATED for s in ledger.sources().values())
    for spec in specs:
        chosen = {r.record_id: r.source_id for r in records if spec.includes(r)}
        sub = _restrict(clustering, chosen)
        try:
            results.append(
                estimate_population(
                    spec,
                    sub,
                    chosen,
                    method=method,
                    seed=seed,
                    alternatives=alternatives,
                )
            )
        except (EstimationError, InputError) as e:
            skipped.append(f"{spec.label}: {e}")
    params: dict[str, object] = {
        "populations": [s.label for s in specs],
        "skipped": skipped,
        "method": method,
        "linkage_tolerances": list(linkage_tolerances),
    }
    inputs = {"clustering": sorted(clustering.assignment.items())}
    origin = Origin.SIMULATED if simulated else Origin.REAL
    run_id = ledger.record_run(
        "estimate", params, inputs, seed=seed, estimates=results, origin=origin
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
