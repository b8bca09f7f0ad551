"""``simulate(config, seed) -> Scenario``: a synthetic scenario with a known truth."""

from __future__ import annotations

import random
from dataclasses import dataclass

from rightsledger.domain import Agreement, Observation, PersonRecord, Source

from .beats import indicator_truth, story_observations
from .config import ScenarioConfig
from .lists import capture_lists
from .population import run_population
from .story import build_deal, build_sources
from .truth import EventKind, Truth

__all__ = ["Scenario", "simulate"]


@dataclass(frozen=True)
class Scenario:
    """Everything a simulated scenario produced, and the truth behind it.

    Attributes:
        sources: the lists and the story's sources (origin ``simulated``).
        records: person records on the lists, with name and date noise.
        observations: the story's dated observations (origin ``simulated``).
        deal: the hypothetical agreement.
        truth: the answer key (persons, record -> person, populations, events).
        config: the parameters used.
        seed: the seed used.
    """

    sources: tuple[Source, ...]
    records: tuple[PersonRecord, ...]
    observations: tuple[Observation, ...]
    deal: Agreement
    truth: Truth
    config: ScenarioConfig
    seed: int


def simulate(config: ScenarioConfig, seed: int) -> Scenario:
    """Play a scenario.

    The same ``config`` and ``seed`` always give the same scenario; nothing reads
    the clock or the global random state.

    Args:
        config: the scenario parameters (``ScenarioConfig()`` for the demo).
        seed: the random seed.

    Returns:
        The scenario with its truth.

    Examples:
        >>> s = simulate(ScenarioConfig(years=2), seed=1)
        >>> all(r.record_id in s.truth.person_of for r in s.records)
        True
    """
    rng = random.Random(seed)  # noqa: S311  (simulation, not cryptography)
    population = run_population(config, rng)
    listed = capture_lists(population.persons, config, rng)
    observations = story_observations(config, population.events, listed.records)
    releases = sum(
        1
        for e in population.events
        if e.kind is EventKind.RELEASE and e.on >= config.deal_signed
    )
    progressed = (
        "dismantle-political-prison-camps",
        "humanitarian-aid-monitoring",
        "icrc-detention-access",
        *(("release-political-prisoners",) if releases else ()),
        "special-rapporteur-access",
    )
    truth = Truth(
        persons=population.persons,
        records=listed.truth,
        populations=population.populations,
        events=population.events,
        indicators=indicator_truth(config, releases),
        progressed=progressed,
    )
    return Scenario(
        sources=build_sources(config, observations),
        records=listed.records,
        observations=observations,
        deal=build_deal(config),
        truth=truth,
        config=config,
        seed=seed,
    )
