"""The link review queue on the web: investigators only, most uncertain first,
the weights of each comparison, decisions through the form (CSRF-checked) stored
with who and when, and the page of recent decisions."""

from __future__ import annotations

import re

import pytest

from rightsledger.access import Actor
from rightsledger.chain import run_link
from rightsledger.demo import store_scenario
from rightsledger.domain import Role
from rightsledger.linkage.probabilistic import LinkageConfig
from rightsledger.simulate import simulate
from rightsledger.store import link_rows

from ..test_jobs import SMALL
from .conftest import ROLE_USERS, csrf_of


@pytest.fixture
def linked(web_ledger):
    store_scenario(web_ledger, simulate(SMALL, seed=5))
    run_link(web_ledger, config=LinkageConfig(seed=7))
    result = web_ledger.latest_link_result()
    assert result is not None
    return result


def _decisions(ledger):
    """The decisions as a reviewer reads them; and no note in clear in any row."""
    with ledger.sessions.read() as s:
        rows = link_rows.decisions(s)
    for row in rows:
        assert row.note == "" and row.note_sealed  # sealed, nothing in clear
    reviewer = ledger.acting_as(Actor("reviewer", Role.INVESTIGATOR))
    return [
        (d.left, d.right, d.accept, d.decided_by, d.note)
        for d in reviewer.review_history()
    ]


def _shown_pairs(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-left="([^"]+)" data-right="([^"]+)"', html)


def test_the_queue_is_most_uncertain_first_with_weights(client_as, linked, web_ledger):
    client = client_as(Role.INVESTIGATOR)
    before = len(web_ledger.custody())
    page = client.get("/review")
    assert page.status_code == 200
    shown = _shown_pairs(page.text)
    low, high = linked.parameters["review_band"]
    p = linked.pairs.probability
    band = [
        (abs(p[i] - 0.5), linked.pairs.left[i], linked.pairs.right[i])
        for i in range(len(linked.pairs))
        if low <= p[i] < high
    ]
    expected = [(a, b) for _u, a, b in sorted(band)][: len(shown)]
    assert shown and shown == expected
    # the explain view: every comparison and its weight, drawn without styles
    first = next(
        linked.pairs.pair(i)
        for i in range(len(linked.pairs))
        if (linked.pairs.left[i], linked.pairs.right[i]) == shown[0]
    )
    for name in first.weights:
        assert f'<th scope="row">{name}</th>' in page.text
    assert "<svg" in page.text and "style=" not in page.text
    # names are shown to the investigator, and the read is logged
    new = web_ledger.custody()[before:]
    reads = [e for e in new if e.action == "read-identities"]
    assert reads and reads[0].detail["purpose"] == "link review"
    assert reads[0].actor == ROLE_USERS[Role.INVESTIGATOR]


def test_an_investigator_accepts_a_pair_through_the_form(client_as, linked, web_ledger):
    client = client_as(Role.INVESTIGATOR)
    page = client.get("/review")
    left, right = _shown_pairs(page.text)[0]
    for forged in (
        {"left": left, "right": right, "decision": "accept"},
        {"csrf_token": "forged", "left": left, "right": right, "decision": "accept"},
    ):
        assert client.post("/review/decide", data=forged).status_code == 403
    assert _decisions(web_ledger) == []  # a refused form stores nothing
    token = csrf_of(client, "/review")
    response = client.post(
        "/review/decide",
        data={
            "csrf_token": token,
            "left": left,
            "right": right,
            "decision": "accept",
            "note": "same birth year and camp",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "accepted: one person" in response.text
    user = ROLE_USERS[Role.INVESTIGATOR]
    assert _decisions(web_ledger) == [
        (left, right, True, user, "same birth year and camp")
    ]
    again = client.get("/review")
    assert (left, right) not in _shown_pairs(again.text)  # decided: off the queue
    history = client.get("/review/decisions")
    assert history.status_code == 200
    assert f"{left} / {right}" in history.text and user in history.text
    # without htmx, the form comes back to the queue
    second = _shown_pairs(again.text)[0]
    plain = client.post(
        "/review/decide",
        data={
            "csrf_token": token,
            "left": second[0],
            "right": second[1],
            "decision": "reject",
        },
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/review"
    assert _decisions(web_ledger)[-1][:3] == (second[0], second[1], False)


def test_only_investigators_review(client_as, web_ledger):
    for role in (Role.ANALYST, Role.VIEWER, Role.ADMIN):
        client = client_as(role)
        assert client.get("/review").status_code == 403, role
        assert client.get("/review/decisions").status_code == 403, role
        token = csrf_of(client)
        refused = client.post(
            "/review/decide",
            data={"csrf_token": token, "left": "a", "right": "b", "decision": "accept"},
        )
        assert refused.status_code == 403, role
        assert 'href="/review"' not in client.get("/").text  # not in the navigation
    assert _decisions(web_ledger) == []


def test_a_page_of_the_queue_reads_only_its_own_records(client_as, linked, web_ledger):
    client = client_as(Role.INVESTIGATOR)
    body = client.get("/review?format=json").json()
    shown = {p["left"] for p in body["pairs"]} | {p["right"] for p in body["pairs"]}
    assert shown
    read = [e for e in web_ledger.custody() if e.action == "read-identities"][-1]
    assert read.detail == {"count": len(shown), "purpose": "link review"}
    assert read.detail["count"] < len(web_ledger.pseudonymous_records())
