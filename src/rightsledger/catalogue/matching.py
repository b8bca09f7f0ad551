"""``matching.yaml``: the optional lexicon of a catalogue, validated on load.

The file lists the words that tie the clauses of a deal text to the
catalogue's benchmarks (see docs/agreements.md for its keys). It is checked
like the other catalogue files: unknown keys, bad terms, unknown benchmark
ids and benchmarks without an entry are all reported at once, each with the
file and the key path.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from rightsledger.errors import CatalogueError, InputError
from rightsledger.texts.lexicon import (
    BenchmarkTerms,
    Cues,
    Lexicon,
    Pitfall,
    Term,
    Topic,
)

from ._checks import BENCHMARKS
from ._problems import describe_value, from_validation
from ._yaml import parse_yaml

MATCHING = "matching.yaml"


def _term(value: str) -> str:
    try:
        Term.parse(value)
    except ValueError as exc:
        raise PydanticCustomError("bad_term", str(exc)) from exc
    return value


TermText = Annotated[StrictStr, Field(min_length=1), AfterValidator(_term)]
Terms = Annotated[list[TermText], Field(min_length=1)]
Slug = Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cues(_Model):
    commitment: Terms
    vague: Terms
    hedges: list[TermText] = []
    disclaimers: list[TermText] = []
    openers: list[TermText] = []


class _Pitfall(_Model):
    phrase: TermText
    why: Annotated[StrictStr, Field(min_length=1)]
    topic: Slug | None = None


class _Topic(_Model):
    id: Slug
    title: Annotated[StrictStr, Field(min_length=1)]
    terms: Terms


class _Entry(_Model):
    binds: Terms
    mentions: list[TermText] = []


class _Matching(_Model):
    cues: _Cues
    human_rights: list[TermText] = []
    pitfalls: list[_Pitfall] = []
    humanitarian: list[_Topic] = []
    benchmarks: dict[Slug, _Entry]


def parse_matching(
    text: str, *, benchmark_ids: Collection[str] | None = None, file: str = MATCHING
) -> Lexicon:
    """Validate the text of a ``matching.yaml`` and build its lexicon (no I/O).

    Args:
        text: The YAML document.
        benchmark_ids: The catalogue's benchmark ids; when given, each must
            have an entry and every entry must name one of them.
        file: The file name used in error locations.

    Returns:
        The lexicon.

    Raises:
        CatalogueError: Every problem found, each naming the file and key.
    """
    problems = matching_problems(text, benchmark_ids=benchmark_ids, file=file)
    CatalogueError.raise_if_any(problems, what=f"lexicon {file}")
    data, _ = parse_yaml(text, file=file)
    return _lexicon(_Matching.model_validate(data))


def load_matching(folder: Path | None = None) -> Lexicon:
    """Read and validate ``matching.yaml`` of a catalogue folder.

    Args:
        folder: The catalogue folder; the packaged one when ``None``.

    Returns:
        The lexicon, checked against the folder's benchmark ids.

    Raises:
        CatalogueError: The file is missing, unreadable or invalid, or the
            folder's benchmarks cannot be read.
    """
    where = Path(folder) if folder is not None else _packaged()
    path = where / MATCHING
    try:
        text = path.read_text(encoding="utf-8")
        benchmarks = (where / BENCHMARKS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = InputError(f"cannot read the lexicon: {exc}", file=str(path))
        raise CatalogueError([problem], what=f"lexicon {path}") from exc
    data, _ = parse_yaml(benchmarks, file=BENCHMARKS)
    ids = [
        b["id"]
        for b in (data if isinstance(data, list) else [])
        if isinstance(b, dict) and isinstance(b.get("id"), str)
    ]
    return parse_matching(text, benchmark_ids=ids, file=str(path))


def _packaged() -> Path:
    return Path(__file__).resolve().parent / "data" / "nk"


def matching_problems(
    text: str, *, benchmark_ids: Collection[str] | None, file: str = MATCHING
) -> list[InputError]:
    """Every problem of a ``matching.yaml`` text (empty when it is valid)."""
    data, problem = parse_yaml(text, file=file)
    if problem is not None:
        return [problem]
    if not isinstance(data, dict):
        message = (
            f"expected a mapping (key: value) at the top, got {describe_value(data)}"
        )
        return [InputError(message, file=file)]
    try:
        model = _Matching.model_validate(data)
    except ValidationError as exc:
        return from_validation(exc, data, file=file, prefix="")
    return _cross_checks(model, benchmark_ids, file)


def _cross_checks(
    model: _Matching, benchmark_ids: Collection[str] | None, file: str
) -> list[InputError]:
    problems: list[InputError] = []
    topics = [t.id for t in model.humanitarian]
    for ident in sorted({t for t in topics if topics.count(t) > 1}):
        problems.append(
            InputError(f"duplicate id {ident!r}", file=file, field="humanitarian")
        )
    cues = model.cues
    for key in ("commitment", "vague", "hedges", "disclaimers", "openers"):
        for n, cue in enumerate(getattr(cues, key)):
            if "&" in cue:
                message = "a cue is one group of alternatives (no '&')"
                field = f"cues.{key}[{n}]"
                problems.append(InputError(message, file=file, field=field))
    for n, pitfall in enumerate(model.pitfalls):
        if "&" in pitfall.phrase:
            message = "a pitfall is one group of alternatives (no '&')"
            problems.append(
                InputError(message, file=file, field=f"pitfalls[{n}].phrase")
            )
        if pitfall.topic is not None and pitfall.topic not in topics:
            message = f"unknown humanitarian topic {pitfall.topic!r}"
            problems.append(
                InputError(message, file=file, field=f"pitfalls[{n}].topic")
            )
    if benchmark_ids is not None:
        known = set(benchmark_ids)
        for ident in model.benchmarks:
            if ident not in known:
                message = f"unknown benchmark id {ident!r}"
                problems.append(
                    InputError(message, file=file, field=f"benchmarks.{ident}")
                )
        for ident in benchmark_ids:
            if ident not in model.benchmarks:
                message = f"benchmark {ident!r} has no entry"
                problems.append(InputError(message, file=file, field="benchmarks"))
    return problems


def _terms(items: list[str]) -> tuple[Term, ...]:
    return tuple(Term.parse(t) for t in items)


def _phrases(items: list[str]) -> tuple[str, ...]:
    """The alternatives of cue lines, flattened (``a | b`` -> ``a``, ``b``)."""
    return tuple(p for t in items for g in Term.parse(t).groups for p in g)


def _lexicon(model: _Matching) -> Lexicon:
    cues = model.cues
    return Lexicon(
        cues=Cues(
            commitment=_phrases(cues.commitment),
            vague=_phrases(cues.vague),
            hedges=_phrases(cues.hedges),
            disclaimers=_phrases(cues.disclaimers),
            openers=_phrases(cues.openers),
        ),
        benchmarks=tuple(
            BenchmarkTerms(ident, _terms(e.binds), _terms(e.mentions))
            for ident, e in model.benchmarks.items()
        ),
        human_rights=_terms(model.human_rights),
        humanitarian=tuple(
            Topic(t.id, t.title, _terms(t.terms)) for t in model.humanitarian
        ),
        pitfalls=tuple(
            Pitfall(Term.parse(p.phrase), p.why, p.topic or "") for p in model.pitfalls
        ),
    )
