"""Checks across items and files: duplicate ids, references, rule sense.

These run on the items that passed their schema, with the ids and keys
collected from the raw files (so one broken entry does not make every
reference to it look unknown as well).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rightsledger.domain import MONITOR_KINDS, PHYSICAL_KINDS, IndicatorKind, SourceKind
from rightsledger.errors import InputError

from ._schema import (
    AgreementModel,
    BenchmarkModel,
    ConditionModel,
    FacilityModel,
    IndicatorModel,
)

SOURCES = "sources.yaml"
BENCHMARKS = "benchmarks.yaml"
FACILITIES = "facilities.yaml"
AGREEMENTS = "agreements.yaml"
CONDITIONS = "conditions.yaml"


@dataclass(frozen=True)
class Known:
    """Ids and keys that exist somewhere in the raw files.

    ``None`` means the file could not be read as a list, so references into it
    are not checked (its own problem is reported instead).
    """

    source_keys: frozenset[str] | None
    benchmark_ids: frozenset[str] | None


def duplicates(ids: Iterable[str], *, file: str, prefix: str) -> list[InputError]:
    """One problem per id that occurs more than once."""
    counts = Counter(ids)
    return [
        InputError(f"duplicate id {ident!r} ({n} times)", file=file, field=prefix)
        for ident, n in counts.items()
        if n > 1
    ]


def _refs(
    keys: Iterable[str],
    known: frozenset[str] | None,
    *,
    what: str,
    file: str,
    field: str,
) -> list[InputError]:
    if known is None:
        return []
    return [
        InputError(f"unknown {what} {key!r}", file=file, field=field)
        for key in keys
        if key not in known
    ]


def check_benchmarks(items: list[BenchmarkModel], known: Known) -> list[InputError]:
    """Indicator ids unique per benchmark, rules sensible, baseline sources known."""
    problems: list[InputError] = []
    for b in items:
        problems += duplicates(
            (i.id for i in b.indicators), file=BENCHMARKS, prefix=f"{b.id}.indicators"
        )
        for ind in b.indicators:
            problems += check_rule(ind, prefix=f"{b.id}.indicators.{ind.id}.rule")
        problems += _refs(
            b.baseline.sources,
            known.source_keys,
            what="source key",
            file=BENCHMARKS,
            field=f"{b.id}.baseline.sources",
        )
    return problems


def check_rule(ind: IndicatorModel, *, prefix: str) -> list[InputError]:
    """Problems of one indicator's verification rule."""
    rule, out = ind.rule, []

    def bad(key: str, message: str) -> None:
        out.append(InputError(message, file=BENCHMARKS, field=f"{prefix}.{key}"))

    if ind.kind is IndicatorKind.ESTIMATE and rule.population is None:
        bad("population", "an estimate indicator needs a population id")
    if ind.kind is not IndicatorKind.ESTIMATE:
        if rule.population is not None:
            bad("population", f"only estimate indicators have one (kind is {ind.kind})")
        if rule.max_upper is not None:
            bad("max_upper", f"only estimate indicators have one (kind is {ind.kind})")
    kinds = set(rule.source_kinds)
    if SourceKind.STATE_CLAIM in kinds:
        bad("source_kinds", "'state-claim' cannot verify: a state's claim only claims")
    if rule.requires_monitor and kinds and not kinds & MONITOR_KINDS:
        bad("requires_monitor", "no accepted source kind is a monitor (UN or ICRC)")
    if rule.requires_physical and kinds and not kinds & PHYSICAL_KINDS:
        bad("requires_physical", "no accepted source kind is physical evidence")
    return out


def check_facilities(items: list[FacilityModel], known: Known) -> list[InputError]:
    """Known sources, coordinates in pairs, history in date order."""
    problems: list[InputError] = []
    for f in items:
        field = f"{f.id}.sources"
        problems += _refs(
            f.sources,
            known.source_keys,
            what="source key",
            file=FACILITIES,
            field=field,
        )
        if (f.latitude is None) != (f.longitude is None):
            problems.append(
                InputError(
                    "give both latitude and longitude, or neither",
                    file=FACILITIES,
                    field=f"{f.id}.latitude",
                )
            )
        for n, event in enumerate(f.history):
            field = f"{f.id}.history[{n}]"
            problems += _refs(
                event.sources,
                known.source_keys,
                what="source key",
                file=FACILITIES,
                field=f"{field}.sources",
            )
            if n and event.on < f.history[n - 1].on:
                message = f"{event.on} is earlier than the entry before it"
                problems.append(
                    InputError(message, file=FACILITIES, field=f"{field}.on")
                )
    return problems


def check_agreements(items: list[AgreementModel], known: Known) -> list[InputError]:
    """Known sources and benchmarks, unique clause ids, unconfirmed ones flagged."""
    problems: list[InputError] = []
    for a in items:
        problems += _refs(
            a.sources,
            known.source_keys,
            what="source key",
            file=AGREEMENTS,
            field=f"{a.id}.sources",
        )
        problems += duplicates(
            (c.id for c in a.clauses), file=AGREEMENTS, prefix=f"{a.id}.clauses"
        )
        for c in a.clauses:
            problems += _refs(
                c.covers,
                known.benchmark_ids,
                what="benchmark id",
                file=AGREEMENTS,
                field=f"{a.id}.clauses.{c.id}.covers",
            )
        if not a.sources and a.verification != "U":
            message = "an agreement without sources must be marked verification U"
            problems.append(
                InputError(message, file=AGREEMENTS, field=f"{a.id}.verification")
            )
        if a.verification == "U" and not a.note:
            message = (
                "an unconfirmed (U) agreement needs a note saying what is unchecked"
            )
            problems.append(InputError(message, file=AGREEMENTS, field=f"{a.id}.note"))
    return problems


def check_conditions(items: list[ConditionModel], known: Known) -> list[InputError]:
    """Every benchmark a condition names exists."""
    problems: list[InputError] = []
    for c in items:
        problems += _refs(
            c.benchmarks,
            known.benchmark_ids,
            what="benchmark id",
            file=CONDITIONS,
            field=f"{c.id}.benchmarks",
        )
    return problems
