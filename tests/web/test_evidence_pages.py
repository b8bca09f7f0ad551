"""Sources, intake forms, imports and person records: who sees what, CSRF, field
problems that leave the ledger unchanged, escaping, and logged reads of names."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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
from rightsledger.web.routes import sources as sources_routes

from .conftest import csrf_of

NAME = "Pyon Ung-dok"  # synthetic
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def seeded(web_ledger: Ledger) -> Ledger:
    indicator = web_ledger.catalogue().indicators()[0].key
    web_ledger.add_evidence(
        sources=[
            Source(
                "zz-list",
                SourceKind.NGO_LIST,
                "Restricted list",
                "An NGO",
                Reliability.C,
                date(2022, 1, 1),
                Confidentiality.RESTRICTED,
            ),
        ],
        observations=[
            Observation(
                "zz-list",
                indicator,
                date(2022, 1 + n // 28, 1 + n % 28),
                Stance.SUPPORTS,
                Credibility.POSSIBLY_TRUE,
                f"entry {n:02d}",
            )
            for n in range(55)
        ],
        records=[
            PersonRecord("zz-r1", "zz-list", NAME, "M", 1958, "Hamgyong", None, 1999),
        ],
    )
    return web_ledger


def _counts(ledger: Ledger) -> tuple[int, int]:
    return len(ledger.sources()), len(ledger.observations())


def test_roles_on_pages_and_forms(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    viewer = client_as(Role.VIEWER)
    for path in ("/records", "/sources/new", "/observations/new", "/imports/new"):
        assert viewer.get(path).status_code == 403, path
    listed = viewer.get("/sources?format=json").json()
    assert listed["sources"] and all(
        s["confidentiality"] == "public" for s in listed["sources"]
    )
    assert viewer.get("/sources/zz-list").status_code == 404
    token = csrf_of(viewer, "/sources")
    form = {"csrf_token": token, "id": "v-1", "kind": "media", "title": "t"}
    assert viewer.post("/sources", data=form).status_code == 403
    analyst = client_as(Role.ANALYST)
    assert analyst.get("/sources/new").status_code == 403
    detail = analyst.get("/sources/zz-list?page=2&format=json").json()
    assert (detail["total"], detail["page"], detail["pages"]) == (55, 2, 2)
    assert [o["summary"] for o in detail["observations"]][-1] == "entry 00"
    assert len(analyst.get("/sources/zz-list?format=json").json()["observations"]) == 50


def test_records_show_names_only_when_an_investigator_asks(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    analyst = client_as(Role.ANALYST)
    page = analyst.get("/records")
    pseudonym = seeded.pseudonymous_records()[0].full_name
    assert pseudonym in page.text and NAME not in page.text and "1958" not in page.text
    assert NAME not in analyst.get("/records?format=json").text
    token = csrf_of(analyst, "/records")
    asked = analyst.post("/records", data={"csrf_token": token, "purpose": "curious"})
    assert asked.status_code == 403 and NAME not in asked.text
    investigator = client_as(Role.INVESTIGATOR)
    shown = investigator.get("/records")
    assert "Show names" in shown.text and NAME not in shown.text
    token = csrf_of(investigator, "/records")
    reads = len([e for e in seeded.custody() if e.action == "read-identities"])
    assert investigator.post("/records", data={"purpose": "x"}).status_code == 403
    blank = investigator.post("/records", data={"csrf_token": token, "purpose": " "})
    assert blank.status_code == 422 and 'id="problem-purpose"' in blank.text
    assert NAME not in blank.text
    why = "case 17: family tracing request"
    named = investigator.post("/records", data={"csrf_token": token, "purpose": why})
    assert named.status_code == 200 and NAME in named.text and "1958" in named.text
    logged = [e for e in seeded.custody() if e.action == "read-identities"]
    assert len(logged) == reads + 1
    assert why in str(logged[-1].detail["purpose"])


def test_source_form_checks_fields_and_escapes(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    client = client_as(Role.INVESTIGATOR)
    token = csrf_of(client, "/sources/new")
    before = _counts(seeded)
    good = {
        "id": "zz-new",
        "kind": "media",
        "title": XSS,
        "owner": "Press",
        "reliability": "B",
        "published_on": "2023-05-01",
        "confidentiality": "public",
    }
    assert client.post("/sources", data=good).status_code == 403  # no token
    bad = {**good, "title": "", "reliability": "Z", "published_on": "2023-13-01"}
    refused = client.post("/sources", data={**bad, "csrf_token": token})
    assert refused.status_code == 422
    for field in ("title", "reliability", "published_on"):
        assert f'id="problem-{field}"' in refused.text
    assert 'value="2023-13-01"' in refused.text and 'value="zz-new"' in refused.text
    assert _counts(seeded) == before
    saved = client.post(
        "/sources", data={**good, "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/sources/zz-new?added=source"
    for path in ("/sources/zz-new", "/sources", "/search?q=alert"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(" in text
    again = client.post("/sources", data={**good, "csrf_token": token})
    assert again.status_code == 422 and 'id="problem-id"' in again.text
    assert _counts(seeded) == (before[0] + 1, before[1])


def test_observation_form(
    client_as: Callable[[Role], TestClient], seeded: Ledger
) -> None:
    client = client_as(Role.INVESTIGATOR)
    token = csrf_of(client, "/observations/new?source_id=zz-list")
    indicator = seeded.catalogue().indicators()[1].key
    form = {
        "csrf_token": token,
        "source_id": "zz-list",
        "indicator_key": "no-such/indicator",
        "observed_on": "2099-01-01",
        "stance": "supports",
        "credibility": "2",
        "summary": "Seen on imagery",
    }
    before = _counts(seeded)
    refused = client.post("/observations", data=form)
    assert refused.status_code == 422
    assert 'id="problem-indicator_key"' in refused.text
    assert 'id="problem-observed_on"' in refused.text
    assert _counts(seeded) == before
    ok = {**form, "indicator_key": indicator, "observed_on": "2024-02-03"}
    saved = client.post("/observations", data=ok, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/sources/zz-list?added=observation"
    assert _counts(seeded) == (before[0], before[1] + 1)
    again = client.post("/observations", data=ok, follow_redirects=False)
    assert again.headers["location"] == "/sources/zz-list?added=duplicate"
    assert _counts(seeded) == (before[0], before[1] + 1)


def test_import_upload_and_attachments(
    client_as: Callable[[Role], TestClient], seeded: Ledger, tmp_path: Path
) -> None:
    client = client_as(Role.INVESTIGATOR)
    token = csrf_of(client, "/imports/new")
    before = _counts(seeded)
    broken = "id,kind,title,owner,reliability\nzz-a,media,A,Press,Q\n"
    refused = client.post(
        "/imports",
        data={"csrf_token": token, "kind": "sources"},
        files={"file": ("sources.csv", broken.encode(), "text/csv")},
    )
    assert refused.status_code == 422 and 'id="import-problems"' in refused.text
    assert _counts(seeded) == before
    good = "id,kind,title,owner,reliability\nzz-a,media,A,Press,B\n"
    done = client.post(
        "/imports?format=json",
        data={"csrf_token": token, "kind": "sources"},
        files={"file": ("sources.csv", good.encode(), "text/csv")},
    )
    assert done.json()["summary"]["added"] == 1
    assert _counts(seeded) == (before[0] + 1, before[1])
    _import_as_a_job(client, token, seeded)
    file = tmp_path / f"{NAME}.txt"
    file.write_bytes(b"scanned list")
    sha = seeded.attach("zz-list", file, collected_by="team", method="copy").sha256
    analyst = client_as(Role.ANALYST)
    hidden = analyst.get("/sources/zz-list")
    assert sha[:16] in hidden.text and NAME not in hidden.text
    assert analyst.get(f"/sources/zz-list/files/{sha}").status_code == 403
    shown = client.get("/sources/zz-list")
    assert f"{NAME}.txt" in shown.text
    download = client.get(f"/sources/zz-list/files/{sha}")
    assert download.status_code == 200 and download.content == b"scanned list"
    assert seeded.custody()[-1].action == "read-file"


def _import_as_a_job(client: TestClient, token: str, ledger: Ledger) -> None:
    """A larger upload becomes a job: the form redirects to the job's page,
    which reports the import once the job thread is done."""
    before = _counts(ledger)
    rows = "".join(f"zz-job-{i},media,T{i},Press,B\n" for i in range(40))
    body = ("id,kind,title,owner,reliability\n" + rows).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources_routes, "JOB_FROM_BYTES", 100)
        started = client.post(
            "/imports",
            data={"csrf_token": token, "kind": "sources"},
            files={"file": ("more-sources.csv", body, "text/csv")},
            follow_redirects=False,
        )
    assert started.status_code == 303
    job_page = started.headers["location"]
    assert job_page.startswith("/jobs/")
    deadline = time.monotonic() + 60
    while (state := client.get(f"{job_page}?format=json").json()["job"])[
        "state"
    ] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["state"] == "done", state
    assert _counts(ledger) == (before[0] + 40, before[1])
