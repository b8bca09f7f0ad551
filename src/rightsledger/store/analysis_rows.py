"""Runs of the analysis steps and what they wrote: links, estimates, assessments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import (
    BenchmarkAssessment,
    Clustering,
    EstimateResult,
    IndicatorAssessment,
    Origin,
    StandardOfProof,
    Status,
)
from .catalogue_rows import plain
from .tables import AssessmentRow, EstimateRow, PersonLinkRow, RunRow


def start_run(
    session: Session,
    *,
    step: str,
    parameters: dict[str, Any],
    inputs_hash: str,
    seed: int | None,
    version: str,
    actor: str,
    at: datetime,
) -> str:
    run_id = uuid.uuid4().hex
    session.add(
        RunRow(
            id=run_id,
            step=step,
            started_at=at,
            parameters=plain(parameters),
            inputs_hash=inputs_hash,
            seed=seed,
            software_version=version,
            actor=actor,
        )
    )
    session.flush()
    return run_id


def latest_run(session: Session, step: str) -> RunRow | None:
    return session.scalars(
        select(RunRow)
        .where(RunRow.step == step)
        .order_by(RunRow.started_at.desc(), RunRow.id)
        .limit(1)
    ).first()


def save_clustering(session: Session, run_id: str, clustering: Clustering) -> None:
    session.add_all(
        PersonLinkRow(run_id=run_id, record_id=rid, person_id=pid)
        for rid, pid in sorted(clustering.assignment.items())
    )
    session.flush()


def load_clustering(session: Session, run: RunRow) -> Clustering:
    rows = session.scalars(select(PersonLinkRow).where(PersonLinkRow.run_id == run.id))
    return Clustering(
        assignment={r.record_id: r.person_id for r in rows},
        method=str(run.parameters.get("method", "")),
        parameters=dict(run.parameters),
    )


def save_estimates(
    session: Session, run_id: str, results: Iterable[EstimateResult], origin: Origin
) -> None:
    for r in results:
        session.add(
            EstimateRow(
                run_id=run_id,
                population=r.population,
                method=r.method,
                estimate=r.estimate,
                lower=r.lower,
                upper=r.upper,
                confidence=r.confidence,
                observed=r.observed,
                lists=list(r.lists),
                diagnostics=plain(r.diagnostics),
                as_of=r.as_of,
                origin=origin.value,
            )
        )
    session.flush()


def load_estimates(
    session: Session, run_ids: Sequence[str] | None = None
) -> list[EstimateResult]:
    query = select(EstimateRow).order_by(EstimateRow.as_of, EstimateRow.id)
    if run_ids is not None:
        query = query.where(EstimateRow.run_id.in_(run_ids))
    return [
        EstimateResult(
            population=r.population,
            method=r.method,
            estimate=r.estimate,
            lower=r.lower,
            upper=r.upper,
            observed=r.observed,
            lists=tuple(r.lists),
            confidence=r.confidence,
            diagnostics=dict(r.diagnostics),
            as_of=r.as_of,
        )
        for r in session.scalars(query)
    ]


def save_assessments(
    session: Session, run_id: str, assessments: Iterable[BenchmarkAssessment]
) -> None:
    for a in assessments:
        session.add(
            AssessmentRow(
                run_id=run_id,
                benchmark_id=a.benchmark_id,
                as_of=a.as_of,
                status=a.status.value,
                standard=a.standard.value,
                reason=a.reason,
                simulated=a.simulated,
                indicators=plain(a.indicators),
            )
        )
    session.flush()


def load_assessments(
    session: Session, run_id: str
) -> dict[date, list[BenchmarkAssessment]]:
    """Assessments of one run, grouped by date, in stored order."""
    out: dict[date, list[BenchmarkAssessment]] = {}
    query = select(AssessmentRow).where(AssessmentRow.run_id == run_id)
    for r in session.scalars(query.order_by(AssessmentRow.as_of, AssessmentRow.id)):
        out.setdefault(r.as_of, []).append(_assessment(r))
    return out


def _assessment(r: AssessmentRow) -> BenchmarkAssessment:
    indicators = tuple(
        IndicatorAssessment(
            indicator_key=i["indicator_key"],
            status=Status(i["status"]),
            standard=StandardOfProof(i["standard"]),
            reason=i["reason"],
            observation_ids=tuple(i["observation_ids"]),
            estimate_ids=tuple(i.get("estimate_ids", ())),
        )
        for i in r.indicators
    )
    return BenchmarkAssessment(
        benchmark_id=r.benchmark_id,
        as_of=r.as_of,
        status=Status(r.status),
        standard=StandardOfProof(r.standard),
        reason=r.reason,
        indicators=indicators,
        simulated=r.simulated,
    )
