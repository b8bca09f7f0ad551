"""The ledger of the web benchmark: the full catalogue, N synthetic person records
linked into persons, M synthetic observations, and an assessment run.

Everything goes in through the same doors as real data: ``Ledger.import_file`` of a
sources CSV, a records CSV and an observations CSV, then ``chain.run_link`` and
``chain.run_assess``. The built ledger is kept in a folder with a ``build.json``
that records the parameters and the time of each step; a later run with the same
parameters reuses it. Every name is synthetic (``rightsledger.names.synthetic``)
and every observation is imported with origin ``simulated``.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rightsledger.chain import run_assess, run_link
from rightsledger.config import Settings
from rightsledger.domain import IndicatorKind, Origin, SourceKind
from rightsledger.ledger import Ledger
from rightsledger.names.synthetic import random_name

ACTOR = "bench"
#: Lists of people; each synthetic person is on each list with this probability
#: (and on at least one), so that linkage has overlaps to find.
LISTS = {
    "bench-list-a": 0.6,
    "bench-list-b": 0.4,
    "bench-list-c": 0.3,
    "bench-list-d": 0.2,
}
EVIDENCE_SOURCES = 300
ASSESS_DATES = [date(y, 12, 31) for y in (2010, 2014, 2018, 2022, 2025)]
FIRST_DAY = date(2007, 1, 1)
DAYS = 19 * 365  # observations until the end of 2025
PROVINCES = ("North Hamgyong", "South Hamgyong", "Ryanggang", "South Pyongan", "")
FATES = ("detained", "released", "dead", "transferred", "unknown")
RECORD_HEADER = (
    "record_id,source_id,full_name,sex,birth_year,province,facility_id,year_arrested,"
    "fate\n"
)
OBSERVATION_HEADER = (
    "source_id,indicator_key,observed_on,stance,credibility,summary,facility_id,value\n"
)


@dataclass
class Build:
    """What ``build.json`` holds: the parameters and what building took."""

    observations: int
    persons: int
    seed: int
    records: int = 0
    linked_persons: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    built_at: str = ""
    load_average: float = 0.0

    def same_data(self, other: Build) -> bool:
        return (self.observations, self.persons, self.seed) == (
            other.observations,
            other.persons,
            other.seed,
        )


def settings_for(folder: Path) -> Settings:
    """Settings of the benchmark ledger in ``folder`` (key file beside it)."""
    return Settings(database_url=f"sqlite:///{folder / 'ledger.sqlite'}", actor=ACTOR)


def cached_build(folder: Path, wanted: Build) -> Build | None:
    """The build kept in ``folder`` when it holds the data ``wanted`` describes."""
    marker = folder / "build.json"
    if not marker.exists():
        return None
    kept = Build(**json.loads(marker.read_text(encoding="utf-8")))
    return kept if kept.same_data(wanted) else None


def build_ledger(folder: Path, wanted: Build, log: Any) -> Build:
    """Build the ledger in ``folder`` (emptied first) and write ``build.json``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    build = Build(wanted.observations, wanted.persons, wanted.seed)
    build.load_average = _load()
    rng = random.Random(wanted.seed)
    total = time.perf_counter()

    def step(name: str, started: float) -> None:
        build.seconds[name] = time.perf_counter() - started
        log(f"  {name}: {build.seconds[name]:.1f} s")

    t = time.perf_counter()
    with Ledger.init(settings_for(folder)) as led:
        catalogue = led.load_catalogue()
        step("init + catalogue", t)
        t = time.perf_counter()
        sources = folder / "sources.csv"
        source_ids = write_sources(sources, rng)
        led.import_file(sources, "sources", origin=Origin.SIMULATED)
        records = folder / "records.csv"
        facilities = [f.id for f in catalogue.facilities]
        build.records = write_records(records, wanted.persons, rng, facilities)
        step(f"write records CSV ({build.records:,} rows)", t)
        t = time.perf_counter()
        led.import_file(records, "records", origin=Origin.SIMULATED)
        step("import records", t)
        t = time.perf_counter()
        observations = folder / "observations.csv"
        indicators = [
            (i.key, i.kind is IndicatorKind.COUNT) for i in catalogue.indicators()
        ]
        write_observations(
            observations, wanted.observations, rng, source_ids, indicators, facilities
        )
        step("write observations CSV", t)
        t = time.perf_counter()
        led.import_file(observations, "observations", origin=Origin.SIMULATED)
        step("import observations", t)
        t = time.perf_counter()
        build.linked_persons = run_link(led).persons
        step("link (probabilistic)", t)
        t = time.perf_counter()
        run_assess(led, ASSESS_DATES)
        step(f"assess ({len(ASSESS_DATES)} dates)", t)
        for name in ("sources.csv", "records.csv", "observations.csv"):
            (folder / name).unlink()
    build.seconds["total"] = time.perf_counter() - total
    build.built_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (folder / "build.json").write_text(json.dumps(asdict(build), indent=2))
    return build


