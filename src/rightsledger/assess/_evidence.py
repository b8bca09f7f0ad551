"""Sorting an indicator's observations into the evidence the rules weigh."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from rightsledger.domain import (
    MONITOR_KINDS,
    PHYSICAL_KINDS,
    Observation,
    Source,
    SourceKind,
    Stance,
    StandardOfProof,
)
from rightsledger.domain.catalogue import VerificationRule
from rightsledger.errors import NotFound


@dataclass(frozen=True, slots=True)
class Evidence:
    """An indicator's observations up to a date, sorted by what they can decide."""

    baseline: Observation | None
    qualifying: tuple[Observation, ...]
    claims: tuple[Observation, ...]
    contradictions: tuple[Observation, ...]
    weak: tuple[Observation, ...]


def source_of(obs: Observation, sources: Mapping[str, Source]) -> Source:
    """The observation's source, or :class:`NotFound` naming both ids."""
    try:
        return sources[obs.source_id]
    except KeyError:
        raise NotFound(
            f"observation {obs.id[:12]} cites unknown source {obs.source_id!r}"
        ) from None


def credible(obs: Observation, src: Source, rule: VerificationRule) -> bool:
    """Non-state source at the rule's reliability, observation at its credibility."""
    return (
        src.kind is not SourceKind.STATE_CLAIM
        and src.reliability.at_least(rule.min_reliability)
        and obs.credibility.at_least(rule.min_credibility)
    )


_by_date = attrgetter("observed_on", "id")
"""Sort key of observations: date, then id (a total, input-independent order)."""


def _grade(src: Source, rule: VerificationRule) -> tuple[bool, bool, bool]:
    """(state claim, reliable non-state source, kind accepted) under ``rule``."""
    state = src.kind is SourceKind.STATE_CLAIM
    reliable = not state and src.reliability.at_least(rule.min_reliability)
    kind_ok = not rule.source_kinds or src.kind in rule.source_kinds
    return state, reliable, kind_ok


def gather(
    key: str,
    rule: VerificationRule,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    as_of: date,
) -> Evidence:
    """Sort the observations of indicator ``key`` dated on or before ``as_of``.

    Supporting and contradicting observations dated on or before the latest
    baseline are taken as already reflected in that baseline and are dropped.
    Each source is graded once (see :func:`credible` for the test applied).
    """
    mine = sorted(
        [o for o in observations if o.indicator_key == key and o.observed_on <= as_of],
        key=_by_date,
    )
    baselines = [o for o in mine if o.stance is Stance.BASELINE and o.status]
    baseline = baselines[-1] if baselines else None
    since = baseline.observed_on if baseline else date.min
    qualifying: list[Observation] = []
    claims: list[Observation] = []
    contradictions: list[Observation] = []
    weak: list[Observation] = []
    grades: dict[str, tuple[bool, bool, bool]] = {}
    for obs in (o for o in mine if o.observed_on > since):
        grade = grades.get(obs.source_id)
        if grade is None:
            grade = grades[obs.source_id] = _grade(source_of(obs, sources), rule)
        state, reliable, kind_ok = grade
        if obs.stance is Stance.SUPPORTS and state:
            claims.append(obs)
        elif not reliable or obs.credibility > rule.min_credibility:
            weak.append(obs)  # not credible (see :func:`credible`)
        elif obs.stance is Stance.BASELINE:
            weak.append(obs)
        elif obs.stance is Stance.CONTRADICTS:
            contradictions.append(obs)
        else:
            (qualifying if kind_ok else weak).append(obs)
    return Evidence(
        baseline, tuple(qualifying), tuple(claims), tuple(contradictions), tuple(weak)
    )


def owners(
    observations: Sequence[Observation], sources: Mapping[str, Source]
) -> set[str]:
    """Distinct source owners behind ``observations`` (independence)."""
    return {sources[o.source_id].owner for o in observations}


def _enough(n_owners: int, kinds: set[SourceKind], rule: VerificationRule) -> bool:
    return (
        n_owners >= rule.min_independent
        and (not rule.requires_monitor or bool(kinds & MONITOR_KINDS))
        and (not rule.requires_physical or bool(kinds & PHYSICAL_KINDS))
    )


def meets_rule(
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    rule: VerificationRule,
) -> bool:
    """True when qualifying ``observations`` verify under ``rule``."""
    kinds = {sources[o.source_id].kind for o in observations}
    return _enough(len(owners(observations, sources)), kinds, rule)


def verified_on(
    qualifying: Sequence[Observation],
    sources: Mapping[str, Source],
    rule: VerificationRule,
) -> date | None:
    """The first date on which the qualifying evidence so far verifies, if any.

    One pass: owners and kinds only grow, so the first prefix that meets the rule
    is found without re-reading the prefix.
    """
    seen: set[str] = set()
    kinds: set[SourceKind] = set()
    for obs in qualifying:
        src = sources[obs.source_id]
        seen.add(src.owner)
        kinds.add(src.kind)
        if _enough(len(seen), kinds, rule):
            return obs.observed_on
    return None


def partial_standard(
    qualifying: Sequence[Observation],
    sources: Mapping[str, Source],
    rule: VerificationRule,
) -> StandardOfProof:
    """Standard reached by evidence that falls short of the rule.

    Enough independent owners but a required monitor or physical evidence missing
    reaches ``reasonable-grounds`` (or the rule's standard, if weaker); fewer owners
    than required reaches ``allegation``.
    """
    if len(owners(qualifying, sources)) >= rule.min_independent:
        return weakest(rule.standard, StandardOfProof.REASONABLE_GROUNDS)
    return StandardOfProof.ALLEGATION


def weakest(*standards: StandardOfProof) -> StandardOfProof:
    """The weakest of the given standards of proof."""
    return min(standards, key=lambda s: s.rank)
