"""Jobs on the web: start a linkage run from the page, poll its progress until
it is done, see the result; viewers are refused; CSRF is enforced."""

from __future__ import annotations

import re
import time

from rightsledger.demo import store_scenario
from rightsledger.domain import Role
from rightsledger.simulate import simulate
from rightsledger.store.tables import JobRow

from ..test_jobs import SMALL
from .conftest import csrf_of


def _poll(client, job_id: str, seconds: float = 120.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        box = client.get(f"/jobs/{job_id}/progress")
        assert box.status_code == 200
        if 'hx-trigger="every 1s"' not in box.text:
            return str(box.text)
        assert time.monotonic() < deadline, box.text
        time.sleep(0.2)


def test_an_analyst_starts_a_link_job_and_watches_it(client_as, web_ledger):
    store_scenario(web_ledger, simulate(SMALL, seed=4))
    client = client_as(Role.ANALYST)
    listing = client.get("/jobs")
    assert listing.status_code == 200
    assert 'action="/jobs/link"' in listing.text
    token = csrf_of(client, "/jobs")
    started = client.post(
        "/jobs/link",
        data={"csrf_token": token, "method": "exact"},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    job_id = started.headers["location"].rsplit("/", 1)[1]
    first = client.get(f"/jobs/{job_id}")
    assert first.status_code == 200
    assert 'id="job-progress"' in first.text
    assert "style=" not in first.text  # the CSP blocks inline styles
    done = _poll(client, job_id)
    assert "<progress" in done and 'value="100"' in done
    data = client.get(f"/jobs/{job_id}?format=json").json()["job"]
    assert data["state"] == "done" and data["kind"] == "link"
    assert data["result"]["method"] and data["result"]["run_id"]
    records = data["result"]["records"]
    assert records == len(web_ledger.pseudonymous_records())
    assert re.search(rf">\s*{records}\s*<", done)
    mine = client.get("/jobs?format=json").json()["jobs"]
    assert [j["id"] for j in mine] == [job_id]
    actions = [e.action for e in web_ledger.custody() if e.target == job_id]
    assert actions == ["job-start", "job-done"]


def test_a_failed_job_shows_its_reason(client_as, web_ledger):
    client = client_as(Role.ANALYST)
    token = csrf_of(client, "/jobs")
    started = client.post(
        "/jobs/link", data={"csrf_token": token}, follow_redirects=False
    )
    job_id = started.headers["location"].rsplit("/", 1)[1]
    box = _poll(client, job_id)
    assert "no person records in the ledger to link" in box
    assert "Traceback" not in box
    # another user's job is not found; an admin sees every job
    assert client_as(Role.INVESTIGATOR).get(f"/jobs/{job_id}").status_code == 404
    assert client_as(Role.ADMIN).get(f"/jobs/{job_id}").status_code == 200


def test_viewers_and_forged_forms_start_nothing(client_as, web_ledger):
    viewer = client_as(Role.VIEWER)
    assert viewer.get("/jobs").status_code == 403
    refused = viewer.post("/jobs/link", data={"csrf_token": csrf_of(viewer)})
    assert refused.status_code == 403
    analyst = client_as(Role.ANALYST)
    assert analyst.post("/jobs/link", data={"csrf_token": "x"}).status_code == 403
    assert analyst.post("/jobs/link").status_code == 403
    response = analyst.post(
        "/jobs/estimate",
        data={
            "csrf_token": csrf_of(analyst, "/jobs"),
            "from": "2027-12-31",
            "to": "2027-01-01",
        },
    )
    assert response.status_code == 422  # a bad form starts no job
    with web_ledger.sessions.read() as s:
        assert s.query(JobRow).count() == 0
