"""Agreement texts: read a deal, split it into clauses, and map each clause to
the benchmarks it binds, mentions vaguely or omits.

Pure except ``reader`` (the one module that opens files). The words that tie
clauses to benchmarks are data: a catalogue's ``matching.yaml``, loaded with
``rightsledger.catalogue.load_matching`` (see docs/agreements.md).
"""

from .clauses import ClauseText, split_clauses
from .document import AgreementText, TextFormat, agreement_text
from .lexicon import BenchmarkTerms, Cues, Lexicon, Pitfall, Term, Topic
from .matching import (
    ClauseCoverage,
    ClauseKind,
    CoverageReport,
    Evidence,
    Level,
    check_coverage,
)
from .reader import read_agreement

__all__ = [
    "AgreementText",
    "BenchmarkTerms",
    "ClauseCoverage",
    "ClauseKind",
    "ClauseText",
    "CoverageReport",
    "Cues",
    "Evidence",
    "Level",
    "Lexicon",
    "Pitfall",
    "Term",
    "TextFormat",
    "Topic",
    "agreement_text",
    "check_coverage",
    "read_agreement",
    "split_clauses",
]
