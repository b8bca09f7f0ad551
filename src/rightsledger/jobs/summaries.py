"""What a finished job keeps of its result: counts and ids, never an identity
(and never a file name: an upload's name may name a person)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..chain import EstimateSummary, LinkSummary
from ..intake.importer import ImportSummary


def import_result(
    summary: ImportSummary, passed_over: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """An import's counts and the file's content hash."""
    return {
        "kind": summary.kind,
        "rows": summary.rows,
        "added": summary.added,
        "skipped": summary.skipped,
        "already_imported": summary.already_imported,
        "sha256": summary.content_hash,
        "passed_over": dict(passed_over or {}),
    }


def link_result(summary: LinkSummary) -> dict[str, Any]:
    """A linkage run's counts, method and run id."""
    return {
        "run_id": summary.run_id,
        "records": summary.records,
        "persons": summary.persons,
        "method": summary.method,
        "pairs": summary.pairs,
        "incremental": summary.incremental,
    }


def estimate_result(summary: EstimateSummary) -> dict[str, Any]:
    """Each population's estimate and interval, and what was skipped and why."""
    return {
        "run_id": summary.run_id,
        "estimates": [
            {
                "population": r.population,
                "as_of": None if r.as_of is None else r.as_of.isoformat(),
                "method": r.method,
                "estimate": _number(r.estimate),
                "lower": _number(r.lower),
                "upper": _number(r.upper),
                "observed": r.observed,
                "confidence": r.confidence,
            }
            for r in summary.results
        ],
        "skipped": list(summary.skipped),
    }


def _number(value: float) -> float | None:
    """Rounded for the record; None for an unbounded (infinite) value, which
    JSON cannot hold."""
    return round(value, 1) if math.isfinite(value) else None
