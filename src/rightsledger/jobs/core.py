"""Jobs: long operations (import, link, estimate) recorded with their progress.

A job is a row in the ``jobs`` table: who started it, what kind, its state
(``queued``, ``running``, ``done``, ``failed``), how far it has got (``done`` of
``total``, and a message naming the stage), and, when it ends, a summary of its
result or the reason it failed. The command line runs a job in its own thread and
shows a progress bar; the web app hands it to a :class:`JobWorker` (one
background thread, so that SQLite sees one writer) and shows a job page.

Custody: the start and the end of every job are written to the custody log
(``job-start``, ``job-done``, ``job-failed``, ``job-interrupted``); progress is
not (it would add an entry per tick), and goes straight to the job's row, at most
once per ``interval`` (0.5 s: two writes a second) plus once per new stage.

What a job's row may hold: counts, ids, stage names, and our own error messages
made safe (:mod:`.failures`). Never an identity: a job's ``run`` returns a plain
summary, and the messages it reports are stage names, not data.

Interrupted jobs. While a job runs, its process refreshes the row's
``updated_at`` at every progress write and at least every ``heartbeat`` seconds
(30 s). A process that starts using the ledger (each CLI command that runs a job,
the web app's first job request) calls :meth:`Jobs.recover_interrupted`: every job
still ``queued`` or ``running`` whose ``updated_at`` is older than now minus
``stale_after`` (5 minutes, ten missed heartbeats) has lost its process, and is
marked ``failed`` with a message starting "interrupted". Should that process come
back after all, its end is written over the mark.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from ..store.job_rows import DONE, FAILED, RUNNING, UNFINISHED
from ..store.tables import JobRow
from .failures import INTERRUPTED

#: Kinds of job the ledger runs.
KINDS = ("import", "link", "estimate")


class ProgressFn(Protocol):
    """How a job reports progress: ``done`` of ``total`` (None: keep the last
    total; unknown until given), and the stage it is in (None: the same stage)."""

    def __call__(
        self, done: int, total: int | None = None, message: str | None = None
    ) -> None: ...


#: The work of a job: given a progress function, returns a plain summary.
JobRun = Callable[[ProgressFn], dict[str, Any]]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Job:
    """One job as stored (with live progress when it runs in this process)."""

    id: str
    kind: str
    actor: str
    state: str
    done: int
    total: int | None
    message: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """Queued or running: its page keeps polling."""
        return self.state in UNFINISHED

    @property
    def interrupted(self) -> bool:
        return self.state == FAILED and self.message.startswith(INTERRUPTED)

    @property
    def fraction(self) -> float | None:
        """How much is done, 0..1, or None while the total is unknown."""
        if self.state == DONE:
            return 1.0
        if not self.total:
            return None
        return max(0.0, min(1.0, self.done / self.total))

    def as_dict(self) -> dict[str, Any]:
        """The job as plain data (for a page and its JSON twin)."""
        fraction = self.fraction
        return {
            "id": self.id,
            "kind": self.kind,
            "actor": self.actor,
            "state": self.state,
            "interrupted": self.interrupted,
            "active": self.active,
            "done": self.done,
            "total": self.total,
            "percent": None if fraction is None else round(100 * fraction),
            "message": self.message,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
            "finished_at": (
                None
                if self.finished_at is None
                else self.finished_at.isoformat(timespec="seconds")
            ),
            "result": self.result,
        }

    @classmethod
    def of(cls, row: JobRow) -> Job:
        return cls(
            row.id,
            row.kind,
            row.actor,
            row.state,
            int(row.done),
            None if row.total is None else int(row.total),
            row.message,
            _aware(row.started_at),
            _aware(row.updated_at),
            None if row.finished_at is None else _aware(row.finished_at),
            dict(row.result or {}),
        )


class _Live:
    """Progress of the jobs running in this process, newer than their rows when
    a write had to wait (SQLite's lock is held by the import being reported)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[int, int | None, str]] = {}

    def set(self, job_id: str, done: int, total: int | None, message: str) -> None:
        with self._lock:
            self._jobs[job_id] = (done, total, message)

    def drop(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def over(self, job: Job) -> Job:
        with self._lock:
            live = self._jobs.get(job.id)
        if live is None or not job.active:
            return job
        done, total, message = live
        return Job(
            job.id,
            job.kind,
            job.actor,
            RUNNING,
            done,
            total,
            message,
            job.started_at,
            job.updated_at,
            None,
            job.result,
        )


LIVE = _Live()


class JobWorker:
    """One background thread that runs the web app's jobs, one after another."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-job")

    def submit(self, task: Callable[[], None]) -> Future[None]:
        return self._pool.submit(task)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=False)
