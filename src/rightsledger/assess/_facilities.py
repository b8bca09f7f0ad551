"""Indicators about places: one group of evidence per facility, then combined.

Grouping (see :func:`by_facility`): each facility id gets its own group; the
observations without a facility id form one group of their own (a statement not
tied to a place is never attributed to a particular facility). BASELINE
observations without a facility id are the starting point of every group; a
BASELINE with a facility id belongs to that facility's group only.

Combination (see :func:`combine`), first match wins; the standard is the weakest
among the groups that count, as in the benchmark aggregation:

=============  ========================================  =====================
status         condition                                 groups that count
=============  ========================================  =====================
regressed      any group regressed                       the regressed ones
contested      any group contested                       the contested ones
verified       every group verified                      all
partial        some group verified or partial            verified and partial
claimed        any group claimed                         the claimed ones
no-progress    otherwise                                 all
=============  ========================================  =====================
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rightsledger.domain import (
    IndicatorAssessment,
    Observation,
    Stance,
    Status,
)

from ._evidence import Evidence, weakest
from ._precedence import Decided, precedence

__all__ = ["NO_FACILITY", "by_facility", "combine", "has_own_evidence"]

NO_FACILITY = "no facility given"
"""Label of the group of observations that name no facility."""


def _shared_baseline(obs: Observation) -> bool:
    return obs.stance is Stance.BASELINE and obs.facility_id is None


def by_facility(
    key: str, observations: Sequence[Observation], as_of: date
) -> dict[str | None, list[Observation]]:
    """The observations of indicator ``key`` up to ``as_of``, one list per facility.

    Facility-less baselines are copied into every list; the ``None`` key holds the
    facility-less observations. Empty when no observation names a facility.
    """
    mine = [
        o for o in observations if o.indicator_key == key and o.observed_on <= as_of
    ]
    if all(o.facility_id is None for o in mine):
        return {}
    shared = [o for o in mine if _shared_baseline(o)]
    facilities = sorted({o.facility_id for o in mine if o.facility_id is not None})
    groups: dict[str | None, list[Observation]] = {f: list(shared) for f in facilities}
    groups[None] = list(shared)
    for obs in mine:
        if not _shared_baseline(obs):
            groups[obs.facility_id].append(obs)
    return groups


def has_own_evidence(ev: Evidence) -> bool:
    """True when a group's evidence can decide something beyond the shared baseline.

    Evidence below the thresholds, or dated on or before the baseline, does not.
    """
    own_baseline = ev.baseline is not None and ev.baseline.facility_id is not None
    return bool(ev.qualifying or ev.claims or ev.contradictions or own_baseline)


def _counting(items: Sequence[IndicatorAssessment]) -> Decided:
    return precedence(items) or (Status.NO_PROGRESS, tuple(items))


def combine(
    key: str, parts: Sequence[tuple[str | None, IndicatorAssessment]]
) -> IndicatorAssessment:
    """One assessment from the per-facility assessments ``parts`` (not empty).

    The reason names every group with its status and reason; the observation ids
    are the deciding observations of all groups, in group order.
    """
    status, counting = _counting([a for _, a in parts])
    standard = weakest(*(a.standard for a in counting))
    detail = "; ".join(f"{f or NO_FACILITY}: {a.status} ({a.reason})" for f, a in parts)
    reason = f"{status} by facility: {detail}"
    ids = tuple(dict.fromkeys(i for _, a in parts for i in a.observation_ids))
    return IndicatorAssessment(key, status, standard, reason, ids)
