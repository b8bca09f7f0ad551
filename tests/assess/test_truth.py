"""Statuses over time on the synthetic scenario agree with its known truth.

The truth (``Truth.indicators``) says what really happened to each indicator the
story touches; docs/simulate.md ("The story") says which status that should give
and on which year end it is first reached. Checked for several seeds, on the
scenario alone and with the catalogue's real baselines in front of it.
"""

from __future__ import annotations

from datetime import date

import pytest

from rightsledger.assess import assess_indicator
from rightsledger.catalogue import load_catalogue
from rightsledger.domain import Indicator, IndicatorAssessment, StandardOfProof, Status
from rightsledger.intake import citation_sources
from rightsledger.intake.catalogue_evidence import baseline_observations
from rightsledger.simulate import ScenarioConfig, simulate

V, R, C, K = Status.VERIFIED, Status.REGRESSED, Status.CLAIMED, Status.CONTESTED

BY_OUTCOME = {"achieved": V, "achieved-then-reversed": R, "not-achieved": C}
"""The status each true outcome implies (a state never verifies itself, so an
outcome that did not happen but is claimed stays ``claimed``)."""

PARTLY = {
    # verified means the figure comes from a source the rule accepts; the target
    # itself (all camps visited) is not met, which the figure shows (50%)
    "icrc-detention-access/icrc-coverage": V,
    # camp 25 closed (verified), camp 16 claimed closed but contradicted by imagery
    "dismantle-political-prison-camps/camp-deactivated": K,
    # visits made and verified; they fell later, which the figures show
    "humanitarian-aid-monitoring/monitor-visits": V,
}

STORY = {
    "icrc-detention-access/icrc-agreement": {2027: V},
    "icrc-detention-access/icrc-visit": {2027: V},
    "icrc-detention-access/icrc-coverage": {2029: V},
    "special-rapporteur-access/sr-invitation": {2027: V},
    "special-rapporteur-access/sr-visit": {2028: V},
    "special-rapporteur-access/sr-dialogue": {2028: V},
    "release-political-prisoners/verified-releases": {2027: Status.PARTIAL, 2028: V},
    "release-political-prisoners/amnesty-law": {2027: C},
    "dismantle-political-prison-camps/camp-deactivated": {2028: K},
    "dismantle-political-prison-camps/acknowledge-camps": {2028: V},
    "end-forced-labour/overseas-workers": {2028: V, 2030: R},
    "un-presence-and-civil-society/intl-staff-return": {2027: V, 2029: R},
    "humanitarian-aid-monitoring/monitoring-agreement": {2027: V},
    "humanitarian-aid-monitoring/monitor-visits": {2028: V},
}
"""docs/simulate.md: the year end on which each status is first reached."""

SEEDS = (1, 7, 2027)


def expected_status(key: str, outcome: str) -> Status:
    return PARTLY[key] if outcome == "partly-achieved" else BY_OUTCOME[outcome]


def expected_standard(indicator: Indicator, status: Status) -> StandardOfProof:
    """The rule's standard; a state claim alone reaches none.

    Regressions and contests come from two independent owners in the story, which
    every story rule with ``min_independent <= 2`` accepts at its own standard.
    """
    if status is Status.CLAIMED:
        return StandardOfProof.NONE
    assert indicator.rule.min_independent <= 2
    return indicator.rule.standard


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _timelines(catalogue, seed: int, with_baseline: bool):
    """Per story indicator: the truth and its assessment at every year end."""
    scenario = simulate(ScenarioConfig(), seed)
    sources = {s.id: s for s in [*citation_sources(catalogue), *scenario.sources]}
    observations = list(scenario.observations)
    if with_baseline:
        observations += baseline_observations(catalogue)
    indicators = {i.key: i for i in catalogue.indicators()}
    years = range(scenario.config.start.year, scenario.config.end.year + 1)
    out: dict[str, tuple[str, Indicator, dict[int, IndicatorAssessment]]] = {}
    for truth in scenario.truth.indicators:
        ind = indicators[truth.key]
        out[truth.key] = (
            truth.outcome,
            ind,
            {
                y: assess_indicator(ind, observations, sources, (), date(y, 12, 31))
                for y in years
            },
        )
    return out


@pytest.fixture(scope="module", params=SEEDS)
def timelines(request, catalogue):
    return _timelines(catalogue, request.param, with_baseline=False)


def test_every_story_indicator_has_a_truth(timelines):
    assert set(timelines) == set(STORY)


def test_final_status_is_what_the_truth_implies(timelines):
    for key, (outcome, ind, by_year) in timelines.items():
        final = by_year[max(by_year)]
        want = expected_status(key, outcome)
        assert final.status is want, (key, outcome, final.reason)
        assert final.standard is expected_standard(ind, want), (key, final.reason)


def test_statuses_reach_the_story_on_the_documented_year(timelines):
    for key, (_, _, by_year) in timelines.items():
        for year, status in STORY[key].items():
            assert by_year[year].status is status, (key, year, by_year[year].reason)
            if year - 1 in by_year:
                assert by_year[year - 1].status is not status, (key, year)


def test_a_reversal_was_verified_first_and_an_achievement_stays(timelines):
    for key, (outcome, _, by_year) in timelines.items():
        statuses = [by_year[y].status for y in sorted(by_year)]
        if outcome == "achieved-then-reversed":
            assert statuses.index(V) < statuses.index(R), key
        if outcome == "achieved":
            assert set(statuses[statuses.index(V) :]) == {V}, key


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_the_real_baseline_does_not_change_the_final_status(catalogue, seed):
    alone = _timelines(catalogue, seed, with_baseline=False)
    framed = _timelines(catalogue, seed, with_baseline=True)
    for key, (outcome, _, by_year) in framed.items():
        final = by_year[max(by_year)]
        assert final.status is expected_status(key, outcome), (key, final.reason)
        assert final == alone[key][2][max(by_year)], key
