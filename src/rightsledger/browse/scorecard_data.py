"""The observations a scorecard reads, loaded without reading every observation.

A scorecard shows the observations cited by the latest assessment of each
benchmark (its evidence trails), and its verification plans read each open
indicator's baselines and its observations after the latest shared baseline
(:func:`rightsledger.report.readiness.plan_windows`). On a ledger of a million
observations that is a few tens of thousands. Given these,
:func:`rightsledger.report.scorecard_context` returns the same context as given
every observation the reader may see (:meth:`Ledger.observations`): a viewer
sees only the observations of public sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ..access import Permission
from ..domain import BenchmarkAssessment, Observation, Source
from ..ledger import Ledger
from ..report.readiness import current_assessments, plan_windows
from ..store import scorecard_rows

__all__ = ["scorecard_evidence"]


def scorecard_evidence(
    ledger: Ledger,
    timeline: Mapping[date, Sequence[BenchmarkAssessment]],
    sources: Mapping[str, Source],
) -> dict[str, Observation]:
    """The observations the scorecard of ``timeline`` reads.

    Args:
        ledger: The ledger acting as the reader (a viewer: public sources only).
        timeline: The assessments the scorecard shows, by date.
        sources: The sources the reader may see (:meth:`Ledger.sources`).

    Returns:
        The observations by id, in order of date and id (as
        :func:`rightsledger.report.scorecard_context` takes them): those the
        evidence trails cite and those the verification plans read.

    Raises:
        Forbidden: the reader may not read the scorecard.
    """
    ledger.require(Permission.READ_PUBLIC, "scorecard")
    hidden = not ledger.actor.may(Permission.READ_EVIDENCE)
    catalogue = ledger.catalogue()
    current = current_assessments(timeline)
    ids = {
        oid
        for a in current.values()
        for oid in (
            *a.observation_ids,
            *(i for ia in a.indicators for i in ia.observation_ids),
        )
    }
    with ledger.sessions.read() as s:
        cited = scorecard_rows.observations_by_id(s, ids, public_only=hidden)
        baselines = scorecard_rows.baseline_observations(s, public_only=hidden)
        windows = plan_windows(catalogue, current, baselines, sources)
        spans = {k: (w.after, w.until) for k, w in windows.items()}
        rest = scorecard_rows.observations_in_windows(s, spans, public_only=hidden)
    found = sorted([*cited, *baselines, *rest], key=lambda o: (o.observed_on, o.id))
    return {o.id: o for o in found}
