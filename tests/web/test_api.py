"""The JSON API: token auth, every role x every operation, pagination, filters,
small-cell suppression, link decisions, and no identity in any answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rightsledger.chain import run_assess, run_estimate, run_link
from rightsledger.demo import assessment_dates, store_scenario, yearly_populations
from rightsledger.domain import (
    Confidentiality,
    Credibility,
    EstimateResult,
    Observation,
    Origin,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.ledger import Ledger
from rightsledger.simulate import ScenarioConfig, simulate

from .conftest import ROLE_USERS, csrf_of

REAL_UNTIL = date(2026, 11, 27)
CONFIG = ScenarioConfig(
    years=2,
    initial_population={
        "kwanliso-14": 40,
        "kwanliso-15": 20,
        "kwanliso-16": 30,
        "kwanliso-25": 20,
    },
    arrests_per_month_before=2,
    arrests_per_month_after=1,
)
SCENARIO = simulate(CONFIG, seed=11)

#: A source only analysts and up may see, and what it says.
RESTRICTED = Source(
    id="restricted-interviews",
    kind=SourceKind.NGO_REPORT,
    title="Interview notes (restricted)",
    owner="Hanul Documentation Centre (fictional)",
    reliability=Reliability.B,
    published_on=date(2026, 3, 1),
    confidentiality=Confidentiality.RESTRICTED,
)
RESTRICTED_OBSERVATION = Observation(
    source_id=RESTRICTED.id,
    indicator_key="release-political-prisoners/verified-releases",
    observed_on=date(2026, 3, 2),
    stance=Stance.SUPPORTS,
    credibility=Credibility.POSSIBLY_TRUE,
    summary="Interviewees describe a release from Camp 15.",
    facility_id="kwanliso-15",
)

GETS = (
    "/api/v1/me",
    "/api/v1/benchmarks",
    "/api/v1/benchmarks/release-political-prisoners",
    "/api/v1/observations",
    "/api/v1/sources",
    "/api/v1/facilities",
    "/api/v1/estimates",
    "/api/v1/agreements",
    "/api/v1/sanctions",
    "/api/v1/persons",
)

#: Who may use what: every role may read the public picture, analysts and up
#: the persons, and only investigators decide links.
ALLOWED: dict[str, set[Role]] = {
    **{path: set(Role) for path in GETS},
    "/api/v1/persons": {Role.ADMIN, Role.INVESTIGATOR, Role.ANALYST},
    "POST /api/v1/link-decisions": {Role.INVESTIGATOR},
}


@pytest.fixture
def token_client(
    app: FastAPI, web_ledger: Ledger
) -> Iterator[Callable[[Role], TestClient]]:
    """A TestClient that sends the API token of the user of a role (one token,
    and one client, per role: a new token would revoke the previous one)."""
    clients: dict[Role, TestClient] = {}

    def _client(role: Role) -> TestClient:
        if role not in clients:
            token = web_ledger.issue_token(ROLE_USERS[role])
            clients[role] = TestClient(
                app,
                base_url="https://testserver",
                headers={"Authorization": f"Bearer {token}"},
            )
            clients[role].__enter__()
        return clients[role]

    yield _client
    for client in clients.values():
        client.__exit__(None, None, None)


@dataclass(frozen=True)
class Data:
    names: set[str]
    birth_years: set[int]
    record_ids: list[str]


def fill(ledger: Ledger) -> Data:
    """A small ledger with everything: the scenario's lists, sources and
    observations, a restricted source, a linkage, estimates and assessments."""
    store_scenario(ledger, SCENARIO)
    ledger.add_evidence(
        sources=[RESTRICTED], observations=[RESTRICTED_OBSERVATION], label="notes"
    )
    run_link(ledger, method="exact")
    run_estimate(ledger, yearly_populations(CONFIG), linkage_uncertainty=False)
    run_assess(ledger, assessment_dates(REAL_UNTIL, CONFIG))
    records = SCENARIO.records
    return Data(
        names={r.full_name for r in records},
        birth_years={r.birth_year for r in records if r.birth_year is not None},
        record_ids=sorted(r.record_id for r in records),
    )


@pytest.fixture
def data(web_ledger: Ledger) -> Data:
    return fill(web_ledger)


def _denied_reasons(ledger: Ledger) -> list[str]:
    return [str(e.detail["why"]) for e in ledger.custody() if e.action == "denied"]


def test_tokens_and_sessions(
    token_client: Callable[[Role], TestClient],
    client_as: Callable[[Role], TestClient],
    app: FastAPI,
    web_ledger: Ledger,
) -> None:
    me = token_client(Role.ANALYST).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json() == {
        "name": ROLE_USERS[Role.ANALYST],
        "role": "analyst",
        "permissions": [
            "read public results",
            "read evidence",
            "run analyses",
            "write the public export",
        ],
        "via": "token",
    }
    assert client_as(Role.VIEWER).get("/api/v1/me").json()["via"] == "session"
    user = ROLE_USERS[Role.ANALYST]
    old = web_ledger.issue_token(user)
    new = web_ledger.issue_token(user)  # the old one stops working
    with TestClient(app, base_url="https://testserver") as client:
        for token in ("not-a-token", old):
            answer = client.get(
                "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 401
            assert answer.headers["www-authenticate"] == "Bearer"
            assert answer.json() == {
                "ok": False,
                "error": "unknown or revoked API token",
                "errors": [],
                "status": 401,
            }
        assert _denied_reasons(web_ledger).count("unknown token") == 2
        web_ledger.set_role(user, active=False)
        refused = client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"})
        assert refused.status_code == 401
        assert _denied_reasons(web_ledger)[-1] == "user disabled"
        anonymous = client.get("/api/v1/benchmarks")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"] == "sign in or send an API token"


def _decision(ids: list[str], note: str = "") -> dict[str, Any]:
    return {"left": ids[0], "right": ids[1], "accept": True, "note": note}


def _values(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _values(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v, key)
    else:
        yield key, node


#: Numeric fields that are counts, bounds or measures, never a birth year.
AGGREGATES = {"estimate", "lower", "upper", "observed", "limit", "size", "count"}


def assert_no_identity(text: str, data: Data, where: object) -> None:
    """No synthetic name, and no birth year outside an aggregate field."""
    leaked = [n for n in data.names if n in text]
    assert not leaked, (where, leaked[:3])
    assert "birth" not in text and "full_name" not in text
    for key, value in _values(json.loads(text)):
        if isinstance(value, int) and key not in AGGREGATES:
            assert value not in data.birth_years, (where, key, value)


def test_every_role_and_operation_and_no_identity_anywhere(
    token_client: Callable[[Role], TestClient], web_ledger: Ledger, data: Data
) -> None:
    assert data.names and data.birth_years
    for role in Role:
        client = token_client(role)
        for path in (*GETS, "/api/v1/observations?limit=500"):
            answer = client.get(path)
            expected = 200 if role in ALLOWED[path.split("?")[0]] else 403
            assert answer.status_code == expected, (role, path, answer.text)
            assert answer.headers["content-type"] == "application/json"
            assert_no_identity(answer.text, data, (role, path))
        posted = client.post("/api/v1/link-decisions", json=_decision(data.record_ids))
        allowed = role in ALLOWED["POST /api/v1/link-decisions"]
        assert posted.status_code == (201 if allowed else 403), (role, posted.text)
        assert_no_identity(posted.text, data, (role, "link-decisions"))
    denied = {(e.actor, e.target) for e in web_ledger.custody() if e.action == "denied"}
    pair = f"{data.record_ids[0]} / {data.record_ids[1]}"
    assert (ROLE_USERS[Role.VIEWER], "read evidence (persons)") in denied
    assert (ROLE_USERS[Role.ANALYST], f"review links ({pair})") in denied


def _walk(client: TestClient, query: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url = f"/api/v1/observations?{query}"
    for _ in range(100):
        page = client.get(url).json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        url = f"/api/v1/observations?{query}&cursor={page['next_cursor']}"
    raise AssertionError("the cursor never ended")


def check_pages(client: TestClient, ledger: Ledger) -> None:
    everything = client.get("/api/v1/observations?limit=500").json()
    assert everything["next_cursor"] is None
    paged = _walk(client, "limit=7")
    assert paged == everything["items"]
    assert len(paged) == len(ledger.observations()) > 14
    keys = [(o["observed_on"], o["id"]) for o in paged]
    assert keys == sorted(keys)
    assert _walk(client, "limit=7") == paged  # the same pages again
    by_offset = client.get("/api/v1/observations?limit=7&offset=7").json()
    assert by_offset["items"] == paged[7:14]


def check_filters(client: TestClient, ledger: Ledger) -> None:
    every = ledger.observations()
    bid = "release-political-prisoners"
    cases: dict[str, Callable[[Observation], bool]] = {
        f"benchmark={bid}": lambda o: o.indicator_key.startswith(f"{bid}/"),
        "facility=kwanliso-15": lambda o: o.facility_id == "kwanliso-15",
        "source=sim-list-hanul": lambda o: o.source_id == "sim-list-hanul",
        "since=2027-06-01&until=2027-12-31": lambda o: (
            date(2027, 6, 1) <= o.observed_on <= date(2027, 12, 31)
        ),
    }
    for query, keep in cases.items():
        got = [o["id"] for o in _walk(client, f"limit=5&{query}")]
        assert set(got) == {o.id for o in every if keep(o)}, query
        assert got, query


BAD_QUERIES = (
    "limit=0",
    "limit=501",
    "offset=10001",
    "cursor=bm90LWEtY3Vyc29y",
    "cursor=abc&offset=3",
    "since=2027-13-01",
    "source=has%20space",
)


def check_public_only(token_client: Callable[[Role], TestClient]) -> None:
    seen: dict[Role, set[str]] = {}
    for role in (Role.VIEWER, Role.ANALYST):
        client = token_client(role)
        sources = {s["id"] for s in client.get("/api/v1/sources").json()["items"]}
        page = client.get("/api/v1/observations?limit=500").json()
        visible = {o["id"] for o in page["items"]}
        seen[role] = sources | {o["source_id"] for o in page["items"]}
        filtered = client.get(f"/api/v1/observations?source={RESTRICTED.id}").json()
        assert len(filtered["items"]) == (0 if role is Role.VIEWER else 1)
        for b in client.get("/api/v1/benchmarks").json()["items"]:
            detail = client.get(f"/api/v1/benchmarks/{b['id']}").json()
            cited = {oid for i in detail["indicators"] for oid in i["evidence"]}
            assert cited <= visible, (role, b["id"])
    assert RESTRICTED.id not in seen[Role.VIEWER]
    assert RESTRICTED.id in seen[Role.ANALYST]


def test_observations_pages_filters_and_visibility(
    token_client: Callable[[Role], TestClient], web_ledger: Ledger, data: Data
) -> None:
    analyst = token_client(Role.ANALYST)
    check_pages(analyst, web_ledger)
    check_filters(analyst, web_ledger)
    check_public_only(token_client)
    for query in BAD_QUERIES:
        answer = analyst.get(f"/api/v1/observations?{query}")
        assert answer.status_code == 422, (query, answer.text)
        body = answer.json()
        assert body["ok"] is False and body["status"] == 422 and body["errors"]


def check_persons(client: TestClient, ledger: Ledger) -> None:
    persons: list[dict[str, Any]] = []
    url = "/api/v1/persons?limit=10"
    while url:
        page = client.get(url).json()
        persons += page["items"]
        nxt = page["next_cursor"]
        url = f"/api/v1/persons?limit=10&cursor={nxt}" if nxt else ""
    clustering = ledger.latest_clustering()
    assert len(persons) == clustering.n_persons
    assert sum(p["size"] for p in persons) == len(clustering.assignment)
    assert [p["id"] for p in persons] == sorted(p["id"] for p in persons)
    records = {r.full_name: r for r in ledger.pseudonymous_records()}
    for p in persons:
        assert p["lists"] == sorted({records[x].source_id for x in p["pseudonyms"]})


def test_persons_and_link_decisions(
    token_client: Callable[[Role], TestClient],
    client_as: Callable[[Role], TestClient],
    web_ledger: Ledger,
    data: Data,
) -> None:
    check_persons(token_client(Role.ANALYST), web_ledger)
    client = token_client(Role.INVESTIGATOR)
    left, right = data.record_ids[3], data.record_ids[2]
    body = {"left": left, "right": right, "accept": False, "note": "different camps"}
    stored = client.post("/api/v1/link-decisions", json=body)
    assert stored.status_code == 201, stored.text
    assert stored.json() == {
        "left": right,  # stored in sorted order
        "right": left,
        "accept": False,
        "note": "different camps",
        "decided_at": stored.json()["decided_at"],
        "decided_by": ROLE_USERS[Role.INVESTIGATOR],
    }
    assert web_ledger.custody()[-1].action == "reject-link"
    assert not web_ledger.link_decisions()[-1].accept
    unknown = client.post("/api/v1/link-decisions", json={**body, "left": "nope"})
    assert unknown.status_code == 404
    same = client.post("/api/v1/link-decisions", json={**body, "right": left})
    assert same.status_code == 422
    session = client_as(Role.INVESTIGATOR)
    no_csrf = session.post("/api/v1/link-decisions", json=body)
    assert no_csrf.status_code == 403
    with_csrf = session.post(
        "/api/v1/link-decisions",
        json=body,
        headers={"X-CSRF-Token": csrf_of(session)},
    )
    assert with_csrf.status_code == 201


def test_small_observed_counts_are_withheld_from_all_but_investigators(
    token_client: Callable[[Role], TestClient], web_ledger: Ledger
) -> None:
    small = EstimateResult("camp-x", "loglinear", 7.6, 3.2, 19.9, 3, ("a", "b"))
    web_ledger.record_run("estimate", {}, [], estimates=[small], origin=Origin.REAL)
    for role in Role:
        (item,) = token_client(role).get("/api/v1/estimates").json()["items"]
        assert (item["estimate"], item["lower"], item["upper"]) == (8, 3, 20)
        if role is Role.INVESTIGATOR:
            assert (item["observed"], item["observed_suppressed"]) == (3, False)
        else:
            assert item["observed"] is None
            assert item["observed_suppressed"] is True
            assert item["observed_shown"] == "<5"
