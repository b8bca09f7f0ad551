"""Map each clause of a deal text to the benchmarks it binds or mentions.

Rules and lexical matching, no model: a clause *binds* a benchmark when a
term naming the benchmark's step sits under a commitment (``shall``,
``will``, ``commits to``) whose nearest cue is not vague, with no hedge
(``as appropriate``) or disclaimer in the sentence; it *mentions* the
benchmark when the term is there without such a commitment, or when only
related wording is. Pitfall phrases are hidden first, so ``IAEA monitoring``
never reads as aid monitoring and the two Koreas' ``Red Cross talks`` never as
ICRC access; a clause about war remains or food aid is *humanitarian*, which
is reported as such and is not coverage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rightsledger.domain import Benchmark
from rightsledger.errors import InputError

from .clauses import ClauseText, split_clauses
from .document import AgreementText
from .lexicon import Lexicon, Term, alternatives, find_term

_BRACKETS = re.compile(r"\[[^\]]*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(\"'\u201c])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bMr|\bMrs|\bDr|\bNo|\bArt|\bSt)\.$")
_TYPOGRAPHY = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - "}
)


class ClauseKind(StrEnum):
    """What a clause is about."""

    HUMAN_RIGHTS = "human-rights"
    HUMANITARIAN = "humanitarian"
    OTHER = "other"


class Level(StrEnum):
    """How strongly a clause covers a benchmark."""

    BINDS = "binds"
    MENTIONS = "mentions"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a clause binds or mentions a benchmark: the words and the cue."""

    benchmark_id: str
    level: Level
    words: str
    cue: str = ""


@dataclass(frozen=True, slots=True)
class ClauseCoverage:
    """One clause and what it covers.

    Attributes:
        index: Position of the clause in the text, from 1.
        label: Its number or paragraph label.
        text: Its exact words.
        binds: Benchmarks it commits to, in catalogue order.
        mentions: Benchmarks it names without committing (not in ``binds``).
        kind: human-rights, humanitarian or other.
        topics: Humanitarian topics found (``war-remains``).
        pitfalls: Why look-alike phrases were set aside.
        evidence: The words and cue behind each benchmark found.
    """

    index: int
    label: str
    text: str
    binds: tuple[str, ...]
    mentions: tuple[str, ...]
    kind: ClauseKind
    topics: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The benchmark coverage of one deal text.

    Attributes:
        name: The text's name (file name).
        clauses: Every clause with what it covers.
        bound: Benchmarks some clause binds.
        mentioned: Benchmarks mentioned but bound by no clause.
        omitted: Benchmarks neither bound nor mentioned, in catalogue order.
        humanitarian: Labels of the humanitarian clauses.
        benchmarks: The ids checked, in catalogue order.
    """

    name: str
    clauses: tuple[ClauseCoverage, ...]
    bound: frozenset[str]
    mentioned: frozenset[str]
    omitted: tuple[str, ...]
    humanitarian: tuple[str, ...]
    benchmarks: tuple[str, ...] = ()

    def ordered(self, ids: Iterable[str]) -> list[str]:
        """``ids`` in catalogue order."""
        wanted = set(ids)
        return [b for b in self.benchmarks if b in wanted]


def check_coverage(
    text: AgreementText | str, benchmarks: Sequence[Benchmark], lexicon: Lexicon
) -> CoverageReport:
    """Find which benchmarks a deal text binds, mentions or omits.

    Args:
        text: The agreement (or its body as a string).
        benchmarks: The catalogue's benchmarks; each needs a lexicon entry.
        lexicon: The catalogue's matching words.

    Returns:
        Per clause the benchmarks bound and mentioned, and the totals.

    Raises:
        InputError: A benchmark has no entry in the lexicon.

    Examples:
        >>> from rightsledger.catalogue import load_catalogue, load_matching
        >>> report = check_coverage(
        ...     "1. The DPRK shall release all political prisoners.",
        ...     load_catalogue().benchmarks, load_matching())
        >>> sorted(report.bound)
        ['release-political-prisoners']
    """
    doc = text if isinstance(text, AgreementText) else AgreementText("", text)
    ids = tuple(b.id for b in benchmarks)
    missing = [b for b in ids if lexicon.terms_for(b) is None]
    if missing:
        raise InputError(
            f"no lexicon entry for benchmark(s) {', '.join(missing)}",
            file="matching.yaml",
            field="benchmarks",
        )
    clauses = tuple(_cover(c, ids, lexicon) for c in split_clauses(doc.text))
    bound = frozenset(b for c in clauses for b in c.binds)
    mentioned = frozenset(b for c in clauses for b in c.mentions) - bound
    return CoverageReport(
        name=doc.name,
        clauses=clauses,
        bound=bound,
        mentioned=mentioned,
        omitted=tuple(b for b in ids if b not in bound | mentioned),
        humanitarian=tuple(
            c.label for c in clauses if c.kind is ClauseKind.HUMANITARIAN
        ),
        benchmarks=ids,
    )


def _cover(clause: ClauseText, ids: Sequence[str], lexicon: Lexicon) -> ClauseCoverage:
    sentences = _sentences(clause.text)
    lead = _normal(_BRACKETS.sub(" ", clause.lead))
    why: list[str] = []
    masked = [_mask(s, lexicon, why) for s in sentences]
    evidence: list[Evidence] = []
    for benchmark_id in ids:
        found = _best(benchmark_id, sentences, masked, lead, lexicon)
        if found is not None:
            evidence.append(found)
    binds = tuple(e.benchmark_id for e in evidence if e.level is Level.BINDS)
    mentions = tuple(e.benchmark_id for e in evidence if e.level is Level.MENTIONS)
    whole = " ".join(masked)
    topics = [t.id for t in lexicon.humanitarian if _any(t.terms, whole)]
    topics += [p.topic for p in lexicon.pitfalls if p.topic and p.why in why]
    topics = list(dict.fromkeys(topics))
    if binds or mentions or _any(lexicon.human_rights, whole):
        kind = ClauseKind.HUMAN_RIGHTS
    else:
        kind = ClauseKind.HUMANITARIAN if topics else ClauseKind.OTHER
    return ClauseCoverage(
        index=clause.index,
        label=clause.label,
        text=clause.text,
        binds=binds,
        mentions=mentions,
        kind=kind,
        topics=tuple(topics),
        pitfalls=tuple(dict.fromkeys(why)),
        evidence=tuple(evidence),
    )


def _best(
    benchmark_id: str,
    sentences: Sequence[str],
    masked: Sequence[str],
    lead: str,
    lexicon: Lexicon,
) -> Evidence | None:
    """The strongest evidence for one benchmark over the clause's sentences."""
    entry = lexicon.terms_for(benchmark_id)
    if entry is None:  # pragma: no cover (checked by check_coverage)
        return None
    weaker: Evidence | None = None
    for n, (plain, hidden) in enumerate(zip(sentences, masked, strict=True)):
        for term in entry.binds:
            hit = find_term(term, hidden)
            if hit is None:
                continue
            level, cue = _strength(plain, hit[0], lead if n == 0 else "", lexicon)
            found = Evidence(benchmark_id, level, hit[1], cue)
            if level is Level.BINDS:
                return found
            weaker = weaker or found
        for term in entry.mentions:
            hit = find_term(term, hidden)
            if hit is not None and weaker is None:
                weaker = Evidence(benchmark_id, Level.MENTIONS, hit[1])
    return weaker


