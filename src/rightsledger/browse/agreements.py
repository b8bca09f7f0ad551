"""Agreements for the web: the coverage matrix of stored agreements (clauses x
benchmarks, from the catalogue's curated ``covers`` mapping), each agreement's
gaps, and the check of a new deal text (computed, never stored, as the
command line's ``agreement check`` does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..access import Permission
from ..catalogue import load_matching, parse_matching
from ..catalogue.matching import MATCHING
from ..domain import Catalogue
from ..ledger import Ledger
from ..store import browse_rows, catalogue_rows
from ..texts import (
    AgreementText,
    ClauseCoverage,
    ClauseKind,
    CoverageReport,
    Lexicon,
    agreement_text,
    check_coverage,
    read_agreement,
)

__all__ = [
    "agreement_matrix",
    "check_file",
    "check_pasted",
    "coverage_data",
    "ledger_lexicon",
]


def _benchmarks(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [
        {"n": n, "id": b.id, "title": b.title, "title_ko": b.title_ko}
        for n, b in enumerate(catalogue.benchmarks, start=1)
    ]


def agreement_matrix(ledger: Ledger) -> dict[str, Any]:
    """Every stored agreement with its clauses marked against each benchmark.

    Returns:
        ``benchmarks`` (numbered columns), ``agreements`` (each with ``clauses``
        carrying one boolean per benchmark in ``cells``, ``covered`` and
        ``gaps``: the benchmarks no clause covers) and ``covered_by_none``.
    """
    ledger.require(Permission.READ_PUBLIC, "agreements")
    catalogue = ledger.catalogue()
    order = [b.id for b in catalogue.benchmarks]
    with ledger.sessions.read() as s:
        stored = browse_rows.agreements(s)
    anywhere: set[str] = set()
    for agreement in stored:
        covered: set[str] = set()
        for clause in agreement["clauses"]:
            clause["cells"] = [b in clause["covers"] for b in order]
            covered.update(b for b in clause["covers"] if b in order)
        agreement["covered"] = [b for b in order if b in covered]
        agreement["gaps"] = [b for b in order if b not in covered]
        anywhere |= covered
    return {
        "benchmarks": _benchmarks(catalogue),
        "agreements": stored,
        "covered_by_none": [b for b in order if b not in anywhere],
    }


def ledger_lexicon(ledger: Ledger) -> Lexicon:
    """The matching words of the catalogue loaded in the ledger (its stored
    ``matching.yaml``), or the packaged catalogue's when it stored none."""
    ledger.require(Permission.READ_PUBLIC, "agreement lexicon")
    catalogue = ledger.catalogue()
    with ledger.sessions.read() as s:
        snap = catalogue_rows.latest_snapshot(s)
        files = dict(snap.files) if snap is not None else {}
    text = files.get(MATCHING)
    if text is None:
        return load_matching()
    return parse_matching(text, benchmark_ids=[b.id for b in catalogue.benchmarks])


def check_file(
    ledger: Ledger, path: Path, lexicon: Lexicon, *, max_bytes: int
) -> dict[str, Any]:
    """Check a deal text file (plain text, Markdown or PDF) against the catalogue.

    Raises:
        InputError: the file is empty, too large, binary or an unreadable PDF.
    """
    ledger.require(Permission.READ_PUBLIC, "agreement check")
    return coverage_data(ledger, read_agreement(path, max_bytes=max_bytes), lexicon)


def check_pasted(
    ledger: Ledger, text: str, lexicon: Lexicon, *, name: str
) -> dict[str, Any]:
    """Check a pasted deal text against the catalogue."""
    ledger.require(Permission.READ_PUBLIC, "agreement check")
    return coverage_data(ledger, agreement_text(text, name=name), lexicon)


def coverage_data(
    ledger: Ledger, doc: AgreementText, lexicon: Lexicon
) -> dict[str, Any]:
    """The coverage report of ``doc`` as plain data for a page."""
    catalogue = ledger.catalogue()
    report = check_coverage(doc, catalogue.benchmarks, lexicon)
    return {
        "name": report.name,
        "benchmarks": _benchmarks(catalogue),
        "clauses": [_clause(c) for c in report.clauses],
        "bound": report.ordered(report.bound),
        "mentioned": report.ordered(report.mentioned),
        "omitted": list(report.omitted),
        "humanitarian": list(report.humanitarian),
        "other_clauses": sum(c.kind is ClauseKind.OTHER for c in report.clauses),
        "summary": _summary(report),
    }


def _clause(c: ClauseCoverage) -> dict[str, Any]:
    return {
        "label": c.label,
        "text": c.text,
        "kind": c.kind.value,
        "binds": list(c.binds),
        "mentions": list(c.mentions),
        "topics": list(c.topics),
        "pitfalls": list(c.pitfalls),
        "evidence": [
            {
                "benchmark_id": e.benchmark_id,
                "level": e.level.value,
                "words": e.words,
                "cue": e.cue,
            }
            for e in c.evidence
        ],
    }


def _summary(report: CoverageReport) -> dict[str, int]:
    return {
        "benchmarks": len(report.benchmarks),
        "bound": len(report.bound),
        "mentioned": len(report.mentioned),
        "omitted": len(report.omitted),
    }
