"""Jobs: progress throttled, failures recorded safely, interrupted jobs found,
start and end in the custody log, and no name in any job's row."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from rightsledger.access import Permission
from rightsledger.chain import run_link
from rightsledger.demo import store_scenario
from rightsledger.domain import Role
from rightsledger.errors import EstimationError, Forbidden, InputError, InputErrors
from rightsledger.jobs import Jobs, JobWorker, describe_failure
from rightsledger.jobs.failures import REFUSED, UNEXPECTED
from rightsledger.jobs.summaries import link_result
from rightsledger.jobs.terminal import run_here
from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.store import job_rows
from rightsledger.store.tables import JobRow

SMALL = ScenarioConfig(
    years=1,
    facilities=("kwanliso-14", "kwanliso-16"),
    initial_population={"kwanliso-14": 120, "kwanliso-16": 120},
    arrests_per_month_before=4,
    arrests_per_month_after=2,
    closed_facility=None,
    receiving_facility=None,
)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def job_updates(ledger):
    """Counts the UPDATEs of the jobs table (progress and ends)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE JOBS"):
            seen.append(statement)

    event.listen(ledger.engine, "before_cursor_execute", count)
    yield seen
    event.remove(ledger.engine, "before_cursor_execute", count)


def _row(ledger, job_id) -> JobRow:
    with ledger.sessions.read() as s:
        row = job_rows.get(s, job_id)
        assert row is not None
        return row


def test_progress_is_written_at_most_twice_a_second(ledger, job_updates):
    fake = FakeClock()
    jobs = Jobs(ledger, monotonic=fake, heartbeat=3600)
    seen_at_stage: list[str] = []

    def run(progress):
        for i in range(1, 1001):  # 1000 ticks over two seconds
            fake.t += 0.002
            progress(i, 1000)
        ticks = len(job_updates)
        progress(1000, 1000, "second stage")  # a new stage is written at once
        assert len(job_updates) == ticks + 1
        seen_at_stage.append(_all_rows(ledger)[0].message)
        progress(1000, 1000, "second stage")  # the same stage, too soon: not
        assert len(job_updates) == ticks + 1
        return {"ticks": 1000}

    job_id = jobs.start("import", run, needs=Permission.RUN_ANALYSIS)
    # the first tick, one per half second over two seconds, the stage, the end
    assert 4 <= len(job_updates) <= 7
    assert seen_at_stage == ["second stage"]
    row = _row(ledger, job_id)
    assert (row.state, row.done, row.total, row.result) == (
        "done",
        1000,
        1000,
        {"ticks": 1000},
    )
    assert row.finished_at is not None


def test_a_failure_is_recorded_with_our_message_only(ledger):
    jobs = Jobs(ledger, heartbeat=3600)

    def bad_rows(progress):
        progress(10, 100, "reading")
        raise InputErrors(
            [
                InputError(
                    "'Kim Chol-su' is not a whole number",
                    file="kim-chol-su.csv",
                    row=3,
                    field="birth_year",
                ),
                InputError("unknown source 'lists-of-kim'", file="kim-chol-su.csv"),
            ]
        )

    with pytest.raises(InputErrors):
        jobs.start("import", bad_rows, needs=Permission.WRITE_EVIDENCE)
    (row,) = _all_rows(ledger)
    assert row.state == "failed"
    assert row.message.splitlines() == [
        "2 problems in the input:",
        "- row 3, birth_year: '…' is not a whole number",
        "- unknown source '…'",
    ]
    assert "Kim" not in row.message and "kim" not in row.message
    assert (row.done, row.total) == (10, 100)

    def crash(_progress):
        raise RuntimeError("Kim Chol-su broke it")

    with pytest.raises(RuntimeError):
        jobs.start("link", crash, needs=Permission.RUN_ANALYSIS)
    crashed = [r for r in _all_rows(ledger) if r.kind == "link"]
    assert [r.message for r in crashed] == [UNEXPECTED]
    assert "Traceback" not in UNEXPECTED


def test_describe_failure_keeps_no_value_and_no_file():
    assert describe_failure(EstimationError("unknown method 'x'")) == (
        "unknown method '…'"
    )
    assert describe_failure(Forbidden("user 'a' may not import Kim.csv")) == REFUSED
    assert describe_failure(KeyboardInterrupt()).startswith("interrupted")
    one = InputError('bad value "Ri Young-ho"', file="ri.csv", row=2)
    assert describe_failure(one) == "row 2: bad value '…'"


