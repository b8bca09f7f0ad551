"""A small assessed ledger for the public pages, built in well under a second.

Instead of running the whole chain (linkage alone takes seconds), this stores a
handful of sources and observations through the façade, two estimation results
as a run (one with a posterior and a count large enough to show, one with a
count below the small-cell threshold), and assesses the catalogue on two dates
with the real assessment code (:func:`rightsledger.chain.run_assess`).

It also plants what the tests look for: a confidential source (its id must not
reach a viewer) and script payloads in a public source's title and in an
observation's summary (they must come out escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rightsledger.chain import run_assess
from rightsledger.domain import (
    Confidentiality,
    Credibility,
    EstimateResult,
    Observation,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.ledger import Ledger

XSS_TITLE = '<script>alert("title")</script>Camp Watch'
XSS_SUMMARY = "<img src=x onerror=alert(1)> imagery shows guard towers removed"
PUBLIC_SOURCE = "pub-camp-watch"
SECRET_SOURCE = "secret-witness-list"
SECRET_SUMMARY = "a confidential account of the camp closing down"
BENCHMARK = "dismantle-political-prison-camps"
INDICATOR = f"{BENCHMARK}/camp-deactivated"
FACILITY = "kwanliso-15"
BUSY_FACILITY = "kwanliso-14"
BUSY_COUNT = 55  # more than one page of 50
DATES = (date(2025, 12, 31), date(2026, 11, 1))
SMALL_POPULATION = "kwanliso-25-survivors"
BIG_POPULATION = "kwanliso-15-detainees"


@dataclass(frozen=True, slots=True)
class PublicData:
    benchmark: str = BENCHMARK
    indicator: str = INDICATOR
    facility: str = FACILITY
    busy_facility: str = BUSY_FACILITY


def _sources() -> list[Source]:
    return [
        Source(
            id=PUBLIC_SOURCE,
            kind=SourceKind.IMAGERY_ANALYSIS,
            title=XSS_TITLE,
            owner="Camp Watch",
            reliability=Reliability.B,
            published_on=date(2026, 3, 1),
        ),
        Source(
            id=SECRET_SOURCE,
            kind=SourceKind.IMAGERY_ANALYSIS,
            title="Witness list (confidential)",
            owner="Seoul documentation group",
            reliability=Reliability.B,
            published_on=date(2026, 4, 1),
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    ]


def _observations() -> list[Observation]:
    main = [
        Observation(
            source_id=PUBLIC_SOURCE,
            indicator_key=INDICATOR,
            observed_on=date(2026, 3, 1),
            stance=Stance.SUPPORTS,
            credibility=Credibility.PROBABLY_TRUE,
            summary=XSS_SUMMARY,
            facility_id=FACILITY,
        ),
        Observation(
            source_id=SECRET_SOURCE,
            indicator_key=INDICATOR,
            observed_on=date(2026, 4, 1),
            stance=Stance.SUPPORTS,
            credibility=Credibility.PROBABLY_TRUE,
            summary=SECRET_SUMMARY,
            facility_id=FACILITY,
        ),
    ]
    busy = [
        Observation(
            source_id=PUBLIC_SOURCE,
            indicator_key=INDICATOR,
            observed_on=date(2026, 1, 1) + timedelta(days=n),
            stance=Stance.CONTRADICTS,
            credibility=Credibility.PROBABLY_TRUE,
            summary=f"imagery pass {n:03d}: the camp is still in use",
            facility_id=BUSY_FACILITY,
        )
        for n in range(BUSY_COUNT)
    ]
    return main + busy


def _estimates() -> list[EstimateResult]:
    sample = [1150 + (n * 37) % 300 for n in range(400)]
    return [
        EstimateResult(
            population=BIG_POPULATION,
            method="lcmcr",
            estimate=1290.0,
            lower=1160.0,
            upper=1440.0,
            observed=812,
            lists=(PUBLIC_SOURCE, SECRET_SOURCE),
            diagnostics={
                "model": "latent classes",
                "rhat": 1.01,
                "posterior_sample": sample,
                "warnings": ["chains mixed slowly"],
            },
            as_of=date(2026, 6, 30),
        ),
        EstimateResult(
            population=SMALL_POPULATION,
            method="loglinear",
            estimate=9.0,
            lower=4.0,
            upper=31.0,
            observed=3,
            lists=(PUBLIC_SOURCE, SECRET_SOURCE),
            diagnostics={"model": "independence", "deviance": 0.4, "warnings": []},
            as_of=date(2026, 6, 30),
        ),
    ]


def seed(ledger: Ledger) -> PublicData:
    """Store the evidence, the estimates and an assessment in ``ledger`` (which
    must act as a user who may write evidence and run analyses)."""
    ledger.add_evidence(
        sources=_sources(), observations=_observations(), label="public-pages"
    )
    ledger.record_run(
        "estimate", {"method": "test"}, {"seeded": True}, estimates=_estimates()
    )
    run_assess(ledger, list(DATES))
    return PublicData()
