"""`rightsledger demo` builds the whole story from nothing, and its outputs never
show a person's name."""

from __future__ import annotations

import csv
import json
import re

from click.testing import CliRunner
from fastapi.testclient import TestClient

from rightsledger.catalogue import load_catalogue
from rightsledger.cli import cli
from rightsledger.config import Settings
from rightsledger.web import create_app


def test_demo_writes_the_scorecard_and_tells_where_things_are(tmp_path):
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", str(folder), "--seed", "5", "--no-serve"])
    assert result.exit_code == 0, result.output
    for name in [
        "ledger.sqlite",
        "ledger.sqlite.key",
        "scorecard.html",
        "scorecard.md",
    ]:
        assert (folder / name).exists(), name
    assert (folder / "scenario" / "truth").is_dir()
    assert str(folder / "scorecard.html") in result.output
    assert "true number in the scenario" in result.output

    html = (folder / "scorecard.html").read_text(encoding="utf-8")
    for b in load_catalogue().benchmarks:
        assert b.id in html
    assert "SIMULATED" in html
    assert "KINU-2025" in html  # a real baseline shows its source key
    assert_demo_users_can_sign_in(folder, result.output)


def assert_demo_users_can_sign_in(folder, output):
    """Every demo user printed with a password signs in to the web app with it."""
    users_file = folder / "demo-users.txt"
    assert users_file.stat().st_mode & 0o077 == 0  # owner only
    rows = [
        line.split("\t")
        for line in users_file.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert {role for _, role, _ in rows} == {
        "admin",
        "investigator",
        "analyst",
        "viewer",
    }
    settings = Settings(database_url=f"sqlite:///{folder / 'ledger.sqlite'}")
    with TestClient(create_app(settings), base_url="https://localhost") as client:
        for name, _role, password in rows:
            assert f"password {password}" in output
            client.cookies.clear()
            page = client.get("/login").text
            found = re.search(r'name="login_csrf" value="([^"]+)"', page)
            assert found is not None
            form = {"user": name, "password": password, "login_csrf": found.group(1)}
            signed = client.post("/login", data=form, follow_redirects=False)
            assert signed.status_code == 303, name
            assert "Scorecard" in client.get("/").text


def test_demo_outputs_contain_no_names_or_birth_years(tmp_path):
    folder = tmp_path / "demo"
    assert CliRunner().invoke(cli, ["demo", str(folder), "--no-serve"]).exit_code == 0
    with (folder / "scenario" / "records.csv").open(encoding="utf-8") as fh:
        names = {row["full_name"] for row in csv.DictReader(fh)}
    assert len(names) > 100
    outputs = [
        (folder / "scorecard.html").read_text(encoding="utf-8"),
        (folder / "scorecard.md").read_text(encoding="utf-8"),
    ]
    words = {w for text in outputs for w in re.findall(r"[\w'-]+(?: [\w'-]+)+", text)}
    assert not names & words
    for text in outputs:
        assert not any(n in text for n in names if len(n) >= 6)
    raw = (folder / "ledger.sqlite").read_bytes()
    sample = sorted(names)[:200]
    assert not [n for n in sample if n.encode() in raw]


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["demo", str(tmp_path), "--no-serve"])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_simulate_command_is_reproducible(tmp_path):
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(
            cli, ["simulate", str(tmp_path / out), "--seed", "3", "--years", "2"]
        )
        assert result.exit_code == 0, result.output
    a = sorted(
        p.relative_to(tmp_path / "a")
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    )
    assert a
    for rel in a:
        assert (tmp_path / "a" / rel).read_bytes() == (
            tmp_path / "b" / rel
        ).read_bytes()
    deal = json.loads((tmp_path / "a" / "deal.json").read_text(encoding="utf-8"))
    assert deal["clauses"]
