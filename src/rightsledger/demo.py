"""The demo: one story from the real, sourced baseline to a simulated deal.

It creates a ledger in a fresh folder, loads the catalogue (real facts up to today),
plays a synthetic scenario of a hypothetical deal and its implementation, runs link,
estimate and assess on the stored data, and writes the scorecard.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .chain import EstimateSummary, LinkSummary, run_assess, run_estimate, run_link
from .config import Settings
from .domain import BenchmarkAssessment, Origin, Role
from .errors import ConfigError
from .ledger import Clock, Ledger
from .linkage.evaluate import pairwise_scores
from .populations import PopulationSpec
from .scorecard import ScorecardFiles, build_context, write_scorecard
from .simulate import Scenario, ScenarioConfig, simulate
from .simulate.truth import Truth
from .simulate.writer import write_scenario
from .usecases.base import _utcnow

DEFAULT_SEED = 2027
POPULATION_ID = "kwanliso-detainees"


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    database: Path
    key_file: Path
    scenario_files: dict[str, Path]
    link: LinkSummary
    link_scores: tuple[float, float, float]
    estimates: EstimateSummary
    truth_counts: dict[tuple[str, date], int]
    timeline: dict[date, list[BenchmarkAssessment]]
    scorecard: ScorecardFiles
    context: dict[str, object]
    real_until: date
    users: dict[str, Role]
    passwords: dict[str, str]


def yearly_populations(config: ScenarioConfig) -> list[PopulationSpec]:
    """One population per simulated year: people held in the scenario's camps."""
    first = config.start.year
    return [
        PopulationSpec(
            POPULATION_ID, tuple(config.facilities), date(y, 1, 1), date(y, 12, 31)
        )
        for y in range(first, first + config.years)
    ]


def true_count(truth: Truth, spec: PopulationSpec) -> int:
    """How many synthetic people really were in the population (the answer key)."""
    return sum(
        any(
            (not spec.facilities or stay.facility_id in spec.facilities)
            and stay.start <= spec.end
            and (stay.end is None or stay.end >= spec.start)
            for stay in person.stays
        )
        for person in truth.persons
    )


def assessment_dates(real_until: date, config: ScenarioConfig) -> list[date]:
    first = config.start.year
    return [real_until, *(date(y, 12, 31) for y in range(first, first + config.years))]


def prepare_folder(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(
            f"demo folder {folder} is not empty; give a new folder (the demo never "
            "overwrites a ledger)"
        )
    folder.mkdir(parents=True, exist_ok=True)


#: One user of each other role, so that the demo shows what each may see. Every
#: demo user gets a random password (printed, and kept in demo-users.txt beside
#: the ledger) so that each can sign in to the web app.
DEMO_USERS = {
    "investigator": Role.INVESTIGATOR,
    "analyst": Role.ANALYST,
    "viewer": Role.VIEWER,
}


def run_demo(
    folder: Path,
    *,
    seed: int = DEFAULT_SEED,
    config: ScenarioConfig | None = None,
    clock: Clock = _utcnow,
    actor: str = "admin",
    progress: Callable[[str], None] = lambda _step: None,
) -> DemoResult:
    """Run the whole chain into ``folder`` and return where everything is.

    ``progress`` is called with a short description before each step.
    """
    prepare_folder(folder)
    db = folder / "ledger.sqlite"
    settings = Settings(database_url=f"sqlite:///{db}", actor=actor)
    real_until = clock().date()
    cfg = config or ScenarioConfig()
    progress(f"creating the ledger {db}")
    with Ledger.init(settings, clock=clock) as ledger:
        users = {actor: Role.ADMIN, **DEMO_USERS}
        progress(f"adding demo users {', '.join(DEMO_USERS)}")
        passwords = {name: demo_password() for name in users}
        for name, role in DEMO_USERS.items():
            ledger.add_user(name, role, password=passwords[name])
        ledger.set_password(actor, passwords[actor])
        write_users_file(folder / "demo-users.txt", users, passwords)
        progress("loading the sourced catalogue (real baseline)")
        ledger.load_catalogue()
        progress(f"simulating the scenario (seed {seed}, {cfg.years} years)")
        scenario = simulate(cfg, seed)
        files = write_scenario(scenario, folder / "scenario")
        progress(f"storing {len(scenario.records):,} records and their evidence")
        store_scenario(ledger, scenario)
        progress("linking records into persons")
        link = run_link(ledger)
        truth = scenario.truth.person_of
        scores = pairwise_scores(ledger.latest_clustering(), truth)
        specs = yearly_populations(cfg)
        progress(f"estimating {len(specs)} yearly camp populations")
        estimates = run_estimate(ledger, specs)
        truth_counts = {(s.id, s.end): true_count(scenario.truth, s) for s in specs}
        progress("assessing every benchmark on each date")
        timeline = run_assess(ledger, assessment_dates(real_until, cfg))
        note = (
            f"Simulated scenario (seed {seed}): hypothetical deal "
            f"'{scenario.deal.title}' signed {cfg.deal_signed.isoformat()}; "
            "all people, lists and events after the real baseline are synthetic."
        )
        context = build_context(
            ledger, timeline, real_until=real_until, scenario_note=note
        )
        progress("writing the scorecard")
        card = write_scorecard(context, folder)
    return DemoResult(
        folder=folder,
        database=db,
        key_file=db.with_suffix(".sqlite.key"),
        scenario_files=files,
        link=link,
        link_scores=scores,
        estimates=estimates,
        truth_counts=truth_counts,
        timeline=timeline,
        scorecard=card,
        context=context,
        real_until=real_until,
        users=users,
        passwords=passwords,
    )


def demo_password() -> str:
    """A random password for a demo user (16 characters, URL-safe)."""
    return secrets.token_urlsafe(12)


def write_users_file(
    path: Path, users: Mapping[str, Role], passwords: Mapping[str, str]
) -> None:
    """Keep the demo users' passwords beside the demo ledger, readable by the
    owner only (a demo ledger holds synthetic people; a real one never gets such
    a file)."""
    lines = ["# demo users of this ledger: name, role, password (synthetic data only)"]
    lines += [
        f"{name}\t{role.value}\t{passwords[name]}" for name, role in users.items()
    ]
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def store_scenario(ledger: Ledger, scenario: Scenario) -> None:
    ledger.add_evidence(
        sources=scenario.sources,
        records=scenario.records,
        observations=scenario.observations,
        agreements=[scenario.deal],
        origin=Origin.SIMULATED,
        label=f"scenario seed {scenario.seed}",
    )
