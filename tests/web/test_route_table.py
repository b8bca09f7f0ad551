"""Every role x every route: allowed or refused exactly as the access policy says.

The table of routes is tests/web/routes_table.py; a route the app answers that the
table does not declare fails the first test, so a new route cannot skip this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from rightsledger.access import Permission, allows
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
from rightsledger.jobs import Jobs
from rightsledger.ledger import Ledger

from .conftest import csrf_of
from .routes_table import (
    ANONYMOUS,
    CALLS,
    PUBLIC_SOURCE,
    RESTRICTED_SOURCE,
    Call,
    app_routes,
)

#: A synthetic person in the seeded ledger (never a real one).
NAME = "Ryom Chol-ung"


def seed(ledger: Ledger, tmp: Path, text: str = "plain") -> dict[str, str]:
    """Two sources (public, restricted), an observation, two records, an attached
    file and a finished job; returns the values the table's paths need."""
    indicator = ledger.catalogue().indicators()[0].key
    ledger.add_evidence(
        sources=[
            Source(
                PUBLIC_SOURCE,
                SourceKind.UN_REPORT,
                f"Public report {text}",
                f"UN {text}",
                Reliability.B,
                date(2021, 1, 1),
                Confidentiality.PUBLIC,
            ),
            Source(
                RESTRICTED_SOURCE,
                SourceKind.NGO_LIST,
                f"Restricted list {text}",
                f"An NGO {text}",
                Reliability.C,
                date(2022, 1, 1),
                Confidentiality.RESTRICTED,
            ),
        ],
        observations=[
            Observation(
                PUBLIC_SOURCE,
                indicator,
                date(2022, 3, 1),
                Stance.SUPPORTS,
                Credibility.POSSIBLY_TRUE,
                f"Seen on imagery {text}",
            )
        ],
        records=[
            PersonRecord("rt-r1", PUBLIC_SOURCE, NAME, "M", 1961, text, None, 1999),
            PersonRecord("rt-r2", RESTRICTED_SOURCE, NAME, "M", 1961, text, None, 1999),
        ],
    )
    file = tmp / "scan.txt"
    file.write_bytes(b"scanned list")
    sha = ledger.attach(RESTRICTED_SOURCE, file, collected_by="team", method="copy")
    job = Jobs(ledger).start(
        "estimate", lambda _p: {"note": "seeded"}, needs=Permission.RUN_ANALYSIS
    )
    return {
        "sha": sha.sha256,
        "job": job,
        "facility": ledger.catalogue().facilities[0].id,
        "indicator": indicator,
    }


@pytest.fixture
def values(web_ledger: Ledger, tmp_path: Path) -> dict[str, str]:
    return seed(web_ledger, tmp_path)


def send(
    client: TestClient, call: Call, values: dict[str, str], token: str | None
) -> Response:
    """Make the table's request, with the CSRF token for unsafe methods when
    ``token`` is given."""
    path = call.path.format(**values)
    headers = {"X-CSRF-Token": token} if token and call.unsafe else {}
    form = {k: v.format(**values) for k, v in call.form.items()}
    if call.method == "GET":
        return client.get(path, follow_redirects=False)
    return client.post(
        path,
        data=form or None,
        files=call.files,
        json=call.json,
        headers=headers,
        follow_redirects=False,
    )


def allowed(role: Role, call: Call) -> bool:
    return call.needs is None or allows(role, call.needs)


def test_every_route_is_in_the_table(app: FastAPI) -> None:
    declared = {(c.method, c.route) for c in CALLS} | ANONYMOUS
    assert set(app_routes(app)) == declared
    assert len({(c.method, c.route) for c in CALLS}) == len(CALLS)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_reaches_exactly_its_routes(
    role: Role,
    client_as: Callable[[Role], TestClient],
    values: dict[str, str],
) -> None:
    client = client_as(role)
    token = csrf_of(client)
    wrong: list[str] = []
    # signing out last, so that every other call runs signed in
    for call in sorted(CALLS, key=lambda c: c.route == "/logout"):
        response = send(client, call, values, token)
        code = response.status_code
        if allowed(role, call):
            if code in (401, 403) or code >= 500:
                wrong.append(f"{call.method} {call.path}: {code}, expected allowed")
        elif code != 403:
            wrong.append(f"{call.method} {call.path}: {code}, expected 403")
    assert wrong == []


def test_a_refusal_is_logged_with_the_route(
    client_as: Callable[[Role], TestClient],
    values: dict[str, str],
    web_ledger: Ledger,
) -> None:
    viewer = client_as(Role.VIEWER)
    assert viewer.get("/records").status_code == 403
    last = web_ledger.custody(last=1)[0]
    assert last.action == "denied" and last.actor == "web-viewer"


def test_no_route_answers_without_a_sign_in(
    anonymous: TestClient, values: dict[str, str]
) -> None:
    for call in CALLS:
        response = send(anonymous, call, values, None)
        if call.route.startswith("/api/"):
            assert response.status_code == 401, call.path
        elif call.unsafe:
            assert response.status_code in (401, 303, 403), call.path
        else:
            assert response.status_code == 303, call.path
            assert response.headers["location"].startswith("/login")


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def table_counts(ledger: Ledger) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    return {
        "sources": len(ledger.sources()),
        "observations": len(ledger.observations()),
        "decisions": len(ledger.link_decisions()),
    }
