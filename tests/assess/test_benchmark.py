"""Aggregation of indicator statuses into benchmark statuses, and timelines."""

from __future__ import annotations

from datetime import date

import pytest

from rightsledger.assess import assess_all, assess_benchmark, status_changes
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
