"""The ``jobs`` table: long operations and how far they have got.

Progress writes are frequent and never important: :func:`write_progress` waits at
most :data:`QUICK_BUSY_MS` for SQLite's write lock (an import holds it for its
whole transaction) and lets the caller try again later, instead of stalling the
job it reports on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from .tables import JobRow

#: States of a job, in the order a job goes through them.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
UNFINISHED = (QUEUED, RUNNING)

#: How long a progress write waits for SQLite's write lock (milliseconds).
QUICK_BUSY_MS = 100
#: The busy timeout every connection gets (see ``session._sqlite_pragmas``).
NORMAL_BUSY_MS = 5000


def add(
    session: Session, *, job_id: str, kind: str, actor: str, state: str, at: datetime
) -> None:
    session.add(
        JobRow(
            id=job_id,
            kind=kind,
            actor=actor,
            state=state,
            done=0,
            total=None,
            message="",
            started_at=at,
            updated_at=at,
            finished_at=None,
            result={},
        )
    )
    session.flush()


def get(session: Session, job_id: str) -> JobRow | None:
    return session.get(JobRow, job_id)


def recent(
    session: Session, actor: str | None, *, limit: int, offset: int = 0
) -> Sequence[JobRow]:
    """Jobs newest first, of one user or (``actor=None``) of everyone."""
    query = select(JobRow).order_by(JobRow.started_at.desc(), JobRow.id)
    if actor is not None:
        query = query.where(JobRow.actor == actor)
    return list(session.scalars(query.limit(limit).offset(offset)))


def finish(
    session: Session,
    job_id: str,
    *,
    state: str,
    done: int,
    total: int | None,
    message: str,
    result: dict[str, Any],
    at: datetime,
) -> None:
    """Record how a job ended (whatever an earlier write said)."""
    session.execute(
        update(JobRow)
        .where(JobRow.id == job_id)
        .values(
            state=state,
            done=done,
            total=total,
            message=message,
            result=result,
            updated_at=at,
            finished_at=at,
        )
    )


def stale(session: Session, before: datetime) -> Sequence[JobRow]:
    """Unfinished jobs whose last sign of life is older than ``before``."""
    query = select(JobRow).where(
        JobRow.state.in_(UNFINISHED), JobRow.updated_at < before
    )
    return list(session.scalars(query.order_by(JobRow.started_at)))


def write_progress(
    engine: Engine,
    job_id: str,
    *,
    done: int,
    total: int | None,
    message: str,
    at: datetime,
) -> None:
    """Set a running job's progress (and its sign of life) in a short transaction
    of its own; an ended job is left as it is.

    Raises:
        sqlalchemy.exc.OperationalError: SQLite's write lock was not free within
            :data:`QUICK_BUSY_MS`.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={QUICK_BUSY_MS}")
        try:
            conn.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.finished_at.is_(None))
                .values(
                    state=RUNNING,
                    done=done,
                    total=total,
                    message=message,
                    updated_at=at,
                )
            )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={NORMAL_BUSY_MS}")
