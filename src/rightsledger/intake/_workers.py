"""Worker processes, forked for one large import, that read and prepare its jobs
(see :mod:`._prepare`) while the import's own process writes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import suppress
from multiprocessing.queues import Queue
from typing import Any

from ._prepare import Job, Outcome, handle
from ._writer import Shape
from .kinds import Context, Kind
from .readers import RowFile

#: Workers run at a lower priority than the import's own process, which writes
#: every row and so sets the pace; they take the cores it leaves.
WORKER_NICENESS = 2


class Pool:
    """Worker processes that read and prepare jobs, forked for one import.

    Forked, they share the import's context (the cipher included) without it
    ever being written to a pipe; only rows (or CSV pieces) go out and prepared
    tuples come back. Outcomes are taken back in the order the jobs were sent,
    at most two per worker in flight, so memory stays flat. A worker dies with
    the import's process (see :func:`_die_with_parent`).
    """

    def __init__(
        self, n: int, kind: Kind, ctx: Context, shape: Shape, source: RowFile
    ) -> None:
        mp = multiprocessing.get_context("fork")
        self.jobs: Queue[tuple[int, Job] | None] = mp.Queue()
        self.results: Queue[tuple[int, Any]] = mp.Queue()
        self.procs = [
            mp.Process(
                target=_serve,
                args=(self.jobs, self.results, kind, ctx, shape, source, os.getpid()),
                daemon=True,
            )
            for _ in range(n)
        ]
        with warnings.catch_warnings():
            # Python 3.12 warns of fork() beside other threads (a progress bar's):
            # a worker only runs _serve, which takes none of their locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            for p in self.procs:
                p.start()

    def ordered(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        sent = taken = 0
        done: dict[int, Outcome] = {}
        try:
            for job in jobs:
                self.jobs.put((sent, job))
                sent += 1
                while sent - taken >= 2 * len(self.procs):
                    out = self._take(taken, done)
                    taken += 1
                    yield out
            while taken < sent:
                out = self._take(taken, done)
                taken += 1
                yield out
        finally:  # stopped early: collect what is in flight, so the pool is clean
            while taken < sent:
                with suppress(RuntimeError):
                    self._take(taken, done)
                taken += 1

    def _take(self, seq: int, done: dict[int, Outcome]) -> Outcome:
        while seq not in done:
            try:
                at, result = self.results.get(timeout=1.0)
            except queue.Empty:
                if not all(p.is_alive() for p in self.procs):
                    raise RuntimeError("an import worker process died") from None
                continue
            if isinstance(result, BaseException):
                raise result
            done[at] = result
        return done.pop(seq)

    def close(self) -> None:
        for _ in self.procs:
            self.jobs.put(None)
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
        for q in (self.jobs, self.results):
            q.cancel_join_thread()
            q.close()


def _serve(
    jobs: Queue[tuple[int, Job] | None],
    results: Queue[tuple[int, Any]],
    kind: Kind,
    ctx: Context,
    shape: Shape,
    source: RowFile,
    parent: int,
) -> None:
    """A worker's loop: handle each job until told to stop or orphaned."""
    _die_with_parent(parent)
    with suppress(OSError):  # the writer, alone, sets the pace: let it go first
        os.nice(WORKER_NICENESS)
    results.cancel_join_thread()  # never block on exit if the parent is gone
    while True:
        try:
            job = jobs.get(timeout=0.5)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if job is None:
            return
        seq, work = job
        try:
            results.put((seq, handle(kind, ctx, shape, source, work)))
        except Exception:  # noqa: BLE001 - raised again in the parent
            trace = traceback.format_exc()
            results.put((seq, RuntimeError(f"an import worker failed:\n{trace}")))


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this worker when the import's process dies, even while
    the worker waits inside a half-sent job (a pipe whose writing end it also
    holds never gives it an end of file). Elsewhere the worker's half-second
    poll of its parent is what ends it."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):  # no prctl: the poll remains
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(0)


_PR_SET_PDEATHSIG = 1
