"""The detained population month by month: arrests, transfers, releases, deaths."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from rightsledger.names import random_name

from .config import ScenarioConfig
from .truth import EventKind, PopulationCount, Stay, TrueEvent, TruePerson

__all__ = ["PROVINCES", "Population", "census_dates", "run_population"]

#: Provinces and province-level cities of the DPRK, with rough weights.
PROVINCES: dict[str, float] = {
    "Pyongyang": 12.0,
    "South Pyongan": 16.0,
    "North Pyongan": 11.0,
    "South Hamgyong": 12.0,
    "North Hamgyong": 9.0,
    "Ryanggang": 3.0,
    "Chagang": 5.0,
    "Kangwon": 6.0,
    "South Hwanghae": 9.0,
    "North Hwanghae": 8.0,
    "Rason": 1.0,
    "Nampo": 4.0,
}


@dataclass(slots=True)
class _Stay:
    facility: str
    start: date
    end: date | None = None
    why: EventKind | None = None


@dataclass(slots=True)
class _Person:
    id: str
    name: str
    sex: str
    birth_year: int
    province: str
    arrested_on: date
    stays: list[_Stay] = field(default_factory=list)

    @property
    def facility(self) -> str | None:
        last = self.stays[-1]
        return last.facility if last.end is None else None


@dataclass(frozen=True)
class Population:
    """Result of the population process."""

    persons: tuple[TruePerson, ...]
    events: tuple[TrueEvent, ...]
    populations: tuple[PopulationCount, ...]


def _monthly(annual: float) -> float:
    return 1.0 - float((1.0 - annual) ** (1.0 / 12.0))


def _month_start(start: date, m: int) -> date:
    year, month = divmod(start.month - 1 + m, 12)
    return date(start.year + year, month + 1, 1) if m else start


def _new_person(rng: random.Random, n: int, arrested: date) -> _Person:
    sex = "M" if rng.random() < 0.7 else "F"
    name = random_name(rng, sex)
    province = rng.choices(list(PROVINCES), weights=list(PROVINCES.values()))[0]
    age = rng.randint(18, 65)
    return _Person(
        f"T-{n:05d}", name.hangul, sex, arrested.year - age, province, arrested
    )


class _Process:
    def __init__(self, config: ScenarioConfig, rng: random.Random) -> None:
        self.config, self.rng = config, rng
        self.people: list[_Person] = []
        self.events: list[TrueEvent] = []
        self.closure = config.closure_date

    def admit(self, facility: str, on: date, *, event: bool) -> None:
        person = _new_person(self.rng, len(self.people) + 1, on)
        person.stays.append(_Stay(facility, on))
        self.people.append(person)
        if event:
            self.events.append(
                TrueEvent(on, person.id, EventKind.ARREST, None, facility)
            )

    def open_facilities(self, on: date) -> list[str]:
        closed = self.closure is not None and on >= self.closure.replace(day=1)
        facs = self.config.facilities
        return [f for f in facs if not (closed and f == self.config.closed_facility)]

    def leave(self, p: _Person, on: date, kind: EventKind, to: str | None) -> None:
        source = p.facility
        p.stays[-1].end, p.stays[-1].why = on, kind
        if to is not None:
            p.stays.append(_Stay(to, on))
        self.events.append(TrueEvent(on, p.id, kind, source, to))

    def hazards(self, first: date, days: int) -> None:
        c = self.config
        after = first >= c.deal_signed
        pd, pt = _monthly(c.death_rate), _monthly(c.transfer_rate)
        pr = _monthly(c.release_rate_after if after else c.release_rate_before)
        for p in [p for p in self.people if p.facility and p.stays[-1].start < first]:
            u = self.rng.random()
            on = first + timedelta(days=self.rng.randrange(days))
            others = [f for f in self.open_facilities(first) if f != p.facility]
            if u < pd:
                self.leave(p, on, EventKind.DEATH, None)
            elif u < pd + pr:
                self.leave(p, on, EventKind.RELEASE, None)
            elif u < pd + pr + pt and others:
                self.leave(p, on, EventKind.TRANSFER, self.rng.choice(others))

    def arrivals(self, first: date, days: int) -> None:
        c = self.config
        rate = (
            c.arrests_per_month_after
            if first >= c.deal_signed
            else c.arrests_per_month_before
        )
        open_ = self.open_facilities(first)
        weights = [c.population[f] for f in open_]
        clock = self.rng.expovariate(rate) if rate > 0 else 1.0
        while clock < 1.0 and open_:
            on = first + timedelta(days=int(clock * days))
            self.admit(self.rng.choices(open_, weights=weights)[0], on, event=True)
            clock += self.rng.expovariate(rate)

    def close(self) -> None:
        c, on = self.config, self.closure
        if on is None:
            return
        receiving = (
            c.receiving_facility if c.receiving_facility in c.facilities else None
        )
        for p in [p for p in self.people if p.facility == c.closed_facility]:
            if receiving is None or self.rng.random() < c.closure_release_share:
                self.leave(p, on, EventKind.RELEASE, None)
            else:
                self.leave(p, on, EventKind.TRANSFER, receiving)

    def run(self) -> None:
        c = self.config
        for facility, size in c.population.items():
            for _ in range(size):
                arrested = c.start - timedelta(days=self.rng.randint(30, 20 * 365))
                self.admit(facility, arrested, event=False)
        for m in range(c.years * 12):
            first = _month_start(c.start, m)
            days = (_month_start(c.start, m + 1) - first).days
            if self.closure is not None and first <= self.closure < first + timedelta(
                days
            ):
                self.close()
            self.hazards(first, days)
            self.arrivals(first, days)


def _freeze(p: _Person) -> TruePerson:
    stays = tuple(Stay(s.facility, s.start, s.end, s.why) for s in p.stays)
    return TruePerson(
        p.id, p.name, p.sex, p.birth_year, p.province, p.arrested_on, stays
    )


def _count(persons: tuple[TruePerson, ...], facility: str, on: date) -> int:
    return sum(
        1
        for p in persons
        for s in p.stays
        if s.facility_id == facility and s.start <= on and (s.end is None or s.end > on)
    )


def census_dates(config: ScenarioConfig) -> tuple[date, ...]:
    """The day before the start and the last day of each simulated year."""
    ends = [
        config.start.replace(year=config.start.year + k) - timedelta(days=1)
        for k in range(config.years + 1)
    ]
    return tuple(ends)


def run_population(config: ScenarioConfig, rng: random.Random) -> Population:
    """Play the population process of ``config``.

    Args:
        config: the scenario parameters.
        rng: the random source, seeded by the caller.

    Returns:
        Persons with their stays, the dated events and the true populations.
    """
    process = _Process(config, rng)
    process.run()
    persons = tuple(_freeze(p) for p in process.people)
    events = tuple(sorted(process.events, key=lambda e: (e.on, e.person_id, e.kind)))
    counts = tuple(
        PopulationCount(f, on, _count(persons, f, on))
        for on in census_dates(config)
        for f in config.facilities
    )
    return Population(persons, events, counts)
