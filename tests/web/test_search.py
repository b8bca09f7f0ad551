"""Search: every role finds what it may see, and names only by an investigator
who asks (logged, without the name)."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from rightsledger.browse.search import LIMIT, NAME_SEARCH_PURPOSE
from rightsledger.domain import (
    Confidentiality,
    Credibility,
    Observation,
    PersonRecord,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.ledger import Ledger

from .conftest import csrf_of

#: A synthetic person: no such record exists outside this test.
NAME = "Ryom Song-chol"
NAME_KO = "렴성철"


@pytest.fixture
def seeded(web_ledger: Ledger) -> Ledger:
    """A public and a restricted source, observations, and two records."""
    indicator = web_ledger.catalogue().indicators()[0].key
    web_ledger.add_evidence(
        sources=[
            Source(
                "zz-public-report",
                SourceKind.NGO_REPORT,
                "Quarry labour report 채석장",
                "Some NGO",
                Reliability.B,
                date(2020, 1, 1),
            ),
            Source(
                "zz-secret-list",
                SourceKind.NGO_LIST,
                "Confidential detainee list",
                "Another NGO",
                Reliability.C,
                date(2021, 1, 1),
                Confidentiality.RESTRICTED,
            ),
        ],
        observations=[
            Observation(
                "zz-secret-list",
                indicator,
                date(2021, 1, 1 + n % 28),
                Stance.CONTRADICTS,
                Credibility.PROBABLY_TRUE,
                f"Quarry shift {n}: 100% of prisoners_worked",
            )
            for n in range(LIMIT + 5)
        ],
        records=[
            PersonRecord("zz-r1", "zz-secret-list", NAME, "M", 1961, None, None, 2001),
            PersonRecord(
                "zz-r2", "zz-secret-list", "Ko Mi-ran", "F", 1970, None, None, 2003
            ),
        ],
    )
    return web_ledger


def _names_in(text: str) -> bool:
    return NAME in text or NAME_KO in text or "Ko Mi-ran" in text or "1961" in text


def _without_echo(text: str, query: str) -> str:
    """The page without the search box's own copy of the query."""
    echoes = (
        f'value="{html.escape(query)}"',
        f'"q": {json.dumps(query, ensure_ascii=False)}',
    )
    for echo in echoes:
        text = text.replace(echo, "")
    return text


def test_viewer_sees_catalogue_and_public_sources_only(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    client = client_as(Role.VIEWER)
    korean = client.get(
        "/search", params={"q": "정치범"}, headers={"Accept-Language": "ko"}
    )
    assert korean.status_code == 200
    assert "정치범수용소 폐쇄" in korean.text
    found = client.get("/search", params={"q": "quarry", "format": "json"}).json()
    assert [s["id"] for s in found["sources"]["items"]] == ["zz-public-report"]
    assert "observations" not in found and "records" not in found
    hangul = client.get("/search", params={"q": "채석장", "format": "json"}).json()
    assert [s["id"] for s in hangul["sources"]["items"]] == ["zz-public-report"]
    hidden = client.get("/search", params={"q": "confidential detainee"})
    assert "zz-secret-list" not in hidden.text and 'id="no-results"' in hidden.text
    assert client.get("/search", params={"q": "x" * 201}).status_code == 422


def test_analyst_finds_evidence_but_never_a_name(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    client = client_as(Role.ANALYST)
    wide = client.get("/search", params={"q": "100% of prisoners_", "format": "json"})
    observations = wide.json()["observations"]
    assert len(observations["items"]) == LIMIT and observations["more"] is True
    literal = client.get("/search", params={"q": "0%_", "format": "json"}).json()
    assert literal["observations"]["items"] == []  # % and _ are literal
    for query in (NAME, NAME_KO, "Ryom", "1961"):
        for fmt in ("html", "json"):
            page = client.get("/search", params={"q": query, "format": fmt})
            assert page.status_code == 200
            body = (
                page.text
                if fmt == "html"
                else json.dumps(page.json(), ensure_ascii=False)
            )
            assert not _names_in(_without_echo(body, query))
    pseudonym = seeded.pseudonymous_records()[0].full_name
    hit = client.get("/search", params={"q": pseudonym, "format": "json"}).json()
    assert [r["record_id"] for r in hit["records"]["items"]] == ["zz-r1"]
    assert not _names_in(json.dumps(hit, ensure_ascii=False))
    token = csrf_of(client, "/search")
    refused = client.post("/search/names", data={"csrf_token": token, "name": NAME})
    assert refused.status_code == 403 and not _names_in(refused.text)
    assert 'id="name-search"' not in client.get("/search?q=a").text


def test_investigator_name_search_is_asked_and_logged(
    client_as: Callable[[Role], TestClient],
    seeded: Ledger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_as(Role.INVESTIGATOR)
    plain = client.get("/search", params={"q": NAME})
    assert 'id="name-search"' in plain.text
    assert not _names_in(_without_echo(plain.text, NAME))
    reads = [e for e in seeded.custody() if e.action == "read-identities"]
    token = csrf_of(client, "/search")
    no_token = client.post("/search/names", data={"name": NAME_KO})
    assert no_token.status_code == 403
    found = client.post(
        "/search/names?format=json", data={"csrf_token": token, "name": NAME_KO}
    )
    assert found.status_code == 200
    names = found.json()["name_search"]["names"]["items"]
    assert [(r["record_id"], r["full_name"]) for r in names] == [("zz-r1", NAME)]
    page = client.post("/search/names", data={"csrf_token": token, "name": "mi-ran"})
    assert "Ko Mi-ran" in page.text and NAME not in page.text
    entries = seeded.custody()
    new_reads = [e for e in entries if e.action == "read-identities"][len(reads) :]
    assert len(new_reads) == 2
    assert all(e.detail["purpose"] == NAME_SEARCH_PURPOSE for e in new_reads)
    logged = json.dumps([(e.target, e.detail) for e in entries], ensure_ascii=False)
    assert NAME_KO not in logged and "mi-ran" not in logged.lower()
    assert not any(NAME_KO in r.getMessage() for r in caplog.records)
    empty = client.post("/search/names", data={"csrf_token": token, "name": " "})
    assert empty.status_code == 422 and 'id="problem-name"' in empty.text
