"""scorecard_context: current vs real status, trend, last change, marks, evidence."""

from __future__ import annotations

import inspect
import json
from datetime import datetime
from typing import Any

from rightsledger.report import scorecard_context

from .conftest import REAL_DAY, SIM_1, SIM_2, Sample


def _row(context: dict[str, Any], bid: str) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {b["id"]: b for b in context["benchmarks"]}
    return rows[bid]


def test_benchmarks_in_catalogue_order(context: dict[str, Any]) -> None:
    assert [b["id"] for b in context["benchmarks"]] == [
        "close-camps",
        "release-prisoners",
        "admit-rapporteur",
    ]
    assert context["title"] == "Human-rights benchmarks scorecard — North Korea"
    assert context["as_of"] == SIM_2.isoformat()
    assert context["real_until"] == REAL_DAY.isoformat()
    assert context["generated_at"] == "2028-01-02T09:30:00"


def test_current_and_real_status(context: dict[str, Any]) -> None:
    cc = _row(context, "close-camps")
    assert cc["status"] == "partial"
    assert cc["standard"] == "reasonable-grounds"
    assert cc["real_status"] == "no-progress"
    assert cc["real_as_of"] == REAL_DAY.isoformat()
    assert cc["real_sources"] == ["COI-2014"]
    assert cc["title_ko"] == "정치범수용소 폐쇄"


def test_real_status_falls_back_to_baseline(context: dict[str, Any]) -> None:
    ar = _row(context, "admit-rapporteur")
    assert ar["status"] == "claimed"
    assert ar["as_of"] == SIM_1.isoformat()
    assert ar["real_status"] == "no-progress"
    assert ar["real_standard"] is None
    assert ar["real_as_of"] == "2024-06-01"


def test_trend_and_last_change(context: dict[str, Any]) -> None:
    cc = _row(context, "close-camps")
    assert [c["status"] for c in cc["trend"]] == ["no-progress", "claimed", "partial"]
    assert [c["code"] for c in cc["trend"]] == ["NP", "CL", "PA"]
    assert [c["simulated"] for c in cc["trend"]] == [False, True, True]
    assert cc["last_change"] == {
        "date": SIM_2.isoformat(),
        "from": "claimed",
        "to": "partial",
    }
    rp = _row(context, "release-prisoners")
    assert rp["last_change"] is None
    ar = _row(context, "admit-rapporteur")
    assert [c["status"] for c in ar["trend"]] == [None, "claimed", None]


def test_simulated_flag(context: dict[str, Any]) -> None:
    # close-camps' latest assessment is not flagged, but its evidence is simulated
    assert _row(context, "close-camps")["simulated"] is True
    assert _row(context, "release-prisoners")["simulated"] is False
    assert context["has_simulated"] is True


def test_evidence_trail_newest_first(context: dict[str, Any], sample: Sample) -> None:
    cc = _row(context, "close-camps")
    (ind,) = cc["indicators"]
    assert ind["key"] == "close-camps/camps-closed"
    assert ind["target"] == "camps-closed done"
    assert ind["status"] == "partial"
    assert ind["standard"] == "allegation"
    trail = ind["evidence"]
    assert [e["id"] for e in trail] == [
        sample.ids["imagery"],
        sample.ids["claim"],
        sample.ids["coi"],
    ]
    assert [e["origin"] for e in trail] == ["SIMULATED", "SIMULATED", "REAL"]
    real = trail[-1]
    assert real["citation"] == "COI-2014"
    assert real["source_title"] == "Report of the Commission of Inquiry"
    assert real["source_kind"] == "un-report"
    assert real["owner"] == "UN"
    assert real["reliability"] == "A"
    assert real["credibility"] == 2
    assert real["stance"] == "baseline"
    assert trail[0]["citation"] == ""


def test_missing_observation_is_listed(context: dict[str, Any]) -> None:
    (ind,) = _row(context, "admit-rapporteur")["indicators"]
    (entry,) = ind["evidence"]
    assert entry["missing"] is True
    assert entry["origin"] == "UNKNOWN"


def test_counts_and_estimates(context: dict[str, Any]) -> None:
    counts = {c["status"]: c["count"] for c in context["counts"]}
    assert counts == {
        "no-progress": 1,
        "claimed": 1,
        "partial": 1,
        "verified": 0,
        "contested": 0,
        "regressed": 0,
    }
    assert context["unassessed"] == 0
    real, sim = context["estimates"]
    assert (real["estimate"], real["lower"], real["upper"]) == (80123, 65000, 120001)
    assert real["simulated"] is False
    assert sim["simulated"] is True
    assert real["confidence"] == 95


def test_legend_covers_every_status_and_standard(context: dict[str, Any]) -> None:
    assert [s["value"] for s in context["legend"]["statuses"]] == [
        c["status"] for c in context["counts"]
    ]
    assert all(s["meaning"] for s in context["legend"]["standards"])
    assert len(context["legend"]["standards"]) == 4


def test_context_is_json_serialisable(context: dict[str, Any]) -> None:
    json.dumps(context, ensure_ascii=False)


def test_empty_timeline(sample: Sample) -> None:
    ctx = scorecard_context(
        sample.catalogue,
        {},
        {},
        {},
        [],
        real_until=REAL_DAY,
        generated_at=datetime(2028, 1, 1),
        ledger_label="empty",
    )
    assert ctx["as_of"] is None
    assert ctx["unassessed"] == 3
    assert all(b["real_status"] == "no-progress" for b in ctx["benchmarks"])


def test_signature_takes_no_person_records() -> None:
    """Public safety: the scorecard cannot be handed person-level records."""
    params = inspect.signature(scorecard_context).parameters
    assert not any("record" in name or "person" in name for name in params)
    assert set(params) == {
        "catalogue",
        "timeline",
        "observations",
        "sources",
        "estimates",
        "real_until",
        "generated_at",
        "ledger_label",
        "scenario_note",
        "conditions",
        "sanctions_standard",
        "small_cell",
    }


def test_context_modules_are_pure() -> None:
    """context.py and legend.py import no template engine, terminal or I/O library."""
    import ast
    from pathlib import Path

    import rightsledger.report.context as context_module
    import rightsledger.report.legend as legend_module

    forbidden = {"jinja2", "rich", "sqlalchemy", "click", "fastapi", "duckdb", "os"}
    for module in (context_module, legend_module):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert not names & forbidden, module.__name__
