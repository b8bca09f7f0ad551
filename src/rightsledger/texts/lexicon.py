"""The words that tie clauses to benchmarks: plain data, compiled to patterns.

A lexicon belongs to a catalogue (``matching.yaml`` beside its benchmarks,
loaded by ``rightsledger.catalogue.load_matching``); its structure knows no
country. A *term* is written as text:

- ``political prison camp*``: a phrase; words match whole, case-insensitively,
  a space also matches a hyphen, ``*`` ends a word with any letters and a
  lone ``*`` stands for any one word;
- ``release* | free & political prisoner* | prisoners of conscience``: ``|``
  separates alternatives and ``&`` joins groups that must all occur in the
  same sentence (``&`` binds looser than ``|``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"^(?:[\w'./-]+\*?|\*)$")


@dataclass(frozen=True, slots=True)
class Term:
    """Alternatives within groups; every group must match (see module doc)."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, text: str) -> Term:
        """Read the written form (``a | b & c``).

        Raises:
            ValueError: An empty group or alternative, or a word with other
                characters than letters, digits, ``'./-`` and a final ``*``.
        """
        groups = tuple(
            tuple(alt.strip() for alt in group.split("|")) for group in text.split("&")
        )
        for group in groups:
            for alt in group:
                bad = [w for w in alt.split() if not _WORD.match(w)]
                if not alt or bad:
                    what = f"word {bad[0]!r}" if bad else "an empty alternative"
                    raise ValueError(f"term {text!r} has {what}")
        return cls(groups)

    def __str__(self) -> str:
        return " & ".join(" | ".join(g) for g in self.groups)


@dataclass(frozen=True, slots=True)
class BenchmarkTerms:
    """How clauses name one benchmark.

    Attributes:
        benchmark_id: The benchmark.
        binds: Terms that name the benchmark's step; under a commitment they
            bind it, otherwise they mention it.
        mentions: Related or oblique wording that is at most a mention.
    """

    benchmark_id: str
    binds: tuple[Term, ...]
    mentions: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A humanitarian subject that is not human-rights coverage (war remains)."""

    id: str
    title: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Pitfall:
    """A phrase that looks like a benchmark word but is not one.

    Its words are hidden from benchmark matching (``IAEA monitoring`` is not
    aid monitoring). With ``topic`` it marks the clause humanitarian.
    """

    term: Term
    why: str
    topic: str = ""


@dataclass(frozen=True, slots=True)
class Cues:
    """Words that decide how strongly a clause commits.

    Attributes:
        commitment: ``shall``, ``will``, ``commits to``, ``agrees to`` ...
        vague: ``note``, ``discuss``, ``endeavour``, ``consider`` ...: the
            nearest cue before a term decides between binding and mentioning.
        hedges: ``in due course``, ``as appropriate``: anywhere in the
            sentence, they make it a mention.
        disclaimers: ``nothing in this statement shall``: anywhere in the
            sentence, they make it a mention.
        openers: verbs that commit when they open a clause in summary style
            (``Resolve ...``, ``Release ...``).
    """

    commitment: tuple[str, ...]
    vague: tuple[str, ...]
    hedges: tuple[str, ...] = ()
    disclaimers: tuple[str, ...] = ()
    openers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the matcher knows about one catalogue's words."""

    cues: Cues
    benchmarks: tuple[BenchmarkTerms, ...]
    human_rights: tuple[Term, ...] = ()
    humanitarian: tuple[Topic, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()

    def terms_for(self, benchmark_id: str) -> BenchmarkTerms | None:
        """The entry of ``benchmark_id``, or ``None``."""
        return next(
            (t for t in self.benchmarks if t.benchmark_id == benchmark_id), None
        )


def phrase_pattern(phrase: str) -> str:
    """The regular expression of one phrase (see the module doc)."""
    parts = []
    for word in phrase.lower().split():
        if word == "*":
            parts.append(r"[\w'-]+")
            continue
        star = word.endswith("*")
        core = re.escape(word.rstrip("*")).replace(r"\-", r"[\s-]+")
        parts.append(core + (r"[\w'-]*" if star else ""))
    return r"(?<![\w])" + r"[\s-]+".join(parts) + r"(?![\w])"


@lru_cache(maxsize=256)
def alternatives(group: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a group of alternative phrases."""
    return re.compile("|".join(f"(?:{phrase_pattern(p)})" for p in group))


def find_term(term: Term, text: str) -> tuple[int, str] | None:
    """Where ``term`` occurs in lower-cased ``text``.

    Returns:
        The earliest start of its groups' matches and the matched words
        (joined by `` + ``), or ``None`` when any group is absent.
    """
    starts: list[int] = []
    words: list[str] = []
    for group in term.groups:
        found = alternatives(group).search(text)
        if found is None:
            return None
        starts.append(found.start())
        words.append(found.group(0))
    return min(starts), " + ".join(words)
