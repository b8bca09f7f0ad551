"""Read (and one write) use cases of the JSON API, over the Ledger façade.

Each function takes a :class:`~rightsledger.ledger.Ledger` acting as the caller and
checks the caller's permission first, so the API enforces exactly what the pages
and the command line do. Results are plain data (dicts, lists, str, int, float,
bool, dates) holding nothing the caller's role may not see: no function here reads
a name or a birth year.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..access import Permission
from ..domain import Catalogue, EstimateResult
from ..errors import InputError
from ..ledger import Ledger
from ..store import analysis_rows as runs
from ..store import api_rows
from ..store.api_rows import ObservationFilter

#: Largest page the API serves.
MAX_LIMIT = 500

#: Deepest ``offset`` the API accepts; deeper pages are read with a cursor.
MAX_OFFSET = 10_000


@dataclass(frozen=True, slots=True)
class ObservationQuery:
    """What a page of observations is asked for (``cursor`` or ``offset``)."""

    limit: int = 100
    cursor: str | None = None
    offset: int = 0
    benchmark: str | None = None
    facility: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None


def encode_cursor(*parts: str) -> str:
    """An opaque page cursor from the sort key of the last item of a page."""
    raw = "\x1f".join(parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, parts: int) -> list[str]:
    """The sort key inside a cursor made by :func:`encode_cursor`.

    Raises:
        InputError: the cursor was not made by this API.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        fields = base64.urlsafe_b64decode(padded.encode()).decode().split("\x1f")
    except (binascii.Error, UnicodeError, ValueError):
        fields = []
    if len(fields) != parts or not all(fields):
        raise InputError(
            "not a cursor of this list: pass back next_cursor as given", field="cursor"
        )
    return fields


def _observation_after(query: ObservationQuery) -> tuple[date, str] | None:
    if query.cursor is None:
        return None
    day, oid = decode_cursor(query.cursor, 2)
    try:
        return date.fromisoformat(day), oid
    except ValueError:
        raise InputError(
            "not a cursor of this list: pass back next_cursor as given", field="cursor"
        ) from None


def _check_page(limit: int, offset: int, cursor: str | None) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be 1 to {MAX_LIMIT}", field="limit")
    if not 0 <= offset <= MAX_OFFSET:
        raise InputError(
            f"offset must be 0 to {MAX_OFFSET}; page deeper with cursor",
            field="offset",
        )
    if cursor is not None and offset:
        raise InputError("give cursor or offset, not both", field="offset")


def observations_page(ledger: Ledger, query: ObservationQuery) -> dict[str, Any]:
    """A page of the observations the caller may see (viewers: public sources
    only), oldest first, with the cursor of the next page (None at the end).

    Raises:
        Forbidden: the caller may not read public results.
        InputError: a bad limit, offset or cursor.
    """
    ledger.require(Permission.READ_PUBLIC, "observations")
    _check_page(query.limit, query.offset, query.cursor)
    flt = ObservationFilter(
        public_only=not ledger.actor.may(Permission.READ_EVIDENCE),
        benchmark=query.benchmark,
        facility=query.facility,
        source=query.source,
        since=query.since,
        until=query.until,
    )
    with ledger.sessions.read() as s:
        rows = api_rows.observation_page(
            s,
            flt,
            after=_observation_after(query),
            offset=query.offset,
            limit=query.limit + 1,
        )
    names = [c.key for c in api_rows.OBSERVATION_COLUMNS]
    items = [dict(zip(names, row, strict=True)) for row in rows[: query.limit]]
    more = len(rows) > query.limit
    last = items[-1] if items else None
    return {
        "items": items,
        "limit": query.limit,
        "next_cursor": (
            encode_cursor(last["observed_on"].isoformat(), last["id"])
            if more and last is not None
            else None
        ),
    }


def sources(ledger: Ledger) -> list[dict[str, Any]]:
    """The sources the caller may see (viewers: public ones), by id."""
    found = ledger.sources()  # checks the permission, filters for viewers
    return [
        {
            "id": s.id,
            "kind": s.kind.value,
            "title": s.title,
            "owner": s.owner,
            "reliability": s.reliability.value,
            "published_on": s.published_on,
            "confidentiality": s.confidentiality.value,
            "origin": s.origin.value,
            "citation": s.citation,
        }
        for s in sorted(found.values(), key=lambda s: s.id)
    ]


def facilities(ledger: Ledger) -> list[dict[str, Any]]:
    """Every facility with its public location and status history."""
    ledger.require(Permission.READ_PUBLIC, "facilities")
    with ledger.sessions.read() as s:
        rows = api_rows.facilities(s)
        return [
            {
                "id": r.id,
                "name": r.name,
                "type": r.type,
                "location": r.location,
                "latitude": r.latitude,
                "longitude": r.longitude,
                "operator": r.operator,
                "history": [_event(e) for e in r.history if isinstance(e, dict)],
            }
            for r in rows
        ]


def _event(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "on": e.get("on"),
        "state": e.get("state", "unknown"),
        "note": str(e.get("note", "")),
        "sources": [str(x) for x in e.get("sources", ())],
        "verification": e.get("verification", "S"),
    }


def estimates(ledger: Ledger) -> list[dict[str, Any]]:
    """The latest estimates. The observed count of persons below the ledger's
    small-cell threshold is withheld (None, ``observed_suppressed``) from every
    role but investigators, as in the public export."""
    found = ledger.estimates()  # checks the permission
    exact = ledger.actor.may(Permission.READ_IDENTITIES)
    threshold = ledger.settings.small_cell_threshold
    return [_estimate(e, exact, threshold) for e in found]


