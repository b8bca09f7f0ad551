"""The chain on both databases: evidence -> link -> estimate -> assess, and the
statuses follow from the stored observations (remove evidence, the status moves)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import delete

from rightsledger.assess import assess_all
from rightsledger.chain import diff, run_assess, run_estimate, run_link
from rightsledger.demo import assessment_dates, store_scenario, yearly_populations
from rightsledger.domain import Origin, Status
from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.store.tables import ObservationRow, RunRow

REAL_UNTIL = date(2026, 11, 27)
CONFIG = replace(ScenarioConfig(), years=3)


@pytest.fixture
def scenario():
    return simulate(CONFIG, 11)


@pytest.fixture
def loaded(ledger, scenario):
    store_scenario(ledger, scenario)
    return ledger


def test_real_baseline_statuses_come_from_the_catalogue(ledger):
    timeline = run_assess(ledger, [REAL_UNTIL])
    catalogue = ledger.catalogue()
    got = {a.benchmark_id: a.status for a in timeline[REAL_UNTIL]}
    assert got == {b.id: b.baseline.status for b in catalogue.benchmarks}
    assert not any(a.simulated for a in timeline[REAL_UNTIL])


def test_the_whole_chain_runs_and_is_stored(loaded, scenario):
    link = run_link(loaded)
    assert link.records == len(scenario.records)
    assert 0 < link.persons < link.records
    est = run_estimate(loaded, yearly_populations(CONFIG))
    assert len(est.results) + len(est.skipped) == CONFIG.years
    for r in est.results:
        assert r.lower <= r.estimate <= r.upper
        assert r.estimate >= r.observed
    dates = assessment_dates(REAL_UNTIL, CONFIG)
    timeline = run_assess(loaded, dates)
    assert list(timeline) == sorted(dates)
    assert loaded.latest_assessments() == timeline
    with loaded.sessions.read() as s:
        steps = sorted(r.step for r in s.query(RunRow))
        assert steps == ["assess", "estimate", "link"]
        assert all(r.inputs_hash and r.software_version for r in s.query(RunRow))
    assert loaded.verify() == []


def test_stored_statuses_are_rederived_from_stored_observations(loaded):
    run_link(loaded)
    run_estimate(loaded, yearly_populations(CONFIG))
    end = date(CONFIG.start.year + CONFIG.years - 1, 12, 31)
    stored = run_assess(loaded, [end])[end]
    again = assess_all(
        loaded.catalogue(),
        loaded.observations(),
        loaded.sources(),
        loaded.estimates(),
        end,
    )
    assert again == stored
    every_id = {o.id for o in loaded.observations()}
    for a in stored:
        assert set(a.observation_ids) <= every_id


def test_removing_the_icrc_evidence_moves_the_status_back(loaded):
    end = date(CONFIG.start.year + CONFIG.years - 1, 12, 31)
    before = {a.benchmark_id: a for a in run_assess(loaded, [end])[end]}
    icrc = before["icrc-detention-access"]
    assert icrc.status is not Status.NO_PROGRESS
    assert icrc.simulated
    with loaded.sessions.transaction() as s:
        s.execute(
            delete(ObservationRow).where(
                ObservationRow.indicator_key.like("icrc-detention-access/%"),
                ObservationRow.origin == Origin.SIMULATED.value,
            )
        )
    after = {a.benchmark_id: a for a in run_assess(loaded, [end])[end]}
    assert after["icrc-detention-access"].status is Status.NO_PROGRESS
    assert not after["icrc-detention-access"].simulated


def test_diff_names_the_observations_that_changed_a_status(loaded):
    end = date(CONFIG.start.year + CONFIG.years - 1, 12, 31)
    changes = {c.benchmark_id: c for c in diff(loaded, REAL_UNTIL, end)}
    assert "icrc-detention-access" in changes
    change = changes["icrc-detention-access"]
    assert change.before is Status.NO_PROGRESS
    stored = {o.id: o for o in loaded.observations()}
    assert change.added
    assert all(stored[oid].origin is Origin.SIMULATED for oid in change.added)
