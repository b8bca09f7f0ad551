"""The agreements page: coverage matrix, gaps, and the check of a deal text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from rightsledger.domain import Role
from rightsledger.ledger import Ledger

from .conftest import csrf_of

TEXTS = Path(__file__).parents[1] / "data" / "agreements"


def test_matrix_and_gaps_for_every_role(
    client_as: Callable[[Role], TestClient], web_ledger: Ledger
) -> None:
    catalogue = web_ledger.catalogue()
    singapore = next(a for a in catalogue.agreements if a.id.startswith("singapore"))
    for role in (Role.VIEWER, Role.ANALYST):
        client = client_as(role)
        html = client.get("/agreements")
        assert html.status_code == 200
        assert 'id="coverage"' in html.text
        assert "/static/evidence.css" in html.text
        data = client.get("/agreements?format=json").json()
        ids = [a["id"] for a in data["agreements"]]
        assert set(ids) == {a.id for a in catalogue.agreements}
        row = next(a for a in data["agreements"] if a["id"] == singapore.id)
        covered = {b for c in singapore.clauses for b in c.covers}
        assert set(row["covered"]) == covered
        assert set(row["gaps"]) == {b.id for b in catalogue.benchmarks} - covered
        for clause, stored in zip(singapore.clauses, row["clauses"], strict=True):
            marks = {
                b["id"]
                for b, hit in zip(data["benchmarks"], stored["cells"], strict=True)
                if hit
            }
            assert marks == set(clause.covers)
        anywhere = {
            b for a in catalogue.agreements for c in a.clauses for b in c.covers
        }
        expected = [b.id for b in catalogue.benchmarks if b.id not in anywhere]
        assert data["covered_by_none"] == expected


def test_uploaded_text_shows_bound_and_missed(
    client_as: Callable[[Role], TestClient], web_ledger: Ledger
) -> None:
    client = client_as(Role.VIEWER)
    token = csrf_of(client, "/agreements")
    before = len(web_ledger.custody())
    model = (TEXTS / "model-deal.md").read_bytes()
    response = client.post(
        "/agreements/check?format=json",
        data={"csrf_token": token},
        files={"file": ("model-deal.md", model, "text/markdown")},
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    every = [b.id for b in web_ledger.catalogue().benchmarks]
    assert result["bound"] == every and result["omitted"] == []
    singapore = (TEXTS / "singapore-2018.txt").read_text(encoding="utf-8")
    page = client.post(
        "/agreements/check",
        data={"csrf_token": token, "text": singapore},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert page.status_code == 200
    assert 'id="check-release-political-prisoners" class="cov-missed"' in page.text
    assert "war-remains" in page.text  # the humanitarian clause, not coverage
    assert len(web_ledger.custody()) == before  # a check stores nothing


def test_check_refuses_bad_input(client_as: Callable[[Role], TestClient]) -> None:
    client = client_as(Role.ANALYST)
    token = csrf_of(client, "/agreements")
    no_token = client.post("/agreements/check", data={"text": "The DPRK shall."})
    assert no_token.status_code == 403
    empty = client.post("/agreements/check", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 422
    assert 'id="problem-text"' in empty.text
    binary = client.post(
        "/agreements/check",
        data={"csrf_token": token},
        files={"file": ("deal.txt", b"\x00\x01\x02", "text/plain")},
    )
    assert binary.status_code == 422
    assert 'id="problem-file"' in binary.text and "binary file" in binary.text
    assert "rl-agreement-" not in binary.text  # the temporary path stays hidden
    huge = client.post(
        "/agreements/check",
        data={"csrf_token": token},
        files={"file": ("deal.txt", b"a" * 2_100_000, "text/plain")},
    )
    assert huge.status_code == 413
    assert "too large" in huge.text