def write_sources(path: Path, rng: random.Random) -> list[str]:
    """The person lists and ``EVIDENCE_SOURCES`` evidence sources of every kind;
    returns the ids of the evidence sources."""
    kinds = [k.value for k in SourceKind]
    ids: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "kind", "title", "owner", "reliability"])
        for list_id in LISTS:
            out.writerow(
                [list_id, "ngo-list", f"Synthetic list {list_id}", list_id, "B"]
            )
        for i in range(EVIDENCE_SOURCES):
            kind = kinds[i % len(kinds)]
            owner = "state" if kind == "state-claim" else f"owner-{i % 75}"
            grade = rng.choices("ABCDEF", weights=(3, 5, 4, 2, 1, 1))[0]
            source_id = f"bench-src-{i:04d}"
            out.writerow([source_id, kind, f"Synthetic source {i}", owner, grade])
            ids.append(source_id)
    return ids


def write_records(
    path: Path, persons: int, rng: random.Random, facilities: list[str]
) -> int:
    """Each synthetic person on one or more lists, with the same name, birth
    year (sometimes missing), facility and year of arrest on each; returns the
    number of rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(RECORD_HEADER)
        out = csv.writer(fh, lineterminator="\n")
        for p in range(persons):
            sex = "MF"[rng.random() < 0.45]
            name = random_name(rng, sex).hangul
            born = rng.randint(1930, 2000)
            province = rng.choice(PROVINCES)
            facility = rng.choice(facilities) if rng.random() < 0.8 else ""
            arrested = rng.randint(1975, 2018)
            on = [k for k, share in LISTS.items() if rng.random() < share]
            for list_id in on or [rng.choice(list(LISTS))]:
                year = born if rng.random() < 0.9 else ""
                fate = rng.choice(FATES)
                record_id = f"{list_id}-{p:07d}"
                out.writerow(
                    [record_id, list_id, name, sex, year, province, facility]
                    + [arrested, fate]
                )
                rows += 1
    return rows


def write_observations(
    path: Path,
    n: int,
    rng: random.Random,
    sources: list[str],
    indicators: list[tuple[str, bool]],
    facilities: list[str],
) -> None:
    """``n`` observations over every indicator, source and facility of the
    catalogue, dated 2007-2025, a quarter of them contradicting."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(OBSERVATION_HEADER)
        out = csv.writer(fh, lineterminator="\n")
        for i in range(n):
            key, is_count = rng.choice(indicators)
            on = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            out.writerow(
                [
                    rng.choice(sources),
                    key,
                    on.isoformat(),
                    "contradicts" if rng.random() < 0.25 else "supports",
                    rng.choices(range(1, 7), (2, 4, 3, 2, 1, 1))[0],
                    f"Synthetic benchmark observation {i}.",
                    rng.choice(facilities) if rng.random() < 0.15 else "",
                    rng.randint(1, 5000) if is_count else "",
                ]
            )


def _load() -> float:
    import os

    return os.getloadavg()[0]


@dataclass(frozen=True)
class Credentials:
    """A benchmark user's name, this run's password and API token (in memory)."""

    user: str
    password: str
    token: str


def credentials(folder: Path, role: str) -> Credentials:
    """A user of ``role`` in the benchmark ledger with a new random password and
    a new API token (nothing secret is written to disk)."""
    import secrets

    from rightsledger.domain import Role

    user = f"bench-{role}"
    password = secrets.token_urlsafe(18)
    with Ledger.open(settings_for(folder)) as led:
        if user not in {u["name"] for u in led.users()}:
            led.add_user(user, Role(role), password=password)
        else:
            led.set_password(user, password)
        token = led.issue_token(user)
    return Credentials(user, password, token)


def bring_up_to_date(folder: Path, build: Build, log: Any) -> None:
    """Migrate a kept ledger whose schema is older than the code's (a migration
    added since it was built), and note the step in ``build.json``."""
    from rightsledger.store import make_engine, parse_url
    from rightsledger.store.migrations_runner import (
        current_revision,
        head_revision,
        upgrade,
    )

    engine = make_engine(parse_url(settings_for(folder).database_url))
    try:
        have, head = current_revision(engine), head_revision()
        if have == head:
            return
        log(f"migrating the kept ledger from {have} to {head} ...")
        started = time.perf_counter()
        upgrade(engine)
        build.seconds[f"migrate {have} -> {head}"] = time.perf_counter() - started
    finally:
        engine.dispose()
    (folder / "build.json").write_text(json.dumps(asdict(build), indent=2))


def ensure_data_version(folder: Path, build: Build, log: Any) -> None:
    """Give a kept ledger built before ``meta.data_version`` existed one, as its
    next change of data would: import one marker source (cited by nothing), and
    note the step in ``build.json``. Without it the page cache falls back on the
    last custody entry, which every sign-in moves."""
    from rightsledger.store.tables import Meta

    with Ledger.open(settings_for(folder)) as led:
        with led.sessions.read() as s:
            if s.get(Meta, "data_version") is not None:
                return
        log("the kept ledger has no data version: importing one marker source")
        started = time.perf_counter()
        marker = folder / "marker-source.csv"
        marker.write_text(
            "id,kind,title,owner,reliability\n"
            "bench-marker,ngo-list,Benchmark marker,bench,C\n",
            encoding="utf-8",
        )
        led.import_file(marker, "sources", origin=Origin.SIMULATED)
        marker.unlink()
    build.seconds["data version (marker source)"] = time.perf_counter() - started
    (folder / "build.json").write_text(json.dumps(asdict(build), indent=2))
