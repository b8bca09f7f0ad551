"""`rightsledger plan` and `rightsledger sanctions` on a ledger holding the real
catalogue (its sourced baselines only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsledger.cli.plan_cmds import plan, sanctions
from rightsledger.config import Settings
from rightsledger.ledger import Ledger


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(database_url=f"sqlite:///{tmp_path / 'l.sqlite'}")
    with Ledger.init(s) as ledger:
        ledger.load_catalogue()
    return s


def test_plan_of_one_benchmark(settings: Settings) -> None:
    args = ["icrc-detention-access", "--as-of", "2025-12-01"]
    result = CliRunner().invoke(plan, args, obj=settings)
    assert result.exit_code == 0, result.output
    assert "icrc-detention-access" in result.output
    assert "could supply it: ICRC" in result.output
    assert "dismantle-political-prison-camps" not in result.output


def test_plan_json_lists_every_benchmark(settings: Settings) -> None:
    args = ["--as-of", "2025-12-01", "--json"]
    result = CliRunner().invoke(plan, args, obj=settings)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["as_of"] == "2025-12-01"
    ids = [p["benchmark_id"] for p in data["plans"]]
    assert "release-political-prisoners" in ids
    camps = next(
        p
        for p in data["plans"]
        if p["benchmark_id"] == "dismantle-political-prison-camps"
    )
    assert camps["next_status"] == "partial"
    owners = {s["owner"] for s in camps["suppliers"]}
    assert {"ICRC", "UN", "HRNK"} <= owners


def test_plan_unknown_benchmark_lists_valid_ids(settings: Settings) -> None:
    result = CliRunner().invoke(plan, ["no-such-thing"], obj=settings)
    assert result.exit_code != 0
    assert "no benchmark 'no-such-thing'" in result.output
    assert "release-political-prisoners" in result.output
    assert "Traceback" not in result.output


def test_plan_bad_date_is_a_clean_error(settings: Settings) -> None:
    result = CliRunner().invoke(plan, ["--as-of", "soon"], obj=settings)
    assert result.exit_code == 2
    assert "is not a date" in result.output


def test_sanctions_text(settings: Settings) -> None:
    result = CliRunner().invoke(sanctions, ["--as-of", "2025-12-01"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "suspension" in result.output
    assert "outside-catalogue" in result.output
    assert "(sense of Congress)" in result.output


def test_sanctions_json_and_standard(settings: Settings) -> None:
    args = ["--as-of", "2025-12-01", "--json", "--standard", "clear-and-convincing"]
    result = CliRunner().invoke(sanctions, args, obj=settings)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["standard"] == "clear-and-convincing"
    conditions = {c["id"]: c for g in data["effects"] for c in g["conditions"]}
    assert conditions["NKSPEA-402-2A"]["readiness"] == "outside-catalogue"
    assert conditions["NKSPEA-401a6"]["readiness"] == "not-met"
    assert conditions["NKSPEA-401a6"]["missing"]
    assert all(c["required"] == "clear-and-convincing" for c in conditions.values())


def test_sanctions_rejects_an_unknown_standard(settings: Settings) -> None:
    result = CliRunner().invoke(sanctions, ["--standard", "allegation"], obj=settings)
    assert result.exit_code == 2
