"""A small hand-built scorecard: three benchmarks, one real date and two simulated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest

from rightsledger.domain import (
    Baseline,
    Benchmark,
    BenchmarkAssessment,
    Catalogue,
    Credibility,
    EstimateResult,
    Indicator,
    IndicatorAssessment,
    IndicatorKind,
    Observation,
    Origin,
    Reliability,
    Source,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
)

REAL_DAY = date(2024, 12, 31)
SIM_1 = date(2026, 12, 31)
SIM_2 = date(2027, 12, 31)
MALICIOUS = "<script>alert('x')</script> & <b>bold</b>"


@dataclass
class Sample:
    catalogue: Catalogue
    timeline: dict[date, list[BenchmarkAssessment]]
    observations: dict[str, Observation]
    sources: dict[str, Source]
    estimates: list[EstimateResult]
    ids: dict[str, str]


def _benchmark(bid: str, title: str, title_ko: str, inds: list[str]) -> Benchmark:
    return Benchmark(
        id=bid,
        title=title,
        statement=f"The state should {title.lower()}.",
        indicators=tuple(
            Indicator(
                id=i, benchmark_id=bid, kind=IndicatorKind.EVENT, target=f"{i} done"
            )
            for i in inds
        ),
        demanded_by=("COI-2014 para 89(a)",),
        baseline=Baseline(Status.NO_PROGRESS, date(2024, 6, 1), "None.", ("COI-2014",)),
        title_ko=title_ko,
    )


def _sources() -> dict[str, Source]:
    rows = [
        Source(
            "coi",
            SourceKind.UN_REPORT,
            "Report of the Commission of Inquiry",
            "UN",
            Reliability.A,
            date(2014, 2, 7),
            citation="COI-2014",
        ),
        Source(
            "nk-kcna",
            SourceKind.STATE_CLAIM,
            "KCNA statement",
            "DPRK",
            Reliability.E,
            SIM_1,
            origin=Origin.SIMULATED,
        ),
        Source(
            "imagery",
            SourceKind.IMAGERY_ANALYSIS,
            "Imagery analysis of camp 15",
            "Analyst NGO",
            Reliability.B,
            SIM_2,
            origin=Origin.SIMULATED,
        ),
        Source(
            "ngo",
            SourceKind.NGO_REPORT,
            "NGO detention report",
            "NGO",
            Reliability.B,
            date(2024, 5, 1),
            citation="NGO-2024",
        ),
    ]
    return {s.id: s for s in rows}


def _obs(
    src: str,
    key: str,
    on: date,
    summary: str,
    origin: Origin = Origin.REAL,
    stance: Stance = Stance.SUPPORTS,
) -> Observation:
    return Observation(
        src, key, on, stance, Credibility.PROBABLY_TRUE, summary, origin=origin
    )


def _ba(
    bid: str,
    on: date,
    status: Status,
    inds: list[tuple[str, Status, list[str]]],
    simulated: bool = False,
) -> BenchmarkAssessment:
    return BenchmarkAssessment(
        benchmark_id=bid,
        as_of=on,
        status=status,
        standard=StandardOfProof.REASONABLE_GROUNDS,
        reason=f"{bid} is {status.value}",
        indicators=tuple(
            IndicatorAssessment(
                f"{bid}/{i}", s, StandardOfProof.ALLEGATION, f"{i}: {s}", tuple(oids)
            )
            for i, s, oids in inds
        ),
        simulated=simulated,
    )


def build_sample() -> Sample:
    """Three benchmarks over three dates; ``close-camps`` moves in simulated years."""
    catalogue = Catalogue(
        name="nk-test",
        country="North Korea",
        sources=(),
        benchmarks=(
            _benchmark(
                "close-camps",
                "Close the political prison camps",
                "정치범수용소 폐쇄",
                ["camps-closed"],
            ),
            _benchmark(
                "release-prisoners",
                "Release political prisoners",
                "정치범 석방",
                ["released"],
            ),
            _benchmark(
                "admit-rapporteur", "Admit the Special Rapporteur", "", ["visit"]
            ),
        ),
        facilities=(),
        agreements=(),
        conditions=(),
    )
    sources = _sources()
    o = {
        "coi": _obs(
            "coi",
            "close-camps/camps-closed",
            date(2014, 2, 7),
            "Camps operate.",
            stance=Stance.BASELINE,
        ),
        "claim": _obs(
            "nk-kcna",
            "close-camps/camps-closed",
            SIM_1,
            "Camps closed, says KCNA.",
            Origin.SIMULATED,
        ),
        "imagery": _obs(
            "imagery",
            "close-camps/camps-closed",
            SIM_2,
            "Guard towers removed at camp 15.",
            Origin.SIMULATED,
        ),
        "ngo": _obs("ngo", "release-prisoners/released", date(2024, 5, 1), MALICIOUS),
    }
    ids = {k: v.id for k, v in o.items()}
    cc, rp, ar = "close-camps", "release-prisoners", "admit-rapporteur"
    timeline = {
        REAL_DAY: [
            _ba(
                cc,
                REAL_DAY,
                Status.NO_PROGRESS,
                [("camps-closed", Status.NO_PROGRESS, [ids["coi"]])],
            ),
            _ba(
                rp,
                REAL_DAY,
                Status.NO_PROGRESS,
                [("released", Status.NO_PROGRESS, [ids["ngo"]])],
            ),
        ],
        SIM_1: [
            _ba(
                cc,
                SIM_1,
                Status.CLAIMED,
                [("camps-closed", Status.CLAIMED, [ids["coi"], ids["claim"]])],
                simulated=True,
            ),
            _ba(
                rp,
                SIM_1,
                Status.NO_PROGRESS,
                [("released", Status.NO_PROGRESS, [ids["ngo"]])],
            ),
            _ba(
                ar, SIM_1, Status.CLAIMED, [("visit", Status.CLAIMED, ["deadbeef" * 8])]
            ),
        ],
        SIM_2: [
            _ba(
                cc,
                SIM_2,
                Status.PARTIAL,
                [
                    (
                        "camps-closed",
                        Status.PARTIAL,
                        [ids["coi"], ids["imagery"], ids["claim"]],
                    )
                ],
            ),
            _ba(
                rp,
                SIM_2,
                Status.NO_PROGRESS,
                [("released", Status.NO_PROGRESS, [ids["ngo"]])],
            ),
        ],
    }
    estimates = [
        EstimateResult(
            "kwanliso-prisoners",
            "log-linear",
            80123.4,
            65000.2,
            120000.9,
            41000,
            ("a", "b", "c"),
            as_of=REAL_DAY,
        ),
        EstimateResult(
            "kwanliso-prisoners",
            "log-linear",
            60000.0,
            50000.0,
            90000.0,
            30000,
            ("a", "b"),
            as_of=SIM_2,
        ),
    ]
    return Sample(
        catalogue, timeline, {v.id: v for v in o.values()}, sources, estimates, ids
    )


def sample_context(sample: Sample) -> dict[str, Any]:
    from rightsledger.report import scorecard_context

    return scorecard_context(
        sample.catalogue,
        sample.timeline,
        sample.observations,
        sample.sources,
        sample.estimates,
        real_until=REAL_DAY,
        generated_at=datetime(2028, 1, 2, 9, 30),
        ledger_label="/tmp/ledger.db",
        scenario_note=(
            "Simulated scenario, seed 20271, hypothetical deal signed 2027-06-12"
        ),
    )


@pytest.fixture
def sample() -> Sample:
    return build_sample()


@pytest.fixture
def context(sample: Sample) -> dict[str, Any]:
    return sample_context(sample)
