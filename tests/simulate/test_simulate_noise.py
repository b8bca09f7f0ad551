import math
from collections import Counter

from rightsledger.names import is_hangul, name_key
from rightsledger.simulate import ScenarioConfig, simulate


def _share(flags):
    flags = list(flags)
    return sum(flags) / len(flags), len(flags)


def _close(observed, expected, n, sigmas=4.0):
    return abs(observed - expected) <= sigmas * math.sqrt(expected * (1 - expected) / n)


def test_all_scripts_appear_at_their_rates(scenario):
    config = scenario.config
    scripts = Counter(t.script for t in scenario.truth.records)
    n = sum(scripts.values())
    scripts_in_order = ("hangul", "rr", "mr", "mr-plain")
    for script, weight in zip(scripts_in_order, config.script_weights, strict=True):
        assert _close(scripts[script] / n, weight / sum(config.script_weights), n)
    names = [r.full_name for r in scenario.records]
    assert any(is_hangul(x) for x in names)
    assert any("ŏ" in x or "ŭ" in x for x in names)
    assert any(x.isascii() for x in names)


def test_order_swaps_and_north_forms(scenario):
    config = scenario.config
    roman = [t for t in scenario.truth.records if t.script != "hangul"]
    share, n = _share(t.family_last for t in roman)
    assert _close(share, config.family_last_rate, n)
    share, n = _share(t.north_form for t in scenario.truth.records)
    assert _close(share, config.north_form_rate, n)


def test_birth_year_noise(scenario):
    config = scenario.config
    persons = {p.id: p for p in scenario.truth.persons}
    meta = {t.record_id: t for t in scenario.truth.records}
    for r in scenario.records:
        truth = persons[meta[r.record_id].person_id].birth_year
        noise = meta[r.record_id].birth_year_noise
        if noise == "missing":
            assert r.birth_year is None
        else:
            assert r.birth_year is not None
            assert abs(r.birth_year - truth) == (noise == "off-by-one")
    share, n = _share(r.birth_year is None for r in scenario.records)
    assert _close(share, config.missing_birth_year_rate, n)


def test_name_key_links_most_records_of_one_person(scenario):
    persons = {p.id: p for p in scenario.truth.persons}
    person_of = scenario.truth.person_of
    hits = [
        name_key(r.full_name) == name_key(persons[person_of[r.record_id]].name)
        for r in scenario.records
    ]
    assert sum(hits) / len(hits) > 0.95


def _overlap_ratio(scenario, a, b):
    person_of = scenario.truth.person_of
    lists = [s.source_id for s in scenario.config.lists]
    on = {
        sid: {person_of[r.record_id] for r in scenario.records if r.source_id == sid}
        for sid in lists
    }
    eligible = len(scenario.truth.persons)
    expected = len(on[lists[a]]) * len(on[lists[b]]) / eligible
    return len(on[lists[a]] & on[lists[b]]) / expected


def test_dependent_lists_overlap_more_than_independence(scenario):
    dependent = _overlap_ratio(scenario, 0, 1)
    assert dependent > 1.3
    assert dependent > _overlap_ratio(scenario, 0, 3)


def test_dependence_without_heterogeneity():
    config = ScenarioConfig(visibility_sd=0.0, years=2)
    s = simulate(config, seed=3)
    assert _overlap_ratio(s, 0, 1) > 1.2
    independent = ScenarioConfig(visibility_sd=0.0, dependence_sd=0.0, years=2)
    assert _overlap_ratio(simulate(independent, seed=3), 0, 1) < 1.15