def _estimate(e: EstimateResult, exact: bool, threshold: int) -> dict[str, Any]:
    hidden = not exact and 1 <= e.observed < threshold
    simulated = bool(
        e.diagnostics.get("origin") == "simulated" or e.diagnostics.get("simulated")
    )
    return {
        "population": e.population,
        "method": e.method,
        "as_of": e.as_of,
        "estimate": round(e.estimate),
        "lower": round(e.lower),
        "upper": round(e.upper),
        "confidence": e.confidence,
        "observed": None if hidden else e.observed,
        "observed_suppressed": hidden,
        "observed_shown": f"<{threshold}" if hidden else f"{e.observed:,}",
        "lists": list(e.lists),
        "simulated": simulated,
    }


def agreements(ledger: Ledger) -> list[dict[str, Any]]:
    """The catalogue's agreements and those stored with evidence, each with its
    clauses, the benchmarks they cover and the benchmarks no clause covers."""
    catalogue = ledger.catalogue()  # checks the permission
    out: dict[str, dict[str, Any]] = {}
    for a in catalogue.agreements:
        clauses = [
            {"id": c.id, "text": c.text, "covers": list(c.covers), "note": c.note}
            for c in a.clauses
        ]
        out[a.id] = _agreement(
            catalogue, a.id, a.title, a.signed_on, a.parties, "real", clauses
        )
        out[a.id]["mentions_human_rights"] = a.mentions_human_rights
    with ledger.sessions.read() as s:
        for r in api_rows.stored_agreements(s):
            clauses = [
                {
                    "id": str(c.get("id", "")),
                    "text": str(c.get("text", "")),
                    "covers": [str(x) for x in c.get("covers", ())],
                    "note": str(c.get("note", "")),
                }
                for c in r.clauses
                if isinstance(c, dict)
            ]
            out[r.id] = _agreement(
                catalogue, r.id, r.title, r.signed_on, r.parties, r.origin, clauses
            )
            out[r.id]["mentions_human_rights"] = r.mentions_human_rights
    return sorted(out.values(), key=lambda a: (a["signed_on"], a["id"]))


def _agreement(
    catalogue: Catalogue,
    agreement_id: str,
    title: str,
    signed_on: date,
    parties: Any,
    origin: str,
    clauses: list[dict[str, Any]],
) -> dict[str, Any]:
    covered = {b for c in clauses for b in c["covers"]}
    order = [b.id for b in catalogue.benchmarks]
    return {
        "id": agreement_id,
        "title": title,
        "signed_on": signed_on,
        "parties": [str(p) for p in parties],
        "origin": origin,
        "clauses": clauses,
        "covered": [b for b in order if b in covered],
        "not_covered": [b for b in order if b not in covered],
    }


def persons_page(
    ledger: Ledger, *, limit: int = 100, cursor: str | None = None
) -> dict[str, Any]:
    """A page of the persons of the latest linkage run: person id, how many
    records, which lists, and the records' pseudonyms. Never a name.

    Raises:
        Forbidden: the caller may not read evidence (viewers).
        InputError: a bad limit or cursor.
    """
    ledger.require(Permission.READ_EVIDENCE, "persons")
    _check_page(limit, 0, cursor)
    after = None if cursor is None else decode_cursor(cursor, 1)[0]
    with ledger.sessions.read() as s:
        run = runs.latest_run(s, "link")
        run_id = None if run is None else run.id
        found = (
            []
            if run_id is None
            else api_rows.person_page(s, run_id, after=after, limit=limit + 1)
        )
    items: list[dict[str, Any]] = [
        {
            "id": pid,
            "size": len(members),
            "lists": sorted({src for _, src in members}),
            "pseudonyms": [p for p, _ in members],
        }
        for pid, members in found[:limit]
    ]
    more = len(found) > limit
    return {
        "items": items,
        "limit": limit,
        "run_id": run_id,
        "next_cursor": encode_cursor(found[limit - 1][0]) if more else None,
    }


def whoami(ledger: Ledger) -> dict[str, Any]:
    """The caller's user name, role and permissions."""
    actor = ledger.actor
    return {
        "name": actor.name,
        "role": actor.role.value,
        "permissions": [p.value for p in Permission if actor.may(p)],
    }


def decide_link(
    ledger: Ledger, left: str, right: str, *, accept: bool, note: str = ""
) -> dict[str, Any]:
    """Record an investigator's decision on a pair of records (the same use case
    as ``rightsledger link review --accept``) and return it as stored.

    Raises:
        Forbidden: the caller may not review links.
        NotFound: a record id is not in the ledger.
        InputError: the two ids are the same.
    """
    ledger.decide_link(left, right, accept=accept, note=note)
    on_pair = ledger.review_history((left, right))
    stored = on_pair[-1] if on_pair else None
    if stored is None:  # pragma: no cover - written just above
        raise InputError("the decision was not stored", field="pair")
    return {
        "left": stored.left,
        "right": stored.right,
        "accept": stored.accept,
        "note": stored.note,
        "decided_at": stored.decided_at,
        "decided_by": stored.decided_by,
    }


__all__ = [
    "MAX_LIMIT",
    "MAX_OFFSET",
    "ObservationQuery",
    "agreements",
    "decide_link",
    "decode_cursor",
    "encode_cursor",
    "estimates",
    "facilities",
    "observations_page",
    "persons_page",
    "sources",
    "whoami",
]
