"""The catalogue's real, sourced facts as ledger evidence.

Each citation key becomes a :class:`Source` (origin real); each benchmark's dated
baseline becomes one baseline observation per indicator, so that the real status of
every benchmark is computed from stored observations like any other status.
"""

from __future__ import annotations

from ..domain import (
    Catalogue,
    Credibility,
    Observation,
    Origin,
    Source,
    Stance,
)


def citation_sources(catalogue: Catalogue) -> list[Source]:
    return [
        Source(
            id=c.key,
            kind=c.kind,
            title=c.title,
            owner=c.owner or c.key,
            reliability=c.reliability,
            published_on=None,
            origin=Origin.REAL,
            citation=c.key,
        )
        for c in catalogue.sources
    ]


def baseline_observations(catalogue: Catalogue) -> list[Observation]:
    out: list[Observation] = []
    for b in catalogue.benchmarks:
        base = b.baseline
        if not base.sources:
            continue
        summary = f"{base.summary} (sources: {', '.join(base.sources)})"
        for ind in b.indicators:
            out.append(
                Observation(
                    source_id=base.sources[0],
                    indicator_key=ind.key,
                    observed_on=base.as_of,
                    stance=Stance.BASELINE,
                    credibility=Credibility.PROBABLY_TRUE,
                    summary=summary,
                    status=base.status.value,
                    origin=Origin.REAL,
                )
            )
    return out
