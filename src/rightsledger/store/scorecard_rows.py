"""The observations a scorecard reads, without loading every observation.

The scorecard shows the observations its evidence trails cite (read by id) and
builds verification plans from each indicator's baselines and the observations
in a window of dates (see :func:`rightsledger.report.readiness.plan_windows`).
Each query uses an index of the observations table (the primary key, or
``ix_observations_indicator_day``); the baselines take one scan. ``public_only``
keeps to the observations of public sources (a viewer's view).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy.orm import Session

from ..domain import Observation, Stance
from .evidence_rows import observations_where
from .tables import ObservationRow

__all__ = ["baseline_observations", "observations_by_id", "observations_in_windows"]

#: Ids per query (well under the bound parameters every backend accepts).
_CHUNK = 500


def observations_by_id(
    session: Session, ids: Collection[str], *, public_only: bool
) -> list[Observation]:
    """The observations of ``ids`` that are stored (and visible), by date and id."""
    wanted = sorted(set(ids))
    found = [
        o
        for start in range(0, len(wanted), _CHUNK)
        for o in observations_where(
            session,
            ObservationRow.id.in_(wanted[start : start + _CHUNK]),
            public_only=public_only,
            ordered=False,
        )
    ]
    return sorted(found, key=lambda o: (o.observed_on, o.id))


def baseline_observations(session: Session, *, public_only: bool) -> list[Observation]:
    """Every observation with the baseline stance, of any date, by date and id."""
    found = observations_where(
        session,
        ObservationRow.stance == Stance.BASELINE.value,
        public_only=public_only,
        ordered=False,  # a few rows: one scan, then sorted here
    )
    return sorted(found, key=lambda o: (o.observed_on, o.id))


def observations_in_windows(
    session: Session,
    windows: Mapping[str, tuple[date | None, date]],
    *,
    public_only: bool,
) -> list[Observation]:
    """The observations other than baselines of each indicator key dated after
    its window's first date (None: any) and up to its last, by date and id."""
    found: list[Observation] = []
    for key, (after, until) in sorted(windows.items()):
        criteria = [
            ObservationRow.indicator_key == key,
            ObservationRow.observed_on <= until,
            ObservationRow.stance != Stance.BASELINE.value,
        ]
        if after is not None:
            criteria.append(ObservationRow.observed_on > after)
        found += observations_where(session, *criteria, public_only=public_only)
    return sorted(found, key=lambda o: (o.observed_on, o.id))
