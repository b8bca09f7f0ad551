"""The :class:`Jobs` component: start, run, record and read jobs (see
:mod:`rightsledger.jobs.core` for the rules)."""

from __future__ import annotations

import builtins
import json
import logging
import math
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import OperationalError

from ..access import Permission
from ..domain import Role
from ..errors import ConfigError, NotFound
from ..ledger import Ledger
from ..store import job_rows
from ..store.job_rows import DONE, FAILED, QUEUED, RUNNING
from .core import LIVE, Job, JobRun, JobWorker, ProgressFn
from .failures import INTERRUPTED, UNEXPECTED, describe_failure

log = logging.getLogger("rightsledger.jobs")

#: Seconds after a failed (busy) progress write before the next try.
BUSY_BACKOFF = 2.0


class _Recorder:
    """The progress function a job's ``run`` gets: passes every tick to the
    terminal (``echo``) and to this process's live view, and writes the row at
    most once per ``interval`` seconds, or at once when the stage changes."""

    def __init__(
        self,
        jobs: Jobs,
        job_id: str,
        echo: ProgressFn | None,
    ) -> None:
        self.jobs, self.job_id, self.echo = jobs, job_id, echo
        self.done = 0
        self.total: int | None = None
        self.message = ""
        self._lock = threading.Lock()
        self._written_at = -math.inf
        self._written_message = ""
        self._not_before = -math.inf

    def __call__(
        self, done: int, total: int | None = None, message: str | None = None
    ) -> None:
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        if message is not None:
            self.message = message
        if self.echo is not None:
            self.echo(self.done, self.total, self.message)
        LIVE.set(self.job_id, self.done, self.total, self.message)
        now = self.jobs.monotonic()
        if now < self._not_before:
            return
        new_stage = self.message != self._written_message
        if new_stage or now - self._written_at >= self.jobs.interval:
            self.write(now)

    def write(self, now: float) -> None:
        """Write the row now (or, when the database is busy, later)."""
        with self._lock:
            message = self.message
            try:
                job_rows.write_progress(
                    self.jobs.ledger.engine,
                    self.job_id,
                    done=self.done,
                    total=self.total,
                    message=message,
                    at=self.jobs.ledger.now(),
                )
            except OperationalError:
                self._not_before = now + BUSY_BACKOFF
                return
            self._written_at, self._written_message = now, message


class _Heartbeat:
    """Refreshes a running job's row every ``seconds`` (see the rule in
    :mod:`rightsledger.jobs.core`)."""

    def __init__(self, recorder: _Recorder, seconds: float) -> None:
        self._recorder, self._seconds = recorder, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name="rl-job-heartbeat", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self._seconds):
            try:
                self._recorder.write(self._recorder.jobs.monotonic())
            except Exception as e:  # noqa: BLE001 - a missed beat is no failure
                log.warning("job heartbeat missed: %s", type(e).__name__)


def _plain(result: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(result, default=str))
    return plain


