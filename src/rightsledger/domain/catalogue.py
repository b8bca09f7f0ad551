"""What the catalogue holds: benchmarks, indicators, rules, facilities, agreements,
sanctions conditions and the citation keys behind them. Plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .enums import (
    Credibility,
    FacilityState,
    FacilityType,
    IndicatorKind,
    Reliability,
    SourceKind,
    StandardOfProof,
    Status,
    Verification,
)


@dataclass(frozen=True, slots=True)
class CitationSource:
    """A published document cited by the catalogue (a source key of nk-facts.md)."""

    key: str
    title: str
    where: str = ""
    kind: SourceKind = SourceKind.RESEARCH
    owner: str = ""
    reliability: Reliability = Reliability.B


@dataclass(frozen=True, slots=True)
class VerificationRule:
    """What evidence verifies an indicator, and which standard of proof it reaches.

    An indicator reaches ``verified`` when supporting observations come from at least
    ``min_independent`` different owners, each of an accepted ``source_kinds`` (empty
    means any non-state kind), each at ``min_reliability`` and ``min_credibility`` or
    better, with a monitor or physical evidence among them when required. A state's
    own claim never verifies; it makes the indicator ``claimed``.
    """

    source_kinds: tuple[SourceKind, ...] = ()
    min_independent: int = 2
    min_reliability: Reliability = Reliability.C
    min_credibility: Credibility = Credibility.POSSIBLY_TRUE
    requires_monitor: bool = False
    requires_physical: bool = False
    standard: StandardOfProof = StandardOfProof.REASONABLE_GROUNDS
    # estimate indicators: the population whose estimate decides, and the bound
    population: str | None = None
    max_upper: float | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    benchmark_id: str
    kind: IndicatorKind
    target: str
    verify: str = ""
    rule: VerificationRule = field(default_factory=VerificationRule)

    @property
    def key(self) -> str:
        """Globally unique key: ``benchmark-id/indicator-id``."""
        return f"{self.benchmark_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Baseline:
    """The real, sourced status of a benchmark on a date."""

    status: Status
    as_of: date
    summary: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Benchmark:
    id: str
    title: str
    statement: str
    indicators: tuple[Indicator, ...]
    demanded_by: tuple[str, ...]
    baseline: Baseline
    title_ko: str = ""


@dataclass(frozen=True, slots=True)
class FacilityEvent:
    """One dated entry of a facility's status history."""

    on: date
    state: FacilityState
    note: str
    sources: tuple[str, ...]
    verification: Verification = Verification.SECONDARY


@dataclass(frozen=True, slots=True)
class Facility:
    id: str
    name: str
    type: FacilityType
    location: str
    latitude: float | None
    longitude: float | None
    operator: str
    history: tuple[FacilityEvent, ...]
    population_note: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    text: str
    covers: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    title: str
    signed_on: date
    parties: tuple[str, ...]
    mentions_human_rights: bool
    verification: str
    sources: tuple[str, ...]
    clauses: tuple[Clause, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class SanctionsCondition:
    id: str
    statute: str
    effect: str
    text: str
    benchmarks: tuple[str, ...]
    binding: bool = True


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything loaded from one catalogue folder."""

    name: str
    country: str
    sources: tuple[CitationSource, ...]
    benchmarks: tuple[Benchmark, ...]
    facilities: tuple[Facility, ...]
    agreements: tuple[Agreement, ...]
    conditions: tuple[SanctionsCondition, ...]

    def benchmark(self, benchmark_id: str) -> Benchmark:
        for b in self.benchmarks:
            if b.id == benchmark_id:
                return b
        raise KeyError(benchmark_id)

    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for b in self.benchmarks for i in b.indicators)
