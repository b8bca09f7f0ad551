"""The analysis chain as use cases over a :class:`Ledger`: link, estimate, assess,
diff. Each step reads what the previous one stored and stores its own run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .access import Permission
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
from .linkage import ExactKeyLinker, review
from .linkage.probabilistic import (
    LinkageConfig,
    ProbabilisticLinker,
    link_incremental,
)
from .linkage.result import LinkResult, ScoredPair
from .names import name_key
from .populations import PopulationSpec


@dataclass(frozen=True, slots=True)
class LinkSummary:
    run_id: str
    records: int
    persons: int
    method: str
    pairs: int = 0
    incremental: bool = False


@dataclass(frozen=True, slots=True)
class EstimateSummary:
    run_id: str
    results: tuple[EstimateResult, ...]
    skipped: tuple[str, ...]


#: Linkage methods of ``run_link``.
LINK_METHODS = ("probabilistic", "exact")

#: ``progress(done, total, stage)``: how far a step has got, in stages.
StageProgress = Callable[[int, int, str], None]


def _tell(progress: StageProgress | None, done: int, total: int, stage: str) -> None:
    if progress is not None:
        progress(done, total, stage)


def run_link(
    ledger: Ledger,
    *,
    method: str = "probabilistic",
    birth_year_tolerance: int = 1,
    config: LinkageConfig | None = None,
    incremental: bool = True,
    progress: StageProgress | None = None,
) -> LinkSummary:
    """Link all person records into persons and store the run.

    ``probabilistic`` (default): the Splink model with Korean-name comparisons,
    trained by EM (labelled by the review decisions when there are enough),
    clustered at ``config.threshold`` with review decisions respected. When the
    latest run was probabilistic with the same settings and every record it saw
    is still there, only pairs involving new records are scored, with its model
    (the result equals a full run with that model). ``exact``: the first
    version's exact name key and birth-year tolerance.

    Names are decrypted in memory for the run only; the ledger stores record ids,
    person ids, pair weights and the (encrypted) model.

    ``progress``, when given, hears of each stage (three, by name).
    """
    if method not in LINK_METHODS:
        raise InputError(
            f"unknown linkage method {method!r}; one of {', '.join(LINK_METHODS)}",
            field="method",
        )
    _tell(progress, 0, 3, "reading records")
    records = ledger.records_for_analysis("linkage")
    if not records:
        raise NotFound("no person records in the ledger to link")
    inputs = sorted(r.record_id for r in records)
    if method == "exact":
        _tell(progress, 1, 3, "linking by exact name key")
        linker = ExactKeyLinker(name_key, birth_year_tolerance=birth_year_tolerance)
        clustering = linker.link(records)
        _tell(progress, 2, 3, "storing the run")
        run_id = ledger.record_run(
            "link",
            {"method": clustering.method, **clustering.parameters},
            inputs,
            clustering=clustering,
        )
        return LinkSummary(
            run_id, len(records), clustering.n_persons, clustering.method
        )
    cfg = config or LinkageConfig()
    decisions = ledger.link_decisions()
    previous = ledger.latest_link_result() if incremental else None
    seen = set() if previous is None else set(previous.clustering.assignment)
    incremental = (
        previous is not None and _same_settings(previous, cfg) and seen <= set(inputs)
    )
    if previous is not None and incremental:
        old = [r for r in records if r.record_id in seen]
        new = [r for r in records if r.record_id not in seen]
        _tell(progress, 1, 3, "scoring new records with the stored model")
        result = link_incremental(previous, old, new, config=cfg, decisions=decisions)
    else:
        _tell(progress, 1, 3, "blocking, training (EM), scoring and clustering")
        result = ProbabilisticLinker(cfg).run(records, decisions=decisions)
    _tell(progress, 2, 3, "storing the run")
    run_id = ledger.record_link_run(result, inputs)
    return LinkSummary(
        run_id,
        len(records),
        result.clustering.n_persons,
        result.clustering.method,
        pairs=len(result.pairs),
        incremental=incremental,
    )


def _same_settings(previous: LinkResult, cfg: LinkageConfig) -> bool:
    p = previous.parameters
    return (
        p.get("threshold") == cfg.threshold
        and list(p.get("review_band", ())) == list(cfg.review_band)
        and p.get("seed") == cfg.seed
        and list(p.get("repeating_lists", ())) == list(cfg.repeating_lists)
        and p.get("backend") == cfg.backend
    )


#: Birth-year tolerances of the exact linker used as alternative linkages when
#: the latest linkage run was exact (a probabilistic run brings its own).
LINKAGE_TOLERANCES = (0, 1, 2)


def alternative_clusterings(
    records: Sequence[PersonRecord], tolerances: Sequence[int] = LINKAGE_TOLERANCES
) -> dict[str, Clustering]:
    """Alternatives to an exact-key linkage: the exact linker at several
    birth-year tolerances."""
    return {
        f"exact name key, birth-year tolerance {t}": ExactKeyLinker(
            name_key, birth_year_tolerance=t
        ).link(records)
        for t in tolerances
    }


def linkage_alternatives(ledger: Ledger) -> dict[str, Clustering]:
    """Plausible alternative clusterings of the latest linkage run, for the
    estimation step to carry linkage uncertainty: a probabilistic run is
    re-clustered at five thresholds across its review band (from its stored
    pairs, no names needed); an exact run is redone at birth-year tolerances."""
    latest = ledger.latest_link_result()
    if latest is None:
        return alternative_clusterings(ledger.records_for_analysis("estimation"))
    return review.alternative_clusterings(
        latest,
        ledger.pseudonymous_records(),
        decisions=ledger.link_decisions(),
    )


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
    linkage_uncertainty: bool = True,
    progress: StageProgress | None = None,
) -> EstimateSummary:
    """Estimate each population from the latest linkage run and store the results.

    Args:
        ledger: the ledger.
        specs: the populations.
        method: a registry name (:data:`rightsledger.estimate.METHODS`).
        seed: seed for the methods that draw random numbers; stored with the run.
        linkage_uncertainty: widen each interval over the linkage run's
            alternative clusterings (:func:`linkage_alternatives`).
        progress: hears of each stage: reading, alternatives, one per
            population, storing.
    """
    if method.strip().lower() not in METHODS:
        raise EstimationError(
            f"unknown method {method!r}; choose one of {', '.join(METHODS)}"
        )
    stages = len(specs) + 3
    _tell(progress, 0, stages, "reading the linkage")
    clustering = ledger.latest_clustering()
    records = ledger.pseudonymous_records()
    _tell(progress, 1, stages, "alternative linkages")
    alternatives = linkage_alternatives(ledger) if linkage_uncertainty else {}
    results: list[EstimateResult] = []
    skipped: list[str] = []
    simulated = any(s.origin is Origin.SIMULATED for s in ledger.sources().values())
    for n, spec in enumerate(specs, start=2):
        _tell(progress, n, stages, f"estimating {spec.label}")
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
        "linkage_alternatives": sorted(alternatives),
    }
    inputs = {"clustering": sorted(clustering.assignment.items())}
    origin = Origin.SIMULATED if simulated else Origin.REAL
    _tell(progress, stages - 1, stages, "storing the run")
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


@dataclass(frozen=True, slots=True)
class ReviewItem:
    pair: ScoredPair
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    band: tuple[float, float]
    pairs: tuple[ReviewItem, ...]
    total: int = 0  # undecided pairs in the band (``pairs`` may be one page)


def review_queue(
    ledger: Ledger, *, start: int = 0, count: int | None = None
) -> ReviewQueue:
    """The latest linkage run's undecided pairs in its uncertain band, most
    uncertain first, each with both records described for an investigator (names
    decrypted for the reviewer; the read is logged). With ``count``, only the
    pairs ``start`` to ``start + count`` are described (and their records read);
    ``total`` still counts them all.

    Raises:
        NotFound: no probabilistic linkage run yet.
        Forbidden: the actor may not review links.
    """
    ledger.require(Permission.REVIEW_LINKS, "the review queue")
    latest = ledger.latest_link_result()
    if latest is None:
        raise NotFound("no probabilistic linkage run yet: run `rightsledger link`")
    pairs = review.review_queue(latest, decisions=ledger.link_decisions())
    low, high = latest.parameters["review_band"]
    band = (float(low), float(high))
    shown = pairs[start:] if count is None else pairs[start : start + count]
    if not shown:
        return ReviewQueue(band, (), len(pairs))
    wanted = {p.left for p in shown} | {p.right for p in shown}
    records = {
        r.record_id: r for r in ledger.records(purpose="link review", ids=wanted)
    }
    items = tuple(
        ReviewItem(p, _describe(records[p.left]), _describe(records[p.right]))
        for p in shown
    )
    return ReviewQueue(band, items, len(pairs))


def _describe(r: PersonRecord) -> str:
    parts = [
        r.record_id,
        r.source_id,
        r.full_name,
        f"born {r.birth_year}" if r.birth_year else "birth year unknown",
        r.sex or "sex unknown",
        r.province or "",
        r.facility_id or "",
        f"arrested {r.year_arrested}" if r.year_arrested else "",
    ]
    return "  ".join(p for p in parts if p)
