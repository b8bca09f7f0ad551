"""What really happened in a simulated scenario: the answer key for later steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "EventKind",
    "IndicatorTruth",
    "PopulationCount",
    "RecordTruth",
    "Stay",
    "TrueEvent",
    "TruePerson",
    "Truth",
]


class EventKind(StrEnum):
    ARREST = "arrest"
    TRANSFER = "transfer"
    RELEASE = "release"
    DEATH = "death"


@dataclass(frozen=True, slots=True)
class Stay:
    """Time in one facility: detained from ``start`` until ``end`` (None: still)."""

    facility_id: str
    start: date
    end: date | None
    end_reason: EventKind | None


@dataclass(frozen=True, slots=True)
class TruePerson:
    """A synthetic detainee. ``name`` is Hangul in North Korean forms."""

    id: str
    name: str
    sex: str
    birth_year: int
    province: str
    arrested_on: date
    stays: tuple[Stay, ...]


@dataclass(frozen=True, slots=True)
class TrueEvent:
    """An arrest, transfer, release or death on a date inside the scenario."""

    on: date
    person_id: str
    kind: EventKind
    from_facility: str | None
    to_facility: str | None


@dataclass(frozen=True, slots=True)
class PopulationCount:
    """People detained in a facility at the end of day ``on``."""

    facility_id: str
    on: date
    count: int


@dataclass(frozen=True, slots=True)
class RecordTruth:
    """Who a record really is, and which noise the list added."""

    record_id: str
    person_id: str
    script: str
    family_last: bool
    north_form: bool
    conventional_family: bool
    birth_year_noise: str  # "exact", "missing" or "off-by-one"


@dataclass(frozen=True, slots=True)
class IndicatorTruth:
    """What truly happened to an indicator the story touches."""

    key: str
    outcome: str  # achieved, not-achieved, partly-achieved, achieved-then-reversed
    note: str


@dataclass(frozen=True)
class Truth:
    """The answer key of a scenario.

    Attributes:
        persons: every synthetic detainee, with their stays.
        records: one entry per person record, giving its true person.
        populations: true population per facility at the start and at the end
            of each simulated year.
        events: arrests, transfers, releases and deaths, by date.
        indicators: the true outcome of every indicator the story touches.
        progressed: benchmark ids that truly progressed.
    """

    persons: tuple[TruePerson, ...]
    records: tuple[RecordTruth, ...]
    populations: tuple[PopulationCount, ...]
    events: tuple[TrueEvent, ...]
    indicators: tuple[IndicatorTruth, ...]
    progressed: tuple[str, ...]

    @property
    def person_of(self) -> Mapping[str, str]:
        """record id -> true person id."""
        return {r.record_id: r.person_id for r in self.records}

    def population(self, facility_id: str, on: date) -> int:
        """The stored true population of ``facility_id`` at the end of ``on``."""
        for count in self.populations:
            if count.facility_id == facility_id and count.on == on:
                return count.count
        raise KeyError((facility_id, on))
