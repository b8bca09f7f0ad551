"""Sanctions readiness: is each legal condition for suspending or ending sanctions
met, judged from the benchmarks tied to it?

Pure. A condition is

- **met** when every tied benchmark is ``verified`` at the required standard of
  proof or stronger;
- **not met** when any tied benchmark is short: not assessed, not verified, or
  verified at a weaker standard (each shortfall is named, and the benchmark's
  verification plan says what evidence is still missing);
- **outside the catalogue** when no benchmark is tied to it (counterfeiting,
  money laundering, weapons programmes): it cannot be judged from human-rights
  evidence, and is listed so that no condition silently disappears.

The required standard is one parameter, ``reasonable-grounds`` by default (the
standard of the 2014 Commission of Inquiry), applied to every condition; a
condition whose own text names a stronger standard ("clear and convincing
evidence") requires that one. "Progress toward" in a statute is read strictly:
only a verified benchmark counts, and the status shown lets the reader judge more
leniently. Sense-of-Congress conditions are kept, with ``binding`` false.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rightsledger.domain import (
    BenchmarkAssessment,
    SanctionsCondition,
    StandardOfProof,
    Status,
)

from .plan import BenchmarkPlan

__all__ = [
    "BenchmarkStanding",
    "ConditionReadiness",
    "Readiness",
    "by_effect",
    "required_standard",
    "sanctions_readiness",
]


class Readiness(StrEnum):
    """Whether a sanctions condition is met by the benchmarks tied to it."""

    MET = "met"
    NOT_MET = "not-met"
    OUTSIDE = "outside-catalogue"


@dataclass(frozen=True, slots=True)
class BenchmarkStanding:
    """One tied benchmark against the required standard (``status`` None: not
    assessed); ``shortfall`` says why it does not count, empty when it does."""

    benchmark_id: str
    status: Status | None
    standard: StandardOfProof
    met: bool
    shortfall: str = ""


@dataclass(frozen=True, slots=True)
class ConditionReadiness:
    """A condition's readiness, the standing of each tied benchmark, and the plans
    of those short of it (the evidence still missing)."""

    condition_id: str
    statute: str
    effect: str
    text: str
    binding: bool
    readiness: Readiness
    required: StandardOfProof
    reason: str
    benchmarks: tuple[BenchmarkStanding, ...]
    missing: tuple[BenchmarkPlan, ...] = ()

    @property
    def short(self) -> tuple[BenchmarkStanding, ...]:
        """The tied benchmarks that do not meet the condition yet."""
        return tuple(b for b in self.benchmarks if not b.met)


#: Phrases by which a condition's text states its own standard of proof.
_STATED = {
    "clear and convincing": StandardOfProof.CLEAR_AND_CONVINCING,
    "reasonable grounds": StandardOfProof.REASONABLE_GROUNDS,
}


def required_standard(
    condition: SanctionsCondition, required: StandardOfProof
) -> StandardOfProof:
    """The stronger of ``required`` and the standard the condition's text names.

    Examples:
        >>> required_standard(caatsa, StandardOfProof.REASONABLE_GROUNDS)
        <StandardOfProof.CLEAR_AND_CONVINCING: 'clear-and-convincing'>
    """
    text = " ".join(condition.text.lower().replace("-", " ").split())
    stated = [s for phrase, s in _STATED.items() if phrase in text]
    return max([required, *stated], key=lambda s: s.rank)


def _standing(
    benchmark_id: str,
    assessment: BenchmarkAssessment | None,
    required: StandardOfProof,
) -> BenchmarkStanding:
    if assessment is None:
        return BenchmarkStanding(
            benchmark_id, None, StandardOfProof.NONE, False, "not assessed"
        )
    status, standard = assessment.status, assessment.standard
    if status is not Status.VERIFIED:
        why = f"{status} at {standard}, not verified"
    elif standard.rank < required.rank:
        why = f"verified only at {standard}, below {required}"
    else:
        return BenchmarkStanding(benchmark_id, status, standard, True)
    return BenchmarkStanding(benchmark_id, status, standard, False, why)


def _reason(readiness: Readiness, standings: Sequence[BenchmarkStanding]) -> str:
    n = len(standings)
    if readiness is Readiness.OUTSIDE:
        return (
            "outside the catalogue: no human-rights benchmark is tied to this "
            "condition, so human-rights evidence cannot judge it"
        )
    if readiness is Readiness.MET:
        return f"met: all {n} tied benchmark(s) verified at the required standard"
    short = [s for s in standings if not s.met]
    detail = "; ".join(f"{s.benchmark_id} ({s.shortfall})" for s in short)
    return f"not met: {len(short)} of {n} tied benchmark(s) short: {detail}"


def _one(
    condition: SanctionsCondition,
    assessments: Mapping[str, BenchmarkAssessment],
    required: StandardOfProof,
    plans: Mapping[str, BenchmarkPlan],
) -> ConditionReadiness:
    need = required_standard(condition, required)
    ids = tuple(dict.fromkeys(condition.benchmarks))
    standings = tuple(_standing(b, assessments.get(b), need) for b in ids)
    if not standings:
        readiness = Readiness.OUTSIDE
    elif all(s.met for s in standings):
        readiness = Readiness.MET
    else:
        readiness = Readiness.NOT_MET
    missing = tuple(
        plans[s.benchmark_id]
        for s in standings
        if not s.met and s.benchmark_id in plans
    )
    return ConditionReadiness(
        condition_id=condition.id,
        statute=condition.statute,
        effect=condition.effect,
        text=condition.text,
        binding=condition.binding,
        readiness=readiness,
        required=need,
        reason=_reason(readiness, standings),
        benchmarks=standings,
        missing=missing,
    )


def sanctions_readiness(
    conditions: Sequence[SanctionsCondition],
    assessments: Mapping[str, BenchmarkAssessment],
    *,
    required: StandardOfProof = StandardOfProof.REASONABLE_GROUNDS,
    plans: Mapping[str, BenchmarkPlan] | None = None,
) -> tuple[ConditionReadiness, ...]:
    """Readiness of each condition, in the given order.

    Args:
        conditions: The legal conditions (the catalogue's ``conditions``).
        assessments: Benchmark id -> its current assessment.
        required: The standard of proof every tied benchmark must reach
            (default ``reasonable-grounds``); a condition whose text names a
            stronger one requires that (see :func:`required_standard`).
        plans: Benchmark id -> verification plan; the plans of the benchmarks
            short of a condition are attached to it as the evidence missing.

    Returns:
        One :class:`ConditionReadiness` per condition.

    Examples:
        >>> [r.readiness for r in sanctions_readiness(cat.conditions, current)]
        [<Readiness.OUTSIDE: 'outside-catalogue'>, ...]
    """
    return tuple(_one(c, assessments, required, plans or {}) for c in conditions)


def by_effect(
    items: Sequence[ConditionReadiness],
) -> dict[str, tuple[ConditionReadiness, ...]]:
    """Readiness grouped by effect (suspension, termination, ...), in first-seen
    order of effects and given order within each."""
    groups: dict[str, list[ConditionReadiness]] = {}
    for item in items:
        groups.setdefault(item.effect, []).append(item)
    return {effect: tuple(group) for effect, group in groups.items()}
