"""Aggregates that carry no person: observations counted, statuses, estimates.

Observations count only when their source is public; what they say (the summary)
is free text and never leaves the ledger. Assessments and estimates are results of
the analysis; their free text (reasons, diagnostics) is left out too.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from rightsledger.domain import (
    BenchmarkAssessment,
    Catalogue,
    EstimateResult,
    Observation,
    Origin,
    Source,
)

from ._dates import DatePrecision, coarsen
from ._lists import is_public
from ._tables import ListTable
from .suppression import mask_count

#: Significant figures kept of an estimate and its interval.
SIGNIFICANT = 3


def observation_table(
    observations: Iterable[Observation],
    sources: Mapping[str, Source],
    catalogue: Catalogue,
    precision: DatePrecision,
) -> tuple[ListTable, int, int]:
    """Observations from public sources by benchmark, period, stance and origin.

    Returns:
        The table, how many observations it counts and how many were left out
        (source not public or unknown, or indicator not in the catalogue).
    """
    benchmark_of = {i.key: i.benchmark_id for i in catalogue.indicators()}
    order = {b.id: n for n, b in enumerate(catalogue.benchmarks)}
    counts: Counter[tuple[str, str, str, str]] = Counter()
    left_out = 0
    for obs in observations:
        src = sources.get(obs.source_id)
        benchmark = benchmark_of.get(obs.indicator_key)
        if src is None or not is_public(src) or benchmark is None:
            left_out += 1
            continue
        simulated = Origin.SIMULATED in (obs.origin, src.origin)
        key = (
            benchmark,
            coarsen(obs.observed_on, precision),
            obs.stance.value,
            "simulated" if simulated else "real",
        )
        counts[key] += 1
    rows = sorted(counts.items(), key=lambda kv: (order[kv[0][0]], *kv[0][1:]))
    table = ListTable(
        name="observations_by_benchmark",
        title="Observations from public sources by benchmark, period and stance",
        fields=("benchmark", "period", "stance", "origin", "observations"),
        rows=tuple((*key, n) for key, n in rows),
    )
    return table, sum(counts.values()), left_out


def status_table(
    assessments: Mapping[date, Sequence[BenchmarkAssessment]],
    catalogue: Catalogue,
    precision: DatePrecision,
) -> ListTable:
    """The status of each benchmark at the end of each period (the latest
    assessment dated in it); reasons are not published."""
    order = {b.id: n for n, b in enumerate(catalogue.benchmarks)}
    latest: dict[tuple[str, str], tuple[date, BenchmarkAssessment]] = {}
    for on, items in assessments.items():
        for a in items:
            if a.benchmark_id not in order:
                continue
            key = (a.benchmark_id, coarsen(on, precision))
            if key not in latest or on >= latest[key][0]:
                latest[key] = (on, a)
    rows = [
        (bid, period, a.status.value, a.standard.value, a.simulated)
        for (bid, period), (_, a) in sorted(
            latest.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
        )
    ]
    return ListTable(
        name="benchmark_statuses",
        title="Benchmark status at the end of each period",
        fields=("benchmark", "period", "status", "standard", "simulated"),
        rows=tuple(rows),
    )


def estimate_table(
    estimates: Sequence[EstimateResult],
    labels: Mapping[str, str],
    precision: DatePrecision,
    threshold: int,
) -> ListTable:
    """Population estimates, rounded outward to :data:`SIGNIFICANT` figures; the
    observed count is masked below the threshold; diagnostics are left out."""
    rows = []
    for e in estimates:
        rows.append(
            (
                e.population,
                e.method,
                coarsen(e.as_of, precision) if e.as_of else None,
                rounded(e.estimate, "nearest"),
                rounded(e.lower, "down"),
                rounded(e.upper, "up"),
                round(e.confidence * 100),
                mask_count(e.observed, threshold),
                ";".join(labels.get(x, x) for x in e.lists),
                _simulated(e),
            )
        )
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), r[2] or ""))
    return ListTable(
        name="estimates",
        title="Estimated population totals",
        fields=(
            "population",
            "method",
            "as_of",
            "estimate",
            "lower",
            "upper",
            "confidence_percent",
            "observed",
            "lists",
            "simulated",
        ),
        rows=tuple(rows),
    )


def _simulated(e: EstimateResult) -> bool:
    """As the scorecard decides it: the diagnostics say so."""
    return e.diagnostics.get("origin") == Origin.SIMULATED.value or bool(
        e.diagnostics.get("simulated", False)
    )


def rounded(x: float, how: str) -> int | None:
    """``x`` to whole numbers and at most :data:`SIGNIFICANT` significant figures.

    ``how`` is ``"nearest"``, ``"down"`` (lower bounds) or ``"up"`` (upper bounds),
    so a rounded interval still holds the computed one. Non-finite -> None.

    Examples:
        >>> rounded(12345.6, "nearest"), rounded(12345.6, "up"), rounded(57.4, "down")
        (12300, 12400, 57)
    """
    if not math.isfinite(x):
        return None
    digits = int(math.floor(math.log10(abs(x)))) + 1 if x else 1
    step = 10 ** max(0, digits - SIGNIFICANT)
    scaled = x / step
    if how == "down":
        whole = math.floor(scaled)
    elif how == "up":
        whole = math.ceil(scaled)
    else:
        whole = math.floor(scaled + 0.5)
    return int(whole * step)
