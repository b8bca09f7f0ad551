"""Facilities as the pages show them: the catalogue's sites with their public
location, status history and sources, and the observations about each, a page at
a time.

The catalogue part is public. Observations come from the store a page at a time
(:mod:`rightsledger.store.facility_rows`), never all at once; a reader without
``read evidence`` (a viewer) sees only those of public sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..access import Permission
from ..domain import Credibility, Facility, FacilityEvent, Origin, Verification
from ..errors import InputError, NotFound
from ..ledger import Ledger
from ..report.map import current_event, current_state
from ..store import facility_rows
from ..store.facility_rows import FacilityObservation

__all__ = [
    "PER_PAGE",
    "facility",
    "facility_detail",
    "facility_list",
    "facility_observations",
    "observation_counts",
    "public_only",
]

#: Observations per page on a facility page.
PER_PAGE = 50

#: How a history entry was checked, in words (message ids of the web app).
VERIFICATION_WORDS: dict[Verification, str] = {
    Verification.PRIMARY: "checked against the primary source",
    Verification.SECONDARY: "from a secondary source",
    Verification.UNCONFIRMED: "unconfirmed",
}


def public_only(ledger: Ledger) -> bool:
    """Whether the acting user sees only the evidence of public sources."""
    return not ledger.actor.may(Permission.READ_EVIDENCE)


def facility(ledger: Ledger, facility_id: str) -> Facility:
    """The catalogue's facility ``facility_id``.

    Raises:
        NotFound: the catalogue has no such facility.
    """
    ledger.require(Permission.READ_PUBLIC, "facilities")
    for f in ledger.catalogue().facilities:
        if f.id == facility_id:
            return f
    raise NotFound(f"no facility {facility_id!r} in the catalogue")


def _ordered(f: Facility) -> list[FacilityEvent]:
    """History oldest first; entries of one date keep the catalogue's order."""
    return sorted(f.history, key=lambda e: e.on)


def _last_change(f: Facility) -> dict[str, Any] | None:
    """The latest entry whose state differs from the entry before it (the first
    entry counts as a change from nothing)."""
    events = _ordered(f)
    for before, after in reversed(list(zip([None, *events], events, strict=False))):
        if before is None or before.state is not after.state:
            return {
                "date": after.on.isoformat(),
                "from": before.state.value if before else None,
                "to": after.state.value,
            }
    return None


def _sources(keys: tuple[str, ...], titles: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "title": titles.get(k, "")} for k in keys]


def _row(f: Facility, titles: Mapping[str, str], count: int) -> dict[str, Any]:
    latest = current_event(f)
    return {
        "id": f.id,
        "name": f.name,
        "type": f.type.value,
        "location": f.location,
        "latitude": f.latitude,
        "longitude": f.longitude,
        "placed": f.latitude is not None and f.longitude is not None,
        "operator": f.operator,
        "state": current_state(f).value,
        "last_report": latest.on.isoformat() if latest else None,
        "last_change": _last_change(f),
        "population_note": f.population_note,
        "sources": _sources(f.sources, titles),
        "observations": count,
    }


def _titles(ledger: Ledger) -> dict[str, str]:
    return {c.key: c.title for c in ledger.catalogue().sources}


def observation_counts(ledger: Ledger) -> dict[str, int]:
    """How many observations the acting user may see about each facility."""
    ledger.require(Permission.READ_PUBLIC, "facilities")
    with ledger.sessions.read() as s:
        return facility_rows.count_by_facility(s, public_only=public_only(ledger))


def facility_list(
    ledger: Ledger, counts: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """Every catalogue facility: name, type, location, current state, last change,
    sources and how many observations name it.

    Args:
        ledger: The ledger acting as the reader.
        counts: Observation counts by facility, when the caller has them
            (e.g. cached); else they are counted now.
    """
    ledger.require(Permission.READ_PUBLIC, "facilities")
    counts = observation_counts(ledger) if counts is None else counts
    titles = _titles(ledger)
    return [_row(f, titles, counts.get(f.id, 0)) for f in ledger.catalogue().facilities]


def facility_detail(
    ledger: Ledger, facility_id: str, counts: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """One facility with its status history, newest entry first.

    Raises:
        NotFound: the catalogue has no such facility.
    """
    f = facility(ledger, facility_id)
    counts = observation_counts(ledger) if counts is None else counts
    titles = _titles(ledger)
    history = [
        {
            "date": e.on.isoformat(),
            "state": e.state.value,
            "note": e.note,
            "verification": e.verification.value,
            "verification_words": VERIFICATION_WORDS[e.verification],
            "sources": _sources(e.sources, titles),
        }
        for e in reversed(_ordered(f))
    ]
    return {**_row(f, titles, counts.get(f.id, 0)), "history": history}


def _entry(o: FacilityObservation, *, with_text: bool = True) -> dict[str, Any]:
    """One observation as listed; for readers of public evidence only, without
    what it says (free text and values), as on the viewer's scorecard."""
    simulated = Origin.SIMULATED.value in (o.origin, o.source_origin)
    return {
        "id": o.id,
        "short_id": o.id[:12],
        "date": o.observed_on.isoformat(),
        "indicator": o.indicator_key,
        "stance": o.stance,
        "credibility": o.credibility,
        "credibility_label": Credibility(o.credibility).name.replace("_", " ").lower(),
        "missing": False,
        "summary": o.summary if with_text else "",
        "value": o.value if with_text else None,
        "source_id": o.source_id,
        "source_title": o.source_title,
        "source_kind": o.source_kind,
        "reliability": o.source_reliability,
        "simulated": simulated,
    }


def facility_observations(
    ledger: Ledger, facility_id: str, page: int = 1, *, total: int | None = None
) -> dict[str, Any]:
    """One page of the observations naming a facility, newest first.

    Args:
        ledger: The ledger acting as the reader (viewers: public sources only).
        facility_id: A catalogue facility.
        page: 1-based page number, :data:`PER_PAGE` observations each.
        total: The number of observations the reader may see about it, when the
            caller knows it (e.g. cached); else it is counted.

    Returns:
        ``{"page", "pages", "per_page", "total", "items"}``.

    Raises:
        NotFound: no such facility, or the page is past the last one.
        InputError: ``page`` is below 1.
    """
    facility(ledger, facility_id)
    if page < 1:
        raise InputError("the page number starts at 1", field="page")
    hidden = public_only(ledger)
    with ledger.sessions.read() as s:
        if total is None:
            total = facility_rows.count_for_facility(s, facility_id, public_only=hidden)
        pages = max(1, -(-total // PER_PAGE))
        if page > pages:
            raise NotFound(f"page {page} is past the last page ({pages})")
        rows = facility_rows.observation_page(
            s,
            facility_id,
            public_only=hidden,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    return {
        "page": page,
        "pages": pages,
        "per_page": PER_PAGE,
        "total": total,
        "items": [_entry(o, with_text=not hidden) for o in rows],
    }