def _strength(
    sentence: str, position: int, lead: str, lexicon: Lexicon
) -> tuple[Level, str]:
    """Binds or mentions, for a term at ``position`` in ``sentence``."""
    cues = lexicon.cues
    for hedge in (*cues.hedges, *cues.disclaimers):
        if alternatives((hedge,)).search(sentence):
            return Level.MENTIONS, hedge
    found = _cues(sentence, lexicon)
    before = [c for c in found if c[0] < position]
    after = [c for c in found if c[0] >= position]
    if before:
        _, committing, cue = before[-1]
    elif lead and _cues(lead, lexicon):
        _, committing, cue = _cues(lead, lexicon)[-1]
    elif after:
        _, committing, cue = after[0]
    else:
        return Level.MENTIONS, ""
    return (Level.BINDS if committing else Level.MENTIONS), cue


def _cues(sentence: str, lexicon: Lexicon) -> list[tuple[int, bool, str]]:
    """Every cue in ``sentence``: position, whether it commits, the words."""
    cues = lexicon.cues
    found = [
        (m.start(), True, m.group(0))
        for m in alternatives(cues.commitment).finditer(sentence)
    ]
    if cues.vague:
        found += [
            (m.start(), False, m.group(0))
            for m in alternatives(cues.vague).finditer(sentence)
        ]
    if cues.openers:
        opener = alternatives(cues.openers).match(sentence)
        if opener is not None:
            found.append((0, True, opener.group(0)))
    return sorted(found)


def _sentences(text: str) -> list[str]:
    """Lower-cased sentences of a clause, editorial notes removed."""
    plain = _BRACKETS.sub(" ", text.translate(_TYPOGRAPHY))
    parts: list[str] = []
    for piece in _SENTENCE_END.split(plain):
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return [_normal(p) for p in parts if p.strip()] or [""]


def _normal(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).split()).lower()


def _mask(sentence: str, lexicon: Lexicon, why: list[str]) -> str:
    """Blank out pitfall phrases (keeping positions); note why."""
    for pitfall in lexicon.pitfalls:
        for group in pitfall.term.groups:
            pattern = alternatives(group)
            if pattern.search(sentence):
                why.append(pitfall.why)
                sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


def _any(terms: Sequence[Term], text: str) -> bool:
    return any(find_term(t, text) is not None for t in terms)
