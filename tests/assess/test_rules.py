"""Every status and rule path of assess_indicator, on small hand-built cases."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from rightsledger.assess import assess_indicator, estimate_id
from rightsledger.assess._evidence import meets_rule, verified_on
from rightsledger.domain import (
    Credibility,
    EstimateResult,
    Indicator,
    IndicatorKind,
    Observation,
    Reliability,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
)
from rightsledger.domain.catalogue import VerificationRule
from rightsledger.errors import NotFound

from .builders import src

KEY = "close-camps/kwanliso-15-closed"
D = date(2026, 6, 1)


SOURCES = {
    s.id: s
    for s in [
        src("hrw", SourceKind.NGO_REPORT, "HRW"),
        src("hrw-2", SourceKind.NGO_LIST, "HRW"),
        src("nkdb", SourceKind.NGO_LIST, "NKDB"),
        src("ohchr", SourceKind.UN_REPORT, "UN"),
        src("icrc", SourceKind.ICRC_STATEMENT, "ICRC"),
        src("csis", SourceKind.IMAGERY_ANALYSIS, "CSIS"),
        src("kcna", SourceKind.STATE_CLAIM, "DPRK"),
        src("rumour", SourceKind.MEDIA, "Daily", Reliability.E),
    ]
}


def ind(kind=IndicatorKind.EVENT, **rule):
    return Indicator(
        "kwanliso-15-closed",
        "close-camps",
        kind,
        "closed",
        rule=VerificationRule(**rule),
    )


def obs(source, on, stance=Stance.SUPPORTS, cred=Credibility.PROBABLY_TRUE, **kw):
    return Observation(source, KEY, on, stance, cred, f"{source} {on}", **kw)


def run(indicator, observations, estimates=(), as_of=D):
    return assess_indicator(indicator, observations, SOURCES, estimates, as_of)


def test_nothing_at_all_is_no_progress():
    result = run(ind(), [])
    assert (result.status, result.standard) == (
        Status.NO_PROGRESS,
        StandardOfProof.NONE,
    )
    assert result.observation_ids == ()


def test_baseline_only():
    base = obs("ohchr", date(2014, 2, 7), Stance.BASELINE, status="no-progress")
    result = run(ind(), [base])
    assert result.status is Status.NO_PROGRESS
    assert result.standard is StandardOfProof.ALLEGATION
    assert result.observation_ids == (base.id,)


def test_latest_baseline_wins():
    old = obs("ohchr", date(2014, 2, 7), Stance.BASELINE, status="no-progress")
    new = obs("ohchr", date(2024, 1, 1), Stance.BASELINE, status="partial")
    assert run(ind(), [new, old]).status is Status.PARTIAL


def test_two_independent_owners_verify():
    a, b = obs("hrw", date(2026, 1, 1)), obs("nkdb", date(2026, 2, 1))
    result = run(ind(), [a, b])
    assert result.status is Status.VERIFIED
    assert result.standard is StandardOfProof.REASONABLE_GROUNDS
    assert set(result.observation_ids) == {a.id, b.id}


def test_same_owner_is_not_independent():
    result = run(ind(), [obs("hrw", date(2026, 1, 1)), obs("hrw-2", date(2026, 2, 1))])
    assert (result.status, result.standard) == (
        Status.PARTIAL,
        StandardOfProof.ALLEGATION,
    )


def test_state_claim_alone_is_claimed_never_verified():
    claims = [obs("kcna", date(2026, 1, d), cred=Credibility.CONFIRMED) for d in (1, 2)]
    result = run(ind(min_independent=1), claims)
    assert (result.status, result.standard) == (Status.CLAIMED, StandardOfProof.NONE)


def test_qualifying_support_beats_a_claim():
    result = run(ind(), [obs("kcna", date(2026, 1, 1)), obs("hrw", date(2026, 1, 2))])
    assert result.status is Status.PARTIAL


@pytest.mark.parametrize(
    ("sources", "status", "standard"),
    [
        (["hrw", "nkdb"], Status.PARTIAL, StandardOfProof.REASONABLE_GROUNDS),
        (["hrw", "icrc"], Status.VERIFIED, StandardOfProof.CLEAR_AND_CONVINCING),
        (["hrw", "ohchr"], Status.VERIFIED, StandardOfProof.CLEAR_AND_CONVINCING),
    ],
)
def test_monitor_required(sources, status, standard):
    rule = {"requires_monitor": True, "standard": StandardOfProof.CLEAR_AND_CONVINCING}
    result = run(ind(**rule), [obs(s, date(2026, 1, 1)) for s in sources])
    assert (result.status, result.standard) == (status, standard)


def test_physical_required():
    rule = {"requires_physical": True}
    without = [obs("hrw", date(2026, 1, 1)), obs("icrc", date(2026, 1, 2))]
    assert run(ind(**rule), without).status is Status.PARTIAL
    with_imagery = [*without, obs("csis", date(2026, 1, 3))]
    assert run(ind(**rule), with_imagery).status is Status.VERIFIED


def test_source_kinds_filter():
    rule = {"source_kinds": (SourceKind.ICRC_STATEMENT,), "min_independent": 1}
    assert run(ind(**rule), [obs("hrw", date(2026, 1, 1))]).status is Status.NO_PROGRESS
    assert run(ind(**rule), [obs("icrc", date(2026, 1, 1))]).status is Status.VERIFIED


def test_reliability_below_threshold_does_not_count():
    weak = [obs("hrw", date(2026, 1, 1)), obs("rumour", date(2026, 1, 2))]
    result = run(ind(), weak)
    assert result.status is Status.PARTIAL
    relaxed = run(ind(min_reliability=Reliability.E), weak)
    assert relaxed.status is Status.VERIFIED


def test_credibility_below_threshold_does_not_count():
    doubtful = obs("nkdb", date(2026, 1, 2), cred=Credibility.DOUBTFUL)
    result = run(ind(), [obs("hrw", date(2026, 1, 1)), doubtful])
    assert result.status is Status.PARTIAL
    assert doubtful.id not in result.observation_ids


def test_contradiction_after_verification_is_regressed():
    support = [obs("hrw", date(2026, 1, 1)), obs("nkdb", date(2026, 2, 1))]
    contra = obs("csis", date(2026, 4, 1), Stance.CONTRADICTS)
    result = run(ind(), [*support, contra])
    assert result.status is Status.REGRESSED
    assert result.standard is StandardOfProof.ALLEGATION  # one contradicting owner
    assert contra.id in result.observation_ids
    # before the contradiction's date the indicator was verified
    assert (
        run(ind(), [*support, contra], as_of=date(2026, 3, 1)).status is Status.VERIFIED
    )


def test_reverified_after_regression():
    evidence = [
        obs("hrw", date(2026, 1, 1)),
        obs("nkdb", date(2026, 2, 1)),
        obs("csis", date(2026, 3, 1), Stance.CONTRADICTS),
        obs("icrc", date(2026, 4, 1)),
        obs("ohchr", date(2026, 4, 2)),
    ]
    assert run(ind(), evidence).status is Status.VERIFIED


def test_contradiction_before_verification_is_superseded():
    evidence = [
        obs("csis", date(2025, 12, 1), Stance.CONTRADICTS),
        obs("hrw", date(2026, 1, 1)),
        obs("nkdb", date(2026, 2, 1)),
    ]
    assert run(ind(), evidence).status is Status.VERIFIED


@pytest.mark.parametrize("supporter", ["kcna", "hrw"])
def test_claim_or_partial_with_contradiction_is_contested(supporter):
    evidence = [
        obs(supporter, date(2026, 1, 1)),
        obs("csis", date(2026, 2, 1), Stance.CONTRADICTS),
    ]
    result = run(ind(), evidence)
    assert result.status is Status.CONTESTED
    assert len(result.observation_ids) == 2


def test_contradiction_alone_is_no_progress():
    contra = obs("csis", date(2026, 2, 1), Stance.CONTRADICTS)
    result = run(ind(), [contra])
    assert result.status is Status.NO_PROGRESS
    assert result.observation_ids == (contra.id,)


def test_state_contradiction_is_not_credible():
    evidence = [
        obs("hrw", date(2026, 1, 1)),
        obs("kcna", date(2026, 2, 1), Stance.CONTRADICTS),
    ]
    assert run(ind(), evidence).status is Status.PARTIAL


def test_as_of_cut_off_and_baseline_absorbs_older_evidence():
    early = [obs("hrw", date(2026, 1, 1)), obs("nkdb", date(2026, 2, 1))]
    assert run(ind(), early, as_of=date(2025, 12, 31)).status is Status.NO_PROGRESS
    assert run(ind(), early, as_of=date(2026, 1, 15)).status is Status.PARTIAL
    later_base = obs("ohchr", date(2026, 3, 1), Stance.BASELINE, status="claimed")
    assert run(ind(), [*early, later_base]).status is Status.CLAIMED


def test_count_reason_reports_verified_and_claimed_totals():
    evidence = [
        obs("hrw", date(2026, 1, 1), value=120),
        obs("nkdb", date(2026, 1, 2), value=80),
        obs("kcna", date(2026, 1, 3), value=1000),
    ]
    result = run(ind(IndicatorKind.COUNT), evidence)
    assert result.status is Status.VERIFIED
    # two owners are needed: the larger figure both of them report is 80
    assert "confirmed by 2 independent owner(s): 80;" in result.reason
    assert "the state claims 1,000" in result.reason


def test_count_figures_are_cumulative_so_only_each_owners_latest_counts():
    evidence = [
        obs("hrw", date(2026, 1, 1), value=50),
        obs("hrw", date(2026, 1, 11), value=120),
        obs("nkdb", date(2026, 1, 2), value=80),
        obs("nkdb", date(2026, 1, 12), value=150),
        obs("kcna", date(2026, 1, 3), value=1000),
        obs("kcna", date(2026, 1, 13), value=3000),
    ]
    result = run(ind(IndicatorKind.COUNT), evidence)
    assert "confirmed by 2 independent owner(s): 120;" in result.reason
    assert "the state claims 3,000" in result.reason


def test_unknown_source_is_named():
    with pytest.raises(NotFound, match="ghost"):
        run(ind(), [obs("ghost", date(2026, 1, 1))])


def est(on, estimate, lower, upper, population="kwanliso-15"):
    return EstimateResult(
        population, "loglinear", estimate, lower, upper, 100, ("A", "B"), as_of=on
    )


def estimate_indicator(max_upper=None):
    return ind(IndicatorKind.ESTIMATE, population="kwanliso-15", max_upper=max_upper)


def test_estimate_below_bound_verifies():
    latest = est(date(2026, 1, 1), 300, 200, 450)
    result = run(estimate_indicator(max_upper=500), [], [latest])
    assert result.status is Status.VERIFIED
    assert result.estimate_ids == (estimate_id(latest),)
    assert "200-450" in result.reason


def test_estimate_significant_fall_is_partial():
    old = est(date(2024, 1, 1), 40000, 35000, 46000)
    new = est(date(2026, 1, 1), 20000, 15000, 26000)
    other = est(date(2026, 1, 2), 5, 1, 9, population="elsewhere")
    result = run(estimate_indicator(max_upper=100), [], [new, old, other])
    assert result.status is Status.PARTIAL
    assert set(result.estimate_ids) == {estimate_id(old), estimate_id(new)}


def test_estimate_overlapping_intervals_is_no_progress():
    old = est(date(2024, 1, 1), 40000, 30000, 50000)
    new = est(date(2026, 1, 1), 38000, 29000, 47000)
    assert run(estimate_indicator(), [], [old, new]).status is Status.NO_PROGRESS


def test_estimate_after_as_of_is_ignored():
    future = est(date(2027, 1, 1), 10, 5, 15)
    result = run(estimate_indicator(max_upper=100), [], [future])
    assert result.status is Status.NO_PROGRESS
    assert "no estimate" in result.reason


@pytest.mark.parametrize("seed", range(20))
def test_first_verification_date_is_that_of_the_first_prefix_meeting_the_rule(seed):
    rng = random.Random(seed)
    rule = VerificationRule(
        min_independent=rng.randint(1, 4),
        requires_monitor=rng.random() < 0.5,
        requires_physical=rng.random() < 0.3,
    )
    names = [s for s in SOURCES if SOURCES[s].kind is not SourceKind.STATE_CLAIM]
    qualifying = [
        obs(rng.choice(names), date(2020, 1, 1) + timedelta(days=i))
        for i in range(rng.randint(0, 12))
    ]
    prefix = next(
        (
            o.observed_on
            for k, o in enumerate(qualifying)
            if meets_rule(qualifying[: k + 1], SOURCES, rule)
        ),
        None,
    )
    assert verified_on(qualifying, SOURCES, rule) == prefix