def _all_rows(ledger) -> list[JobRow]:
    with ledger.sessions.read() as s:
        return list(s.scalars(select(JobRow).order_by(JobRow.started_at)))


def test_a_job_left_running_by_a_dead_process_is_marked_interrupted(ledger):
    now = ledger.now()
    with ledger.sessions.transaction() as s:
        for job_id, at in (("old", now - timedelta(hours=1)), ("young", now)):
            job_rows.add(
                s, job_id=job_id, kind="link", actor="test", state="running", at=at
            )
    jobs = Jobs(ledger, stale_after=timedelta(minutes=5))
    assert jobs.recover_interrupted() == ["old"]
    old, young = jobs.get("old"), jobs.get("young")
    assert old.state == "failed" and old.interrupted
    assert old.message.startswith("interrupted: no sign of life since")
    assert old.finished_at is not None
    assert young.state == "running" and not young.interrupted
    entries = [e for e in ledger.custody() if e.action == "job-interrupted"]
    assert [(e.target, e.detail) for e in entries] == [("old", {"kind": "link"})]
    assert jobs.recover_interrupted() == []  # marked once


def test_start_and_end_are_in_custody_and_ticks_are_not(ledger):
    before = len(ledger.custody())
    fake = FakeClock()
    jobs = Jobs(ledger, monotonic=fake, heartbeat=3600)

    def run(progress):
        for i in range(50):
            fake.t += 1.0  # every tick is written
            progress(i, 50, f"stage {i % 3}")
        return {"ok": True}

    job_id = jobs.start("estimate", run, needs=Permission.RUN_ANALYSIS)
    new = ledger.custody()[before:]
    assert [(e.action, e.target, e.detail) for e in new] == [
        ("job-start", job_id, {"kind": "estimate"}),
        ("job-done", job_id, {"kind": "estimate"}),
    ]
    assert ledger.verify() == []


def test_a_refused_job_is_never_recorded(open_as):
    viewer = open_as(Role.VIEWER)
    with pytest.raises(Forbidden):
        Jobs(viewer).start("link", lambda _p: {}, needs=Permission.RUN_ANALYSIS)
    with viewer.sessions.read() as s:
        assert s.scalars(select(JobRow)).all() == []


def test_users_see_their_own_jobs_and_admins_everyones(ledger, open_as):
    analyst = open_as(Role.ANALYST)
    other = open_as(Role.INVESTIGATOR)
    mine = Jobs(analyst).start("link", lambda _p: {}, needs=Permission.RUN_ANALYSIS)
    theirs = Jobs(other).start("link", lambda _p: {}, needs=Permission.RUN_ANALYSIS)
    assert [j.id for j in Jobs(analyst).list()] == [mine]
    assert {j.id for j in Jobs(ledger).list()} == {mine, theirs}  # test is admin
    with pytest.raises(Exception, match="no job"):
        Jobs(analyst).get(theirs)


def test_a_background_job_runs_on_the_worker(ledger):
    def run(progress):
        progress(1, 2, "half")
        return {"n": 2}

    worker = JobWorker()
    try:
        jobs = Jobs(ledger, worker=worker)
        job_id = jobs.start("link", run, needs=Permission.RUN_ANALYSIS)
    finally:
        worker.shutdown(wait=True)
    job = jobs.get(job_id)
    assert (job.state, job.result, job.done, job.total) == ("done", {"n": 2}, 2, 2)


def test_no_name_in_any_job_row_after_a_link_job(ledger):
    scenario = simulate(SMALL, seed=3)
    store_scenario(ledger, scenario)
    stages: list[str] = []

    def work(progress):
        def both(done, total=None, message=None):
            if message:
                stages.append(message)
            progress(done, total, message)

        return link_result(run_link(ledger, progress=both))

    job_id = run_here(ledger, "link", work, needs=Permission.RUN_ANALYSIS)
    job = Jobs(ledger).get(job_id)
    assert job.state == "done"
    assert job.result["records"] == len(scenario.records)
    assert stages[0] == "reading records" and stages[-1] == "storing the run"
    rows = _all_rows(ledger)
    blob = json.dumps(
        [[r.kind, r.actor, r.state, r.message, r.result] for r in rows],
        ensure_ascii=False,
    )
    names = {r.full_name for r in scenario.records if r.full_name}
    assert names
    assert [n for n in names if n in blob] == []
