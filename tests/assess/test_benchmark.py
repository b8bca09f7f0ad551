"""Aggregation of indicator statuses into benchmark statuses, and timelines."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from rightsledger.assess import (
    assess_all,
    assess_benchmark,
    assess_indicator,
    status_changes,
)
from rightsledger.catalogue import load_catalogue
from rightsledger.domain import (
    Baseline,
    Benchmark,
    Catalogue,
    Credibility,
    Indicator,
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
from rightsledger.domain.catalogue import VerificationRule

D = date(2026, 6, 1)
SOURCES = {
    "hrw": Source("hrw", SourceKind.NGO_REPORT, "hrw", "HRW", Reliability.B, None),
    "nkdb": Source("nkdb", SourceKind.NGO_LIST, "nkdb", "NKDB", Reliability.B, None),
    "icrc": Source(
        "icrc", SourceKind.ICRC_STATEMENT, "icrc", "ICRC", Reliability.A, None
    ),
    "kcna": Source("kcna", SourceKind.STATE_CLAIM, "kcna", "DPRK", Reliability.D, None),
}
STRONG = VerificationRule(
    requires_monitor=True, standard=StandardOfProof.CLEAR_AND_CONVINCING
)
BENCH = Benchmark(
    "release",
    "Release political prisoners",
    "...",
    (
        Indicator("a", "release", IndicatorKind.EVENT, "t"),
        Indicator("b", "release", IndicatorKind.ACCESS, "t", rule=STRONG),
    ),
    ("coi-a",),
    Baseline(Status.NO_PROGRESS, date(2014, 2, 7), "COI", ("coi",)),
)


def obs(ind, source, on, stance=Stance.SUPPORTS, **kw):
    key = f"release/{ind}"
    return Observation(source, key, on, stance, Credibility.PROBABLY_TRUE, source, **kw)


def run(observations, as_of=D):
    return assess_benchmark(BENCH, observations, SOURCES, [], as_of)


VERIFY_A = [obs("a", "hrw", date(2026, 1, 1)), obs("a", "nkdb", date(2026, 1, 2))]
VERIFY_B = [obs("b", "hrw", date(2026, 1, 1)), obs("b", "icrc", date(2026, 1, 2))]


def test_all_verified_takes_the_weakest_standard():
    result = run([*VERIFY_A, *VERIFY_B])
    assert result.status is Status.VERIFIED
    assert result.standard is StandardOfProof.REASONABLE_GROUNDS
    assert len(result.observation_ids) == 4
    assert result.simulated is False


def test_some_verified_is_partial():
    result = run(VERIFY_A)
    assert result.status is Status.PARTIAL
    assert result.standard is StandardOfProof.REASONABLE_GROUNDS


def test_regressed_beats_contested():
    contra_a = obs("a", "icrc", date(2026, 3, 1), Stance.CONTRADICTS)
    contested_b = [
        obs("b", "kcna", date(2026, 1, 1)),
        obs("b", "hrw", date(2026, 2, 1), Stance.CONTRADICTS),
    ]
    assert run([*VERIFY_A, contra_a, *contested_b]).status is Status.REGRESSED
    assert run(contested_b).status is Status.CONTESTED


def test_claimed():
    assert run([obs("a", "kcna", date(2026, 1, 1))]).status is Status.CLAIMED


@pytest.mark.parametrize(
    ("base", "expected"), [("claimed", Status.CLAIMED), (None, Status.NO_PROGRESS)]
)
def test_baseline_or_no_progress(base, expected):
    observations = []
    if base:
        observations = [obs("b", "hrw", date(2014, 2, 7), Stance.BASELINE, status=base)]
    result = run(observations)
    assert result.status is expected


def test_simulated_flag_follows_deciding_observations():
    fake = [obs("a", "hrw", date(2026, 1, 1), origin=Origin.SIMULATED), VERIFY_A[1]]
    assert run(fake).simulated is True


def test_assess_all_and_status_changes():
    catalogue = Catalogue("nk", "KP", (), (BENCH,), (), (), ())
    observations = [*VERIFY_A, *VERIFY_B]
    before = assess_all(catalogue, observations, SOURCES, [], date(2025, 12, 31))
    after = assess_all(catalogue, observations, SOURCES, [], D)
    assert [b.status for b in before] == [Status.NO_PROGRESS]
    changes = status_changes(before, after)
    assert len(changes) == 1
    change = changes[0]
    assert (change.before, change.after) == (Status.NO_PROGRESS, Status.VERIFIED)
    assert set(change.added) == {o.id for o in observations}
    assert {c.indicator_key for c in change.indicators} == {"release/a", "release/b"}
    assert status_changes(after, after) == []


def test_status_changes_with_a_missing_side():
    after = [run(VERIFY_A)]
    change = status_changes([], after)[0]
    assert (change.before, change.after) == (None, Status.PARTIAL)
    assert status_changes(after, [])[0].after is None


def _random_evidence(seed, catalogue, n=3000):
    """Observations of every kind over the catalogue's indicators and facilities."""
    rng = random.Random(seed)
    kinds, grades = list(SourceKind), list(Reliability)
    sources = {
        f"s{i}": Source(
            f"s{i}",
            kinds[i % len(kinds)],
            f"s{i}",
            f"owner-{i % 7}",
            rng.choice(grades),
            None,
            origin=rng.choice(list(Origin)),
        )
        for i in range(30)
    }
    places = [None, None, *(f.id for f in catalogue.facilities[:3])]
    out = []
    for i in range(n):
        ind = rng.choice(catalogue.indicators())
        stance = rng.choices(list(Stance), weights=(6, 3, 1))[0]
        status = rng.choice(list(Status)).value if stance is Stance.BASELINE else None
        out.append(
            Observation(
                rng.choice(list(sources)),
                ind.key,
                date(2020, 1, 1) + timedelta(days=rng.randrange(2000)),
                stance,
                Credibility(rng.randint(1, 6)),
                f"random observation {i}",
                facility_id=rng.choice(places),
                value=float(rng.randint(1, 900)),
                status=status,
                origin=rng.choice(list(Origin)),
            )
        )
    return out, sources


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_by_indicator_gives_the_per_indicator_result(seed):
    catalogue = load_catalogue()
    observations, sources = _random_evidence(seed, catalogue)
    shuffled = random.Random(seed).sample(observations, len(observations))
    by_id = {o.id: o for o in observations}
    for as_of in (date(2021, 6, 30), date(2023, 12, 31), date(2026, 1, 1)):
        grouped = assess_all(catalogue, observations, sources, [], as_of)
        for got, bench in zip(grouped, catalogue.benchmarks, strict=True):
            direct = tuple(
                assess_indicator(i, observations, sources, [], as_of)
                for i in bench.indicators
            )
            assert got.indicators == direct
            assert got == assess_benchmark(bench, shuffled, sources, [], as_of)
            decided = [by_id[i] for i in got.observation_ids]
            assert got.simulated == any(
                o.origin is Origin.SIMULATED
                or sources[o.source_id].origin is Origin.SIMULATED
                for o in decided
            )
    statuses = {i.status for a in grouped for i in a.indicators}
    assert len(statuses) >= 4  # the random set reaches most paths
