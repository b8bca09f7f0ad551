"""What the analysis steps produce: clusters of records, estimates, assessments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .enums import StandardOfProof, Status


@dataclass(frozen=True, slots=True)
class Clustering:
    """Records grouped into persons: ``assignment`` maps record id to person id."""

    assignment: dict[str, str]
    method: str
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def n_persons(self) -> int:
        return len(set(self.assignment.values()))


@dataclass(frozen=True, slots=True)
class EstimateResult:
    """A population total estimated from overlapping lists."""

    population: str
    method: str
    estimate: float
    lower: float
    upper: float
    observed: int
    lists: tuple[str, ...]
    confidence: float = 0.95
    diagnostics: dict[str, Any] = field(default_factory=dict)
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class IndicatorAssessment:
    indicator_key: str
    status: Status
    standard: StandardOfProof
    reason: str
    observation_ids: tuple[str, ...] = ()
    estimate_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BenchmarkAssessment:
    benchmark_id: str
    as_of: date
    status: Status
    standard: StandardOfProof
    reason: str
    indicators: tuple[IndicatorAssessment, ...]
    simulated: bool = False

    @property
    def observation_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ind in self.indicators:
            for oid in ind.observation_ids:
                seen.setdefault(oid, None)
        return tuple(seen)
