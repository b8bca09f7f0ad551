"""`rightsledger report` on a ledger (SQLite and PostgreSQL): who may run it, what
each document holds, and that the public scorecard shows only a viewer's view."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rightsledger.chain import run_assess
from rightsledger.cli.report_cmds import report
from rightsledger.config import Settings
from rightsledger.domain import (
    Confidentiality,
    Credibility,
    Observation,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.ledger import Ledger

XSS = "<script>alert('rl')</script>"
SECRET = "restricted-defector-list"
ON = date(2026, 6, 1)


@pytest.fixture
def filled(ledger: Ledger) -> Ledger:
    """The packaged catalogue plus a public UN report (hostile title and text) and
    a restricted media source, both deciding the same indicator; assessed once."""
    key = ledger.catalogue().benchmarks[0].indicators[0].key
    public = Source(
        "un-report",
        SourceKind.UN_REPORT,
        f"UN report {XSS}",
        "UN",
        Reliability.A,
        ON,
    )
    secret = Source(
        SECRET,
        SourceKind.MEDIA,
        "Defector list",
        "Owner",
        Reliability.B,
        ON,
        confidentiality=Confidentiality.RESTRICTED,
    )
    observations = [
        Observation(
            src.id,
            key,
            ON,
            Stance.SUPPORTS,
            Credibility.PROBABLY_TRUE,
            f"Observed {XSS}",
        )
        for src in (public, secret)
    ]
    ledger.add_evidence(sources=[public, secret], observations=observations)
    run_assess(ledger, [ON])
    return ledger


def _as(ledger: Ledger, settings: Settings, role: Role) -> Settings:
    name = f"{role.value}-reader"
    ledger.add_user(name, role)
    return settings.model_copy(update={"actor": name})


def _run(settings: Settings, out: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        report,
        ["--out", str(out), "--real-until", ON.isoformat(), *args],
        obj=settings,
    )
    assert result.exit_code == 0, result.output
    return result


def test_analyst_brief_cites_all_and_public_scorecard_only_public(
    filled: Ledger, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _run(_as(filled, settings, Role.ANALYST), out, "--format", "html")
    brief = (out / "brief.html").read_text(encoding="utf-8")
    public = (out / "scorecard-public.html").read_text(encoding="utf-8")
    assert str(out / "brief.html") in result.output
    assert str(out / "scorecard-public.html") in result.output
    assert not list(out.glob("*.pdf"))
    assert SECRET in brief and "Do not publish it" in brief
    assert SECRET not in public and "Defector list" not in public
    assert "un-report" in public
    for html in (brief, public):
        assert XSS not in html
        assert "&lt;script&gt;" in html
    assert "Observed &lt;script&gt;" in brief
    assert "Observed" not in public  # no observation text in public
    # the restricted observation is only counted, and that count is masked
    assert re.search(r"not shown \(&lt;5\)", public)
    assert not re.search(r"not shown \([1-4]\)", public)


def test_viewer_brief_holds_only_public_sources(
    filled: Ledger, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(_as(filled, settings, Role.VIEWER), out, "--format", "html")
    brief = (out / "brief.html").read_text(encoding="utf-8")
    assert SECRET not in brief
    assert "Do not publish it" not in brief
    assert "un-report" in brief


def test_every_assessed_benchmark_cites_a_source(
    filled: Ledger, settings: Settings, tmp_path: Path
) -> None:
    from rightsledger.report.brief import report_contexts

    contexts = report_contexts(filled, real_until=ON, charts=False)
    for ctx in (contexts.brief, contexts.public):
        json.dumps(ctx)
        for b in ctx["benchmarks"]:
            if b["status"] is not None:
                assert b["cited"], b["id"]


@pytest.mark.slow
def test_korean_pdf_from_the_cli(
    filled: Ledger, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(settings, out, "--format", "pdf", "--lang", "ko")
    assert sorted(p.name for p in out.iterdir()) == [
        "brief.pdf",
        "scorecard-public.pdf",
    ]
    text = subprocess.run(  # noqa: S603, S607 - poppler's pdftotext
        ["pdftotext", str(out / "scorecard-public.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "공개 점수표" in text and "정치범수용소 폐쇄" in text


def test_bad_options_are_clean_errors(
    ledger: Ledger, settings: Settings, tmp_path: Path
) -> None:
    for args in (["--lang", "fr"], ["--format", "docx"], ["--real-until", "soon"]):
        result = CliRunner().invoke(
            report, ["--out", str(tmp_path), *args], obj=settings
        )
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