class Jobs:
    """Jobs of one ledger, acting as its user.

    Args:
        ledger: The ledger, acting as the user who starts or reads jobs.
        worker: Runs jobs in the background (the web app); without one,
            :meth:`start` runs the job in the calling thread (the CLI).
        monotonic: The clock of the progress throttle (tests pass a fake one).
        interval: Least seconds between two progress writes of one stage.
        heartbeat: Seconds between two signs of life of a running job.
        stale_after: How old a running job's last sign of life may be before a
            new process counts it as interrupted.
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        worker: JobWorker | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        interval: float = 0.5,
        heartbeat: float = 30.0,
        stale_after: timedelta = timedelta(minutes=5),
    ) -> None:
        self.ledger = ledger
        self.worker = worker
        self.monotonic = monotonic
        self.interval = interval
        self.heartbeat = heartbeat
        self.stale_after = stale_after

    def start(
        self,
        kind: str,
        run: JobRun,
        *,
        needs: Permission,
        target: str = "",
        echo: ProgressFn | None = None,
    ) -> str:
        """Record a new job and run it: here (no worker; its error is raised
        after it is recorded) or on the worker (the error is only recorded).

        Args:
            kind: ``import``, ``link`` or ``estimate``.
            run: The work; returns a plain summary (no identity) for the record.
            needs: The permission the work needs, checked before anything is
                recorded (a refusal is logged by the façade, and no job is made).
            target: What the permission check names (default: the kind).
            echo: Also gets every progress tick, unthrottled (a progress bar).

        Returns:
            The job's id.

        Raises:
            Forbidden: the user may not do this.
            ConfigError: the database is busy with another write.
        """
        self.ledger.require(needs, target or kind)
        job_id = uuid.uuid4().hex
        state = QUEUED if self.worker is not None else RUNNING
        try:
            with self.ledger.sessions.transaction() as s:
                job_rows.add(
                    s,
                    job_id=job_id,
                    kind=kind,
                    actor=self.ledger.actor.name,
                    state=state,
                    at=self.ledger.now(),
                )
                # the façade's own custody writer: the entry lands with the row
                self.ledger._log(s, "job-start", job_id, {"kind": kind})
        except OperationalError as e:
            raise ConfigError(
                "the database is busy with another write (an import?); try again "
                "when it has finished"
            ) from e
        recorder = _Recorder(self, job_id, echo)
        if self.worker is None:
            self._execute(job_id, kind, run, recorder, reraise=True)
        else:
            self.worker.submit(
                lambda: self._execute(job_id, kind, run, recorder, reraise=False)
            )
        return job_id

    def _execute(
        self, job_id: str, kind: str, run: JobRun, recorder: _Recorder, reraise: bool
    ) -> None:
        try:
            with _Heartbeat(recorder, self.heartbeat):
                recorder(0)
                result = _plain(run(recorder))
        except BaseException as e:
            message = describe_failure(e)
            if message == UNEXPECTED:
                where = traceback.extract_tb(e.__traceback__)[-1:]
                place = f"{where[0].filename}:{where[0].lineno}" if where else "?"
                log.error("job %s failed: %s at %s", job_id, type(e).__name__, place)
            try:
                self._finish(job_id, kind, FAILED, message, {}, recorder)
            finally:
                LIVE.drop(job_id)
            if reraise or not isinstance(e, Exception):
                raise
            return
        try:
            self._finish(job_id, kind, DONE, "finished", result, recorder)
        finally:
            LIVE.drop(job_id)

    def _finish(
        self,
        job_id: str,
        kind: str,
        state: str,
        message: str,
        result: dict[str, Any],
        recorder: _Recorder,
    ) -> None:
        done = recorder.total if state == DONE and recorder.total else recorder.done
        with self.ledger.sessions.transaction() as s:
            job_rows.finish(
                s,
                job_id,
                state=state,
                done=done,
                total=recorder.total,
                message=message,
                result=result,
                at=self.ledger.now(),
            )
            detail = {"kind": kind}
            self.ledger._log(s, f"job-{state}", job_id, detail)

    def recover_interrupted(self) -> builtins.list[str]:
        """Mark the jobs that lost their process as failed (interrupted); see
        the rule in :mod:`rightsledger.jobs.core`. A busy database is left for
        the next process to check.

        Returns:
            The ids of the jobs marked.
        """
        now = self.ledger.now()
        marked: builtins.list[str] = []
        try:
            with self.ledger.sessions.transaction() as s:
                for row in job_rows.stale(s, now - self.stale_after):
                    seen = row.updated_at.strftime("%Y-%m-%d %H:%M:%S")
                    job_rows.finish(
                        s,
                        row.id,
                        state=FAILED,
                        done=int(row.done),
                        total=None if row.total is None else int(row.total),
                        message=f"{INTERRUPTED}: no sign of life since {seen} UTC; "
                        "the process that ran it has stopped",
                        result={"interrupted": True},
                        at=now,
                    )
                    self.ledger._log(s, "job-interrupted", row.id, {"kind": row.kind})
                    marked.append(row.id)
        except OperationalError:
            log.warning("jobs not checked for interruption: the database is busy")
            return []
        return marked

    def _may_see_all(self) -> bool:
        return self.ledger.actor.role is Role.ADMIN

    def get(self, job_id: str) -> Job:
        """One job: the user's own, or any for an admin.

        Raises:
            Forbidden: the user may not read evidence.
            NotFound: no such job, or another user's.
        """
        self.ledger.require(Permission.READ_EVIDENCE, "jobs")
        with self.ledger.sessions.read() as s:
            row = job_rows.get(s, job_id)
            job = None if row is None else Job.of(row)
        if job is None or (
            job.actor != self.ledger.actor.name and not self._may_see_all()
        ):
            raise NotFound(f"no job {job_id[:40]!r}")
        return LIVE.over(job)

    def list(
        self, actor: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> builtins.list[Job]:
        """Jobs newest first: the user's own; an admin's choice of one user's
        (``actor``) or everyone's (None).

        Raises:
            Forbidden: the user may not read evidence, or asks for another
                user's jobs without being an admin.
        """
        self.ledger.require(Permission.READ_EVIDENCE, "jobs")
        me = self.ledger.actor.name
        if not self._may_see_all():
            if actor not in (None, me):
                self.ledger.require(Permission.MANAGE_USERS, "other users' jobs")
            actor = me
        with self.ledger.sessions.read() as s:
            rows = job_rows.recent(s, actor, limit=limit, offset=offset)
            jobs = [Job.of(r) for r in rows]
        return [LIVE.over(j) for j in jobs]
