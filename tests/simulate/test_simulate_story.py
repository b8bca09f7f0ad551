from collections import defaultdict
from datetime import date

import pytest

from rightsledger.assess import assess_all
from rightsledger.catalogue import load_catalogue
from rightsledger.domain import Origin, Stance, Status
from rightsledger.simulate import INDICATOR_KEYS

ALLOWED = {
    "icrc-detention-access/icrc-agreement",
    "icrc-detention-access/icrc-visit",
    "icrc-detention-access/icrc-coverage",
    "special-rapporteur-access/sr-invitation",
    "special-rapporteur-access/sr-visit",
    "special-rapporteur-access/sr-dialogue",
    "release-political-prisoners/verified-releases",
    "release-political-prisoners/amnesty-law",
    "dismantle-political-prison-camps/camp-deactivated",
    "dismantle-political-prison-camps/acknowledge-camps",
    "end-forced-labour/overseas-workers",
    "un-presence-and-civil-society/intl-staff-return",
    "humanitarian-aid-monitoring/monitoring-agreement",
    "humanitarian-aid-monitoring/monitor-visits",
}


def test_indicator_keys_exist_in_the_catalogue():
    keys = {i.key for b in load_catalogue().benchmarks for i in b.indicators}
    assert keys >= ALLOWED


def test_indicator_keys_are_the_agreed_ones(scenario):
    assert set(INDICATOR_KEYS) == ALLOWED
    assert {o.indicator_key for o in scenario.observations} == ALLOWED
    assert {t.key for t in scenario.truth.indicators} == ALLOWED


def test_observations_are_simulated_and_sourced(scenario):
    sources = {s.id for s in scenario.sources}
    config = scenario.config
    for o in scenario.observations:
        assert o.origin is Origin.SIMULATED
        assert o.source_id in sources
        assert config.start <= o.observed_on <= config.end
        assert o.summary.endswith(".")
    assert len({o.id for o in scenario.observations}) == len(scenario.observations)


def test_story_has_supports_and_contradicts(scenario):
    stances = {o.stance for o in scenario.observations}
    assert stances == {Stance.SUPPORTS, Stance.CONTRADICTS}


def _by(scenario, key):
    return [o for o in scenario.observations if o.indicator_key == key]


def test_camp_16_contested_and_camp_25_confirmed(scenario):
    owners = {s.id: s.owner for s in scenario.sources}
    obs = _by(scenario, "dismantle-political-prison-camps/camp-deactivated")
    camp16 = [o for o in obs if o.facility_id == "kwanliso-16"]
    assert any(
        o.stance is Stance.SUPPORTS and o.source_id == "sim-kcna" for o in camp16
    )
    against = [o for o in camp16 if o.stance is Stance.CONTRADICTS]
    assert len({owners[o.source_id] for o in against}) == 2
    camp25 = [o for o in obs if o.facility_id == "kwanliso-25"]
    assert len({owners[o.source_id] for o in camp25}) == 2
    assert all(o.stance is Stance.SUPPORTS for o in camp25)
    first, last = sorted(o.observed_on for o in camp25)
    assert (last - first).days >= 180


def test_regressions_come_after_support(scenario):
    for key in ("end-forced-labour/overseas-workers",
                "un-presence-and-civil-society/intl-staff-return"):  # fmt: skip
        obs = sorted(_by(scenario, key), key=lambda o: o.observed_on)
        stances = [o.stance for o in obs]
        assert stances[0] is Stance.SUPPORTS
        assert stances[-1] is Stance.CONTRADICTS


def test_release_counts_claimed_big_confirmed_small(scenario):
    obs = _by(scenario, "release-political-prisoners/verified-releases")
    values = defaultdict(list)
    for o in obs:
        assert o.value is not None and o.value > 0
        values[o.source_id].append(o.value)
    assert {"sim-kcna", "sim-icrc", scenario.config.lists[0].source_id} <= set(values)
    assert max(values["sim-icrc"]) < max(values["sim-kcna"])
    amnesty = _by(scenario, "release-political-prisoners/amnesty-law")
    assert {o.source_id for o in amnesty} == {"sim-kcna"}


def test_icrc_visits_name_facilities(scenario):
    visits = _by(scenario, "icrc-detention-access/icrc-visit")
    assert visits and all(o.facility_id in scenario.config.facilities for o in visits)


def test_truth_of_progress(scenario):
    assert "icrc-detention-access" in scenario.truth.progressed
    assert "end-forced-labour" not in scenario.truth.progressed


@pytest.fixture(scope="module")
def statuses(scenario):
    """Benchmark statuses of the scenario alone (no real baseline) per year end."""
    catalogue = load_catalogue()
    sources = {s.id: s for s in scenario.sources}
    out = {}
    for year in range(scenario.config.start.year, scenario.config.end.year + 1):
        day = date(year, 12, 31)
        got = assess_all(catalogue, scenario.observations, sources, (), day)
        out[year] = {
            a.benchmark_id: (
                a.status,
                {i.indicator_key: i.status for i in a.indicators},
            )
            for a in got
        }
    return out


def test_rapporteur_access_becomes_verified(statuses):
    sr = "special-rapporteur-access"
    assert statuses[2027][sr][0] is Status.PARTIAL
    assert statuses[2027][sr][1][sr + "/sr-dialogue"] is not Status.VERIFIED
    assert statuses[2028][sr][0] is Status.VERIFIED
    assert statuses[2031][sr][0] is Status.VERIFIED


def test_icrc_access_becomes_verified_in_a_later_year(statuses):
    icrc = "icrc-detention-access"
    assert statuses[2028][icrc][0] is Status.PARTIAL
    assert statuses[2029][icrc][0] is Status.VERIFIED
    assert statuses[2031][icrc][0] is Status.VERIFIED


def test_aid_monitor_visits_verified_detainees_never_reached(statuses):
    aid = "humanitarian-aid-monitoring"
    status, indicators = statuses[2031][aid]
    assert status is Status.PARTIAL
    assert indicators[aid + "/monitor-visits"] is Status.VERIFIED
    assert indicators[aid + "/detainees-reached"] is not Status.VERIFIED


def test_existing_beats_keep_their_statuses(statuses):
    final = statuses[2031]
    assert final["dismantle-political-prison-camps"][0] is Status.CONTESTED
    assert final["end-forced-labour"][0] is Status.REGRESSED
    assert final["un-presence-and-civil-society"][0] is Status.REGRESSED
    for key in ("end-forced-labour/overseas-workers",
                "un-presence-and-civil-society/intl-staff-return"):  # fmt: skip
        benchmark = key.split("/")[0]
        assert statuses[2028][benchmark][1][key] is Status.VERIFIED
        assert final[benchmark][1][key] is Status.REGRESSED
    release = final["release-political-prisoners"][1]
    assert release["release-political-prisoners/amnesty-law"] is Status.CLAIMED


def test_coverage_and_monitor_visits_carry_values(scenario):
    (coverage,) = _by(scenario, "icrc-detention-access/icrc-coverage")
    assert coverage.source_id == "sim-icrc"
    assert coverage.value == 50.0
    visits = _by(scenario, "humanitarian-aid-monitoring/monitor-visits")
    assert len(visits) == 3
    assert all(o.value and o.value > 0 for o in visits)
