"""Attacks on the web app, driven by the route table: forged state changes (CSRF),
script injection through every stored text, and names leaking into logs or error
pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightsledger.access import Permission, allows
from rightsledger.domain import Role
from rightsledger.ledger import Ledger

from .conftest import csrf_of
from .routes_table import CALLS, Call
from .test_route_table import NAME, seed, send, table_counts

#: Payloads stored in every text field of the seeded data.
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
RAW = ("<script>alert(1)", "<img src=x onerror")


def role_for(call: Call) -> Role:
    """A role allowed to make ``call`` (investigator where possible)."""
    if call.needs is None or allows(Role.INVESTIGATOR, call.needs):
        return Role.INVESTIGATOR
    return Role.ADMIN


UNSAFE = [c for c in CALLS if c.unsafe and c.route != "/logout"]


@pytest.mark.parametrize("call", UNSAFE, ids=lambda c: f"{c.method} {c.route}")
def test_a_state_change_without_the_csrf_token_is_refused(
    call: Call,
    client_as: Callable[[Role], TestClient],
    web_ledger: Ledger,
    tmp_path: Path,
) -> None:
    values = seed(web_ledger, tmp_path)
    client = client_as(role_for(call))
    before = table_counts(web_ledger)
    for token in (None, "forged-token"):
        if token is None:
            response = send(client, call, values, None)
        else:
            client.headers["X-CSRF-Token"] = token
            response = send(client, call, values, None)
            del client.headers["X-CSRF-Token"]
        assert response.status_code == 403, (token, response.text[:300])
    assert table_counts(web_ledger) == before
    # the same request with the session's token goes through
    assert send(client, call, values, csrf_of(client)).status_code != 403


def test_logout_without_the_token_keeps_the_session(
    client_as: Callable[[Role], TestClient],
) -> None:
    client = client_as(Role.ANALYST)
    assert client.post("/logout").status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


READS = [c for c in CALLS if c.method == "GET"]


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_stored_script_is_rendered_inert_on_every_page(
    role: Role,
    client_as: Callable[[Role], TestClient],
    web_ledger: Ledger,
    tmp_path: Path,
) -> None:
    values = seed(web_ledger, tmp_path, text=XSS)
    client = client_as(role)
    if allows(role, Permission.REVIEW_LINKS):
        token = csrf_of(client)
        form = {"left": "rt-r1", "right": "rt-r2", "decision": "reject", "note": XSS}
        client.post("/review/decide", data=form, headers={"X-CSRF-Token": token})
    shown = 0
    for call in READS:
        response = send(client, call, values, None)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for raw in RAW:
            assert raw not in response.text, (call.path, raw)
        shown += "&lt;script&gt;alert(1)" in response.text
    assert shown > 0  # the payload is on the pages, escaped


def test_no_name_in_any_log_line(
    client_as: Callable[[Role], TestClient],
    web_ledger: Ledger,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    values = seed(web_ledger, tmp_path)
    caplog.set_level(logging.DEBUG)
    investigator = client_as(Role.INVESTIGATOR)
    token = csrf_of(investigator)
    headers = {"X-CSRF-Token": token}
    found = investigator.post("/search/names", data={"name": NAME}, headers=headers)
    assert NAME in found.text  # the investigator does find the person
    shown = investigator.post("/records", data={"purpose": "audit"}, headers=headers)
    assert NAME in shown.text
    investigator.get(f"/search?q={NAME}")
    analyst = client_as(Role.ANALYST)
    refused = analyst.post(
        "/search/names", data={"name": NAME}, headers={"X-CSRF-Token": csrf_of(analyst)}
    )
    assert refused.status_code == 403 and NAME not in refused.text
    for call in CALLS:
        send(analyst, call, values, None)
    # (the test client's own request log is not the server's)
    client_side = ("httpx", "httpcore")
    logged = [
        r.getMessage() for r in caplog.records if not r.name.startswith(client_side)
    ]
    assert logged  # the access log wrote lines
    assert not [line for line in logged if NAME in line or "Chol-ung" in line]


def test_an_error_page_quotes_no_identity(
    client_as: Callable[[Role], TestClient], web_ledger: Ledger, tmp_path: Path
) -> None:
    seed(web_ledger, tmp_path)
    analyst = client_as(Role.ANALYST)
    for path in ("/review", "/sources/no-such", "/benchmarks/no-such", "/nope"):
        response = analyst.get(path)
        assert response.status_code >= 400
        assert NAME not in response.text
