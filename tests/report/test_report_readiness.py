"""The scorecard's verification plans and sanctions readiness: in the context, in
HTML and in Markdown, with no person named."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rightsledger.domain import (
    Confidentiality,
    Reliability,
    SanctionsCondition,
    Source,
    SourceKind,
    StandardOfProof,
)
from rightsledger.report import render_html, render_markdown, scorecard_context

from .conftest import REAL_DAY, Sample

CONDITIONS = (
    SanctionsCondition(
        "SUSP-1", "22 U.S.C. 1(a)", "suspension", "Close the camps.", ("close-camps",)
    ),
    SanctionsCondition("SUSP-2", "22 U.S.C. 1(b)", "suspension", "Counterfeiting.", ()),
    SanctionsCondition(
        "AID-1",
        "22 U.S.C. 2",
        "aid (sense of Congress)",
        "Release prisoners.",
        ("release-prisoners",),
        binding=False,
    ),
)


def _context(sample: Sample, **kw: Any) -> dict[str, Any]:
    return scorecard_context(
        sample.catalogue,
        sample.timeline,
        sample.observations,
        sample.sources,
        sample.estimates,
        real_until=REAL_DAY,
        generated_at=datetime(2028, 1, 2),
        ledger_label="x.db",
        **kw,
    )


def _row(ctx: dict[str, Any], bid: str) -> dict[str, Any]:
    return next(b for b in ctx["benchmarks"] if b["id"] == bid)


def test_every_open_benchmark_has_a_plan(context: dict[str, Any]) -> None:
    plan = _row(context, "close-camps")["plan"]
    assert plan["status"] == "partial"
    assert plan["next_status"] == "verified"
    (ind,) = plan["indicators"]
    assert ind["key"] == "close-camps/camps-closed"
    (need,) = ind["needs"]
    assert need["text"].startswith("1 more independent owner(s)")
    # the imagery owner already counts; the state never supplies
    assert "Analyst NGO" not in need["suppliers"]
    assert "DPRK" not in need["suppliers"]
    assert "UN" in need["suppliers"]


def test_no_conditions_gives_an_empty_section(context: dict[str, Any]) -> None:
    assert context["sanctions"]["effects"] == []
    assert context["sanctions"]["standard"] == "reasonable-grounds"
    assert "No sanctions conditions" in render_html(context)


def test_sanctions_grouped_by_effect(sample: Sample) -> None:
    ctx = _context(sample, conditions=CONDITIONS)
    effects = ctx["sanctions"]["effects"]
    assert [g["effect"] for g in effects] == ["suspension", "aid (sense of Congress)"]
    susp = {c["id"]: c for c in effects[0]["conditions"]}
    assert susp["SUSP-1"]["readiness"] == "not-met"
    assert susp["SUSP-1"]["benchmarks"][0]["status"] == "partial"
    assert susp["SUSP-1"]["missing"][0]["benchmark_id"] == "close-camps"
    assert susp["SUSP-2"]["readiness"] == "outside-catalogue"
    assert effects[1]["conditions"][0]["binding"] is False
    assert ctx["sanctions"]["counts"] == {"not-met": 2, "outside-catalogue": 1}


def test_catalogue_conditions_are_the_default(sample: Sample) -> None:
    from dataclasses import replace

    sample.catalogue = replace(sample.catalogue, conditions=CONDITIONS)
    assert len(_context(sample)["sanctions"]["effects"]) == 2
    assert _context(sample, conditions=())["sanctions"]["effects"] == []


def test_required_standard_is_passed_through(sample: Sample) -> None:
    ctx = _context(
        sample,
        conditions=CONDITIONS,
        sanctions_standard=StandardOfProof.CLEAR_AND_CONVINCING,
    )
    first = ctx["sanctions"]["effects"][0]["conditions"][0]
    assert first["required"] == "clear-and-convincing"


def test_html_and_markdown_show_both_sections(sample: Sample) -> None:
    ctx = _context(sample, conditions=CONDITIONS)
    html = render_html(ctx)
    assert 'id="sanctions"' in html
    assert 'id="cond-SUSP-1"' in html
    assert "outside-catalogue" in html
    assert 'id="plan-close-camps"' in html
    assert "Verification plan" in html
    assert "sense of Congress, not binding" in html
    md = render_markdown(ctx)
    assert "## Sanctions readiness" in md
    assert "**Verification plan:**" in md
    assert "| **SUSP-2** 22 U.S.C. 1(b): Counterfeiting." in md


def test_plans_never_name_a_witness_or_a_hidden_source(sample: Sample) -> None:
    extra = {
        "w": Source(
            "w", SourceKind.TESTIMONY, "Interview", "Kim Chol-su", Reliability.A, None
        ),
        "h": Source(
            "h",
            SourceKind.UN_REPORT,
            "Internal note",
            "Secret Desk",
            Reliability.A,
            None,
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    }
    sample.sources = {**sample.sources, **extra}
    ctx = _context(sample, conditions=CONDITIONS)
    html, md = render_html(ctx), render_markdown(ctx)
    for text in (html, md):
        assert "Kim Chol-su" not in text
        assert "Secret Desk" not in text


def test_unknown_source_does_not_break_the_plans(sample: Sample) -> None:
    sample.sources = {k: v for k, v in sample.sources.items() if k != "imagery"}
    ctx = _context(sample, conditions=CONDITIONS)
    assert _row(ctx, "close-camps")["plan"] is not None
