"""Search across what the acting user may see.

Every role searches the catalogue (benchmarks with their Korean titles,
indicators), facilities, agreements and their clauses, and sources (a viewer
only the public ones). Analysts and up also search observation summaries and
person records by pseudonym or person id. Queries over the big tables are
``LIKE`` with a ``LIMIT`` (:mod:`rightsledger.store.search_rows`): a search
stops at its first matches and never loads all observations.

Names are searched only by investigators, through :func:`search_names`. Names
are encrypted at rest with no searchable index (a record's pseudonym is a keyed
hash of its id, not of its name), so a name search decrypts the records through
:meth:`Ledger.records`, which logs the read in the custody log, and matches in
memory; results are capped. The custody entry states a fixed purpose and never
the query, so no log line holds the name searched for.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy.orm import Session

from ..access import Permission
from ..domain import Catalogue, PersonRecord
from ..errors import InputError
from ..ledger import Ledger
from ..names import name_key
from ..store import analysis_rows, browse_rows, search_rows

__all__ = ["LIMIT", "MAX_QUERY", "NAME_SEARCH_PURPOSE", "search", "search_names"]

#: At most this many results per section.
LIMIT = 50
#: The longest query accepted.
MAX_QUERY = 200
#: What the custody log says about a name search (never the query itself).
NAME_SEARCH_PURPOSE = "name search on the web"


def folded(text: str) -> str:
    """Text for matching: Unicode NFKC, case-folded, spaces squeezed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def checked_query(query: str) -> str:
    """The query, trimmed.

    Raises:
        InputError: it is longer than ``MAX_QUERY`` characters.
    """
    text = " ".join(unicodedata.normalize("NFC", query).split())
    if len(text) > MAX_QUERY:
        raise InputError(f"at most {MAX_QUERY} characters", field="q")
    return text


def _section(items: list[dict[str, Any]], limit: int = LIMIT) -> dict[str, Any]:
    return {"items": items[:limit], "more": len(items) > limit}


def _catalogue_hits(catalogue: Catalogue, needle: str) -> dict[str, Any]:
    benchmarks, indicators = [], []
    for b in catalogue.benchmarks:
        if any(needle in folded(t) for t in (b.id, b.title, b.title_ko, b.statement)):
            benchmarks.append({"id": b.id, "title": b.title, "title_ko": b.title_ko})
        for i in b.indicators:
            if needle in folded(i.key) or needle in folded(i.target):
                indicators.append(
                    {
                        "key": i.key,
                        "benchmark_id": b.id,
                        "benchmark_title": b.title,
                        "benchmark_title_ko": b.title_ko,
                        "target": i.target,
                    }
                )
    return {"benchmarks": _section(benchmarks), "indicators": _section(indicators)}


def _agreement_hits(agreements: list[dict[str, Any]], needle: str) -> dict[str, Any]:
    found, clauses = [], []
    for a in agreements:
        if needle in folded(a["id"]) or needle in folded(a["title"]):
            found.append({k: a[k] for k in ("id", "title", "signed_on", "simulated")})
        for c in a["clauses"]:
            if needle in folded(c["id"]) or needle in folded(c["text"]):
                clauses.append(
                    {
                        "agreement_id": a["id"],
                        "agreement_title": a["title"],
                        "id": c["id"],
                        "text": c["text"],
                        "covers": c["covers"],
                    }
                )
    return {"agreements": _section(found), "clauses": _section(clauses)}


def search(ledger: Ledger, query: str) -> dict[str, Any]:
    """Everything the acting user may see that matches ``query``.

    Returns:
        ``q``, ``evidence`` (whether evidence sections were searched) and one
        section per kind, each ``{"items": [...], "more": bool}``; the
        evidence sections are absent for a viewer.

    Raises:
        InputError: the query is too long.
    """
    ledger.require(Permission.READ_PUBLIC, "search")
    q = checked_query(query)
    evidence = ledger.actor.may(Permission.READ_EVIDENCE)
    out: dict[str, Any] = {"q": q, "evidence": evidence, "searched": bool(q)}
    if not q:
        return out
    needle = folded(q)
    out.update(_catalogue_hits(ledger.catalogue(), needle))
    more = LIMIT + 1
    with ledger.sessions.read() as s:
        out.update(_agreement_hits(browse_rows.agreements(s), needle))
        out["facilities"] = _section(search_rows.facilities(s, q, limit=more))
        found = search_rows.sources(s, q, limit=more, public_only=not evidence)
        out["sources"] = _section(found)
        if evidence:
            found = search_rows.observations(s, q, limit=more)
            out["observations"] = _section(found)
            found = search_rows.records_by_pseudonym(s, q, limit=more)
            out["records"] = _section(found)
            out["persons"] = _section(_persons(s, q, more))
    return out


def _persons(session: Session, q: str, limit: int) -> list[dict[str, Any]]:
    run = analysis_rows.latest_run(session, "link")
    if run is None:
        return []
    return search_rows.persons(session, run.id, q, limit=limit)


def _name_matches(record: PersonRecord, needle: str, key: str) -> bool:
    if needle in folded(record.full_name):
        return True
    return bool(key) and name_key(record.full_name) == key


def search_names(ledger: Ledger, query: str) -> dict[str, Any]:
    """Person records whose name matches ``query`` (investigators only).

    A record matches when its name contains the query (case and width folded)
    or when both are the same full name in another spelling (same
    :func:`~rightsledger.names.name_key`, e.g. 김철수 and Kim Chol-su). The
    records are decrypted through :meth:`Ledger.records`, which writes the
    read to the custody log with :data:`NAME_SEARCH_PURPOSE`, not the query.

    Raises:
        Forbidden: the actor may not read identities (the attempt is logged).
        InputError: the query is empty or too long.
    """
    ledger.require(Permission.READ_IDENTITIES, "name search")
    q = checked_query(query)
    if not q:
        raise InputError("type a name to search for", field="name")
    needle = folded(q)
    whole = name_key(q)
    key = whole if " " in whole else ""  # a family and a given name
    hits: list[dict[str, Any]] = []
    for r in ledger.records(purpose=NAME_SEARCH_PURPOSE):
        if _name_matches(r, needle, key):
            hits.append(
                {
                    "record_id": r.record_id,
                    "source_id": r.source_id,
                    "full_name": r.full_name,
                    "birth_year": r.birth_year,
                    "fate": r.fate,
                }
            )
            if len(hits) > LIMIT:
                break
    return {"name": q, "names": _section(hits)}
