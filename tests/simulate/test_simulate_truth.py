from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest

from rightsledger.domain import Origin, SourceKind
from rightsledger.simulate import EventKind, ScenarioConfig, simulate
from rightsledger.simulate.lists import list_window
from rightsledger.simulate.population import census_dates


def test_same_seed_same_scenario(scenario):
    again = simulate(ScenarioConfig(), seed=7)
    assert again == scenario


def test_different_seed_differs(scenario):
    other = simulate(ScenarioConfig(), seed=8)
    assert other.records != scenario.records
    assert other.truth.events != scenario.truth.events


def test_every_record_maps_to_a_true_person(scenario):
    persons = {p.id for p in scenario.truth.persons}
    person_of = scenario.truth.person_of
    assert len(person_of) == len(scenario.records)
    assert len({r.record_id for r in scenario.records}) == len(scenario.records)
    for record in scenario.records:
        assert person_of[record.record_id] in persons


def test_populations_add_up_from_events(scenario):
    truth, config = scenario.truth, scenario.config
    first, *ends = census_dates(config)
    for facility in config.facilities:
        count = truth.population(facility, first)
        events = iter(truth.events)
        pending = next(events, None)
        for end in ends:
            while pending is not None and pending.on <= end:
                count += pending.to_facility == facility
                count -= pending.from_facility == facility
                pending = next(events, None)
            assert truth.population(facility, end) == count


def test_closed_camp_is_empty_after_closure(scenario):
    config = scenario.config
    closure = config.closure_date
    assert closure is not None
    later = [d for d in census_dates(config) if d > closure]
    assert later
    assert all(scenario.truth.population("kwanliso-25", d) == 0 for d in later)
    assert scenario.truth.population("kwanliso-16", later[0]) > 0


def test_releases_rise_after_the_deal(scenario):
    deal = scenario.config.deal_signed
    releases = [e for e in scenario.truth.events if e.kind is EventKind.RELEASE]
    before = sum(e.on < deal for e in releases)
    assert len(releases) - before > 10 * max(before, 1)
    kinds = Counter(e.kind for e in scenario.truth.events)
    assert set(kinds) == set(EventKind)


def test_records_lie_inside_detention_and_window(scenario):
    persons = {p.id: p for p in scenario.truth.persons}
    windows = {
        s.source_id: list_window(s, scenario.config) for s in scenario.config.lists
    }
    person_of = scenario.truth.person_of
    for r in scenario.records:
        opens, closes = windows[r.source_id]
        assert opens <= r.seen_from <= r.seen_to <= closes
        stays = persons[person_of[r.record_id]].stays
        assert any(
            s.start <= r.seen_from
            and (s.end is None or r.seen_to <= s.end)
            and r.facility_id in (None, s.facility_id)
            for s in stays
        ), r


def test_fates_match_truth(scenario):
    persons = {p.id: p for p in scenario.truth.persons}
    fates = Counter(r.fate for r in scenario.records)
    assert {"detained", "released", "dead"} <= set(fates)
    for r in scenario.records:
        if r.fate == "detained":
            continue
        reasons = {
            s.end_reason for s in persons[scenario.truth.person_of[r.record_id]].stays
        }
        assert (EventKind.DEATH if r.fate == "dead" else EventKind.RELEASE) in reasons


def test_sources(scenario):
    ids = [s.id for s in scenario.sources]
    assert len(ids) == len(set(ids))
    assert all(s.origin is Origin.SIMULATED for s in scenario.sources)
    by_kind = defaultdict(set)
    for s in scenario.sources:
        by_kind[s.kind].add(s.owner)
    assert by_kind[SourceKind.STATE_CLAIM] == {"DPRK government"}
    assert by_kind[SourceKind.ICRC_STATEMENT] == {"ICRC"}
    assert "UN" in by_kind[SourceKind.UN_REPORT]
    assert len(by_kind[SourceKind.IMAGERY_ANALYSIS]) == 2
    lists = [
        s for s in scenario.sources if s.id in {r.source_id for r in scenario.records}
    ]
    assert len(lists) == scenario.config.n_lists
    assert len({s.owner for s in lists}) == len(lists)


def test_deal(scenario):
    deal = scenario.deal
    assert "hypothetical" in deal.title
    assert deal.signed_on == scenario.config.deal_signed
    covered = {b for c in deal.clauses for b in c.covers}
    assert "icrc-detention-access" in covered
    assert any(not c.covers for c in deal.clauses)


def test_small_and_odd_configs_run():
    config = ScenarioConfig(
        years=1, n_lists=6, initial_population={"kwanliso-14": 50}, closed_facility=None
    )
    s = simulate(config, seed=1)
    expected = dict.fromkeys(config.facilities, 300) | {"kwanliso-14": 50}
    assert s.config.population == expected
    assert {r.source_id for r in s.records} == {x.source_id for x in config.lists}
    assert all(o.observed_on <= config.end for o in s.observations)


@pytest.mark.parametrize(
    "changes",
    [{"n_lists": 0}, {"n_lists": 7}, {"years": 0}, {"deal_signed": date(2026, 1, 1)},
     {"capture_probabilities": (0.2,)}],
)  # fmt: skip
def test_config_validation(changes):
    with pytest.raises(ValueError):
        replace(ScenarioConfig(), **changes)


def test_end_date():
    assert ScenarioConfig().end == date(2031, 12, 31)
    assert ScenarioConfig(years=1).end == date(2027, 1, 1) + timedelta(days=364)
