"""From indicator statuses to a benchmark's status on a date.

Aggregation, first match wins (the indicators that "count" set the standard,
which is the weakest standard among them):

=============  ========================================  =====================
status         condition                                 indicators that count
=============  ========================================  =====================
verified       every indicator verified                  all
regressed      any indicator regressed                   the regressed ones
contested      any indicator contested                   the contested ones
partial        some verified or partial                  verified and partial
claimed        any claimed                               the claimed ones
baseline       latest baseline observation of any of     that indicator
               its indicators (its status)
no-progress    otherwise                                 none (standard none)
=============  ========================================  =====================

``simulated`` is true when any deciding observation, or its source, is simulated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from rightsledger.domain import (
    Benchmark,
    BenchmarkAssessment,
    Catalogue,
    EstimateResult,
    IndicatorAssessment,
    Observation,
    Origin,
    Source,
    Stance,
    StandardOfProof,
    Status,
)

from ._evidence import weakest
from ._precedence import Decided, precedence
from .rules import assess_indicator

__all__ = ["assess_all", "assess_benchmark"]


def _count(items: Sequence[IndicatorAssessment], status: Status) -> int:
    return sum(1 for i in items if i.status is status)


def _latest_baseline(own: Sequence[Observation], as_of: date) -> Observation | None:
    found = [
        o
        for o in own
        if o.stance is Stance.BASELINE and o.status and o.observed_on <= as_of
    ]
    return max(found, key=lambda o: (o.observed_on, o.id), default=None)


def _aggregate(
    items: Sequence[IndicatorAssessment], own: Sequence[Observation], as_of: date
) -> Decided:
    """Precedence over ``items``; only when no indicator moved, the latest baseline
    among the benchmark's own observations ``own``."""
    found = precedence(items)
    if found is not None:
        return found
    baseline = _latest_baseline(own, as_of)
    if baseline is not None and baseline.status in set(Status):
        hits = tuple(i for i in items if i.indicator_key == baseline.indicator_key)
        return Status(baseline.status), hits
    return Status.NO_PROGRESS, ()


def _reason(status: Status, items: Sequence[IndicatorAssessment]) -> str:
    parts = [f"{_count(items, s)} {s}" for s in Status if _count(items, s)]
    tally = ", ".join(parts) if parts else "no indicators"
    return f"{status}: {tally} of {len(items)} indicator(s)."


def _simulated(
    items: Sequence[IndicatorAssessment],
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
) -> bool:
    ids = {oid for i in items for oid in i.observation_ids}
    for obs in observations:
        if obs.id in ids:
            src = sources.get(obs.source_id)
            if obs.origin is Origin.SIMULATED or (
                src and src.origin is Origin.SIMULATED
            ):
                return True
    return False


def _by_indicator(observations: Iterable[Observation]) -> dict[str, list[Observation]]:
    """Observations grouped by indicator key, in their given order (one pass)."""
    groups: defaultdict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        groups[obs.indicator_key].append(obs)
    return dict(groups)


def assess_benchmark(
    benchmark: Benchmark,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    as_of: date,
) -> BenchmarkAssessment:
    """Assess every indicator of ``benchmark`` and aggregate them.

    Args:
        benchmark: the benchmark and its indicators.
        observations: all observations (filtered per indicator and date).
        sources: source id -> source.
        estimates: population estimates, for estimate indicators.
        as_of: the date of the assessment.

    Returns:
        The benchmark's assessment with its indicator assessments.
    """
    groups = _by_indicator(observations)
    return _assess_grouped(benchmark, groups, sources, estimates, as_of)


def _assess_grouped(
    benchmark: Benchmark,
    groups: Mapping[str, Sequence[Observation]],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    as_of: date,
) -> BenchmarkAssessment:
    """As :func:`assess_benchmark`, each indicator given only its own observations."""
    keys = dict.fromkeys(i.key for i in benchmark.indicators)
    own = [o for key in keys for o in groups.get(key, ())]
    items = tuple(
        assess_indicator(ind, groups.get(ind.key, ()), sources, estimates, as_of)
        for ind in benchmark.indicators
    )
    status, counting = _aggregate(items, own, as_of)
    standard = (
        weakest(*(i.standard for i in counting)) if counting else StandardOfProof.NONE
    )
    return BenchmarkAssessment(
        benchmark_id=benchmark.id,
        as_of=as_of,
        status=status,
        standard=standard,
        reason=_reason(status, items),
        indicators=items,
        simulated=_simulated(items, own, sources),
    )


def assess_all(
    catalogue: Catalogue,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    as_of: date,
) -> list[BenchmarkAssessment]:
    """Assess every benchmark of ``catalogue`` on ``as_of``, in catalogue order.

    The observations are grouped by indicator once, and each indicator reads only
    its own: the same result as :func:`assess_benchmark` on each benchmark.
    """
    groups = _by_indicator(observations)
    return [
        _assess_grouped(b, groups, sources, estimates, as_of)
        for b in catalogue.benchmarks
    ]
