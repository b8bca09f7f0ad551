"""The scorecard built from the observations it reads equals the one built from
every observation (the old way), for every role, and the plans read only their
windows.

The scenario is made to hit each case the windows must get right: observations
before and after the catalogue's baselines, extra baselines with a facility,
without a status, dated after the assessment, or from a confidential source (a
viewer's plans must not be cut by it), observations of many facilities and of
none, contradictions and state claims, and two assessment dates (some
observations dated on the latest).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from rightsledger.browse.scorecard_data import scorecard_evidence
from rightsledger.chain import run_assess
from rightsledger.domain import (
    Confidentiality,
    Credibility,
    Observation,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
    Status,
)
from rightsledger.ledger import Ledger
from rightsledger.report import scorecard_context
from rightsledger.report.readiness import current_assessments, plan_windows
from rightsledger.scorecard import build_context
from rightsledger.store import parse_url, safe_url

DATES = [date(2025, 12, 31), date(2026, 6, 30)]
REAL_UNTIL = date(2026, 1, 31)
FIRST = date(2016, 1, 1)
TODAY = date(2026, 11, 1)  # before the fixed clock's today
DAYS = (TODAY - FIRST).days


def _sources(rng: random.Random) -> list[Source]:
    kinds = list(SourceKind)
    return [
        Source(
            id=f"fast-src-{n:02d}",
            kind=kinds[n % len(kinds)],
            title=f"Source {n}",
            owner="state"
            if kinds[n % len(kinds)] is SourceKind.STATE_CLAIM
            else f"o{n % 9}",
            reliability=rng.choice(list(Reliability)[:4]),
            published_on=date(2020, 1, 1),
            confidentiality=(
                Confidentiality.CONFIDENTIAL if n % 4 == 3 else Confidentiality.PUBLIC
            ),
        )
        for n in range(24)
    ]


def _observations(
    rng: random.Random, ledger: Ledger, sources: list[Source]
) -> list[Observation]:
    catalogue = ledger.catalogue()
    keys = [i.key for i in catalogue.indicators()]
    facilities = [f.id for f in catalogue.facilities][:4]
    out: list[Observation] = []
    for n in range(1_500):
        stance = rng.choice([Stance.SUPPORTS] * 3 + [Stance.CONTRADICTS])
        on = FIRST + timedelta(days=rng.randrange(DAYS)) if n % 30 else DATES[-1]
        out.append(
            Observation(
                source_id=rng.choice(sources).id,
                indicator_key=rng.choice(keys),
                observed_on=on,
                stance=stance,
                credibility=rng.choice(list(Credibility)[:4]),
                summary=f"observation {n}",
                facility_id=rng.choice(facilities) if rng.random() < 0.3 else None,
            )
        )
    late = date(2024, 1, 1)  # most after the catalogue's baselines
    for n in range(120):  # baselines of every sort
        out.append(
            Observation(
                source_id=rng.choice(sources).id,
                indicator_key=rng.choice(keys),
                observed_on=late + timedelta(days=rng.randrange((TODAY - late).days)),
                stance=Stance.BASELINE,
                credibility=Credibility.PROBABLY_TRUE,
                summary=f"baseline {n}",
                facility_id=rng.choice(facilities) if rng.random() < 0.3 else None,
                status=rng.choice(
                    [Status.NO_PROGRESS.value, Status.PARTIAL.value, None]
                ),
            )
        )
    return out


@pytest.fixture
def assessed(ledger: Ledger) -> Ledger:
    rng = random.Random(2027)
    sources = _sources(rng)
    ledger.add_evidence(
        sources=sources, observations=_observations(rng, ledger, sources)
    )
    run_assess(ledger, DATES)
    return ledger


def _old_context(ledger: Ledger, generated_at: str) -> dict[str, Any]:
    """The scorecard as built before: from every observation the reader sees."""
    return scorecard_context(
        ledger.catalogue(),
        ledger.latest_assessments(),
        {o.id: o for o in ledger.observations()},
        ledger.sources(),
        ledger.estimates(),
        real_until=REAL_UNTIL,
        generated_at=datetime.fromisoformat(generated_at),
        ledger_label=safe_url(parse_url(ledger.settings.database_url)),
        small_cell=ledger.settings.small_cell_threshold,
    )


@pytest.mark.parametrize("role", [None, Role.ANALYST, Role.VIEWER])
def test_the_scorecard_is_the_same_as_from_every_observation(
    assessed: Ledger, open_as: Any, role: Role | None
) -> None:
    reader = assessed if role is None else open_as(role)
    new = build_context(reader, reader.latest_assessments(), real_until=REAL_UNTIL)
    old = _old_context(reader, new["generated_at"])
    assert new == old
    plans = [b["plan"] for b in new["benchmarks"] if b["plan"]]
    trails = [
        e for b in new["benchmarks"] for i in b["indicators"] for e in i["evidence"]
    ]
    assert plans and trails  # the comparison covered plans and evidence trails


def test_a_viewer_reads_only_public_evidence(assessed: Ledger, open_as: Any) -> None:
    viewer = open_as(Role.VIEWER)
    sources = viewer.sources()
    got = scorecard_evidence(viewer, viewer.latest_assessments(), sources)
    every = scorecard_evidence(
        assessed, assessed.latest_assessments(), assessed.sources()
    )
    assert all(sources[o.source_id].confidentiality.is_public for o in got.values())
    assert set(every) - set(got)  # confidential evidence the viewer is spared


def test_the_scorecard_reads_fewer_observations_than_there_are(
    assessed: Ledger,
) -> None:
    got = scorecard_evidence(
        assessed, assessed.latest_assessments(), assessed.sources()
    )
    every = {o.id: o for o in assessed.observations()}
    assert len(got) < len(every) / 2
    assert all(every[oid] == o for oid, o in got.items())
    assert list(got) == sorted(got, key=lambda oid: (got[oid].observed_on, oid))


def test_a_window_opens_at_the_latest_shared_baseline(assessed: Ledger) -> None:
    catalogue, sources = assessed.catalogue(), assessed.sources()
    current = current_assessments(assessed.latest_assessments())
    observations = assessed.observations()
    baselines = [o for o in observations if o.stance is Stance.BASELINE]
    windows = plan_windows(catalogue, current, baselines, sources)
    assert windows
    for key, window in windows.items():
        shared = [
            o.observed_on
            for o in baselines
            if o.indicator_key == key
            and o.status
            and o.facility_id is None
            and o.observed_on <= window.until
        ]
        assert window.after == max(shared, default=None)
    verified = {
        ia.indicator_key
        for a in current.values()
        for ia in a.indicators
        if ia.status is Status.VERIFIED
    }
    assert not verified & set(windows)
