"""Person records for the web: a page by pseudonym (analysts and up), or with
names for an investigator who states why (through the façade, which writes the
read and its purpose to the custody log)."""

from __future__ import annotations

from math import ceil
from typing import Any

from ..access import Permission
from ..errors import InputError
from ..ledger import Ledger
from ..store import browse_rows

__all__ = ["PAGE_SIZE", "named_page", "paging", "pseudonymous_page"]

#: Records per page.
PAGE_SIZE = 50
#: The longest purpose an investigator may give.
MAX_PURPOSE = 300


def paging(page: int, total: int, size: int = PAGE_SIZE) -> dict[str, int]:
    """Page numbers for ``total`` rows: the current page is clamped to 1..last."""
    last = max(1, ceil(total / size))
    current = min(max(1, page), last)
    return {"page": current, "pages": last, "total": total, "size": size}


def pseudonymous_page(ledger: Ledger, page: int) -> dict[str, Any]:
    """One page of records with pseudonyms only: nothing is decrypted.

    Reads the same fields as :meth:`Ledger.pseudonymous_records`, one page at a
    time, so the page stays fast on a hundred thousand records.
    """
    ledger.require(Permission.READ_EVIDENCE, "records")
    with ledger.sessions.read() as s:
        pages = paging(page, browse_rows.count_records(s))
        rows = browse_rows.pseudonymous_records(
            s, offset=(pages["page"] - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return {"names": False, "purpose": "", "records": rows, **pages}


def checked_purpose(purpose: str) -> str:
    """The purpose of a read of names, trimmed.

    Raises:
        InputError: it is empty or longer than ``MAX_PURPOSE`` characters.
    """
    text = " ".join(purpose.split())
    if not text:
        raise InputError("say why you need the names", field="purpose")
    if len(text) > MAX_PURPOSE:
        raise InputError(
            f"at most {MAX_PURPOSE} characters ({len(text)} given)", field="purpose"
        )
    return text


def named_page(ledger: Ledger, page: int, purpose: str) -> dict[str, Any]:
    """One page of records with names and birth years (investigators).

    Goes through :meth:`Ledger.records`, which checks the role and writes the
    read with its purpose to the custody log.

    Raises:
        Forbidden: the actor may not read identities (the attempt is logged).
        InputError: no purpose was given.
    """
    ledger.require(Permission.READ_IDENTITIES, "records with names")
    why = checked_purpose(purpose)
    records = ledger.records(purpose=f"web records page {page}: {why}")
    pages = paging(page, len(records))
    start = (pages["page"] - 1) * PAGE_SIZE
    with ledger.sessions.read() as s:
        pseudonyms = {
            r["record_id"]: r["pseudonym"]
            for r in browse_rows.pseudonymous_records(s, offset=start, limit=PAGE_SIZE)
        }
    rows = [
        {
            "record_id": r.record_id,
            "source_id": r.source_id,
            "pseudonym": pseudonyms.get(r.record_id, ""),
            "full_name": r.full_name,
            "birth_year": r.birth_year,
            "sex": r.sex,
            "province": r.province,
            "facility_id": r.facility_id,
            "year_arrested": r.year_arrested,
            "seen_from": r.seen_from.isoformat() if r.seen_from else None,
            "seen_to": r.seen_to.isoformat() if r.seen_to else None,
            "fate": r.fate,
        }
        for r in records[start : start + PAGE_SIZE]
    ]
    return {"names": True, "purpose": why, "records": rows, **pages}
