"""Renderers: escaping, real/simulated marks, completeness, no external assets."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console

from rightsledger.report import render_html, render_markdown, render_terminal
from rightsledger.report.render import _md_escape

from .conftest import MALICIOUS

SYNTHETIC_NAMES = ["Kim Chol-su", "Ri Yong-hui", "Pak Myong-nam"]


def _section(html: str, bid: str) -> str:
    start = html.index(f'id="b-{bid}"')
    end = html.find("</section>", start)
    return html[start:end]


def _main_row(html: str, bid: str) -> str:
    start = html.index(f'<tr id="row-{bid}"')
    return html[start : html.index("</tr>", start)]


def test_html_escapes_user_text(context: dict[str, Any]) -> None:
    html = render_html(context)
    assert MALICIOUS not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_marks_simulated_and_real(context: dict[str, Any]) -> None:
    html = render_html(context)
    assert "SIMULATED" in _main_row(html, "close-camps")
    assert 'class="simrow"' in _main_row(html, "close-camps")
    assert "SIMULATED" not in _main_row(html, "release-prisoners")
    assert "COI-2014" in _main_row(html, "release-prisoners")
    assert "NGO-2024" in _section(html, "release-prisoners")
    assert "Simulated scenario, seed 20271" in html
    assert "2024-12-31" in html


def test_html_has_every_benchmark_and_status(context: dict[str, Any]) -> None:
    html = render_html(context)
    for b in context["benchmarks"]:
        assert f'id="row-{b["id"]}"' in html
        assert f'badge st-{b["status"]}">{b["status"]}<' in html
    assert 'lang="ko"' in html
    assert "정치범수용소 폐쇄" in html
    assert "Noto Sans CJK KR" in html
    assert "Human-rights benchmarks scorecard — North Korea" in html
    assert "/tmp/ledger.db" in html


def test_html_has_no_external_assets(context: dict[str, Any]) -> None:
    html = render_html(context)
    assert "<script" not in html
    for tag in re.findall(r"<(?:link|script|img|iframe)\b[^>]*>", html, flags=re.I):
        assert "http" not in tag
    assert "@import" not in html
    assert "url(http" not in html


def test_html_contains_no_person_names(context: dict[str, Any]) -> None:
    """The scorecard never receives PersonRecord data, so no name can appear."""
    html = render_html(context)
    for name in SYNTHETIC_NAMES:
        assert name not in html


def test_markdown_lists_everything_and_escapes(context: dict[str, Any]) -> None:
    md = render_markdown(context)
    for b in context["benchmarks"]:
        assert b["id"] in md
        assert b["status"] in md
    assert "**SIMULATED**" in md
    assert "COI-2014" in md
    assert "<script>" not in md
    assert r"\<script\>" in md
    assert md.startswith("# Human-rights benchmarks scorecard — North Korea")


def test_md_escape_keeps_table_cells_intact() -> None:
    assert _md_escape("a | b\nc") == r"a \| b c"
    assert _md_escape(None) == ""


def test_terminal_lists_everything(context: dict[str, Any]) -> None:
    console = Console(record=True, width=140)
    render_terminal(context, console)
    text = console.export_text()
    for b in context["benchmarks"]:
        assert b["id"] in text
        assert b["status"] in text
    assert "SIM" in text
    assert "NP CL* PA*" in text
    assert "partial 1" in text
    assert "claimed -> partial" in text


def test_terminal_does_not_interpret_markup(context: dict[str, Any]) -> None:
    context["benchmarks"][0]["title"] = "[bold red]injected[/]"
    console = Console(record=True, width=140)
    render_terminal(context, console)
    assert "[bold red]injected[/]" in console.export_text()


def test_small_observed_counts_are_suppressed():
    from datetime import date

    from rightsledger.domain import EstimateResult
    from rightsledger.report.context import _estimate_row

    small = EstimateResult(
        "camp-x", "lcmcr", 9.0, 4.0, 30.0, 3, ("A", "B", "C"), as_of=date(2027, 12, 31)
    )
    big = EstimateResult(
        "camp-y",
        "lcmcr",
        900.0,
        800.0,
        1000.0,
        1234,
        ("A", "B", "C"),
        as_of=date(2027, 12, 31),
    )
    assert _estimate_row(small, date(2026, 11, 27))["observed"] == "<5"
    assert _estimate_row(big, date(2026, 11, 27))["observed"] == "1,234"
    assert _estimate_row(small, date(2026, 11, 27), small_cell=2)["observed"] == "3"
