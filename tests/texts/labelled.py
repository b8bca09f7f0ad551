"""The labelled clause set (tests/data/agreements/labelled_clauses.yaml) and its scores.

Shared by the tests and by benchmarks/agreements.py. Precision and recall are
counted over (clause, benchmark) pairs, for ``binds`` alone and for any
coverage (``binds`` or ``mentions``). The lexicon was written while looking at
the real, catalogue and drafted clauses (the development set); the held-out
clauses were written afterwards and are never used to tune it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rightsledger.catalogue import load_catalogue, load_matching
from rightsledger.domain import Catalogue
from rightsledger.texts import ClauseCoverage, Lexicon, check_coverage, read_agreement

DATA = Path(__file__).parents[1] / "data" / "agreements"
LABELLED = DATA / "labelled_clauses.yaml"
ORIGINS = ("real", "catalogue", "drafted", "held-out")


@dataclass(frozen=True)
class Labelled:
    """One labelled clause and what the matcher found in it."""

    source: str
    origin: str
    key: str
    text: str
    binds: frozenset[str]
    mentions: frozenset[str]
    kind: str
    got: ClauseCoverage
    note: str = ""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, got: Iterable[str], want: Iterable[str], where: str) -> None:
        got, want = set(got), set(want)
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.misses += [f"{where}: false {b}" for b in sorted(got - want)]
        self.misses += [f"{where}: missed {b}" for b in sorted(want - got)]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Scores:
    clauses: int = 0
    binds: Score = field(default_factory=Score)
    covered: Score = field(default_factory=Score)
    kind_right: int = 0


def load_labelled(
    catalogue: Catalogue | None = None, lexicon: Lexicon | None = None
) -> list[Labelled]:
    """Every labelled clause with the matcher's result for it."""
    catalogue = catalogue or load_catalogue()
    lexicon = lexicon or load_matching()
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    out: list[Labelled] = []
    for text in data["texts"]:
        doc = read_agreement(DATA / text["file"])
        report = check_coverage(doc, catalogue.benchmarks, lexicon)
        labels = text["clauses"]
        assert len(labels) == len(report.clauses), (
            f"{text['file']}: {len(labels)} labels for {len(report.clauses)} clauses"
        )
        for label, got in zip(labels, report.clauses, strict=True):
            assert got.label == label["label"], (text["file"], got.label, label)
            assert " ".join(got.text.split()).startswith(label["starts"]), (
                text["file"],
                got.label,
            )
            out.append(_labelled(label, got, text["file"], text["origin"], got.label))
    for item in data["clauses"]:
        report = check_coverage(item["text"], catalogue.benchmarks, lexicon)
        assert len(report.clauses) == 1, item
        origin = item.get("origin") or (
            "catalogue" if "catalogue" in item else "drafted"
        )
        key = item.get("catalogue") or item["id"]
        out.append(_labelled(item, report.clauses[0], "clauses", origin, key))
    return out


def _labelled(
    label: dict[str, Any], got: ClauseCoverage, source: str, origin: str, key: str
) -> Labelled:
    return Labelled(
        source=source,
        origin=origin,
        key=key,
        text=got.text,
        binds=frozenset(label.get("binds", [])),
        mentions=frozenset(label.get("mentions", [])),
        kind=label.get("kind", "other"),
        got=got,
        note=label.get("note", ""),
    )


def score(items: Sequence[Labelled]) -> Scores:
    """Precision and recall over (clause, benchmark) pairs."""
    out = Scores()
    for item in items:
        where = f"{item.source} {item.key}"
        got = item.got
        out.clauses += 1
        out.binds.add(got.binds, item.binds, where)
        out.covered.add(
            set(got.binds) | set(got.mentions), item.binds | item.mentions, where
        )
        out.kind_right += got.kind.value == item.kind
    return out


#: The origins the lexicon was developed on (held-out clauses are not).
DEVELOPMENT = ("real", "catalogue", "drafted")


def table(items: Sequence[Labelled]) -> list[tuple[str, Scores]]:
    """Scores per origin, for the development set, then for all clauses."""
    rows = [(o, score([i for i in items if i.origin == o])) for o in ORIGINS]
    development = score([i for i in items if i.origin in DEVELOPMENT])
    return [*rows, ("development", development), ("all", score(items))]


def render(rows: Sequence[tuple[str, Scores]]) -> str:
    """A Markdown table of the scores."""
    lines = [
        "| clauses | n | pairs | binds P | binds R | covered P | covered R "
        "| kind right |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in rows:
        pairs = s.covered.tp + s.covered.fn
        lines.append(
            f"| {name} | {s.clauses} | {pairs} | {s.binds.precision:.2f} | "
            f"{s.binds.recall:.2f} | {s.covered.precision:.2f} | "
            f"{s.covered.recall:.2f} | {s.kind_right}/{s.clauses} |"
        )
    return "\n".join(lines)
