"""What changed between two assessments of the same benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rightsledger.domain import BenchmarkAssessment, StandardOfProof, Status

__all__ = ["Change", "IndicatorChange", "status_changes"]


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    """One indicator whose status or standard changed."""

    indicator_key: str
    before: Status | None
    after: Status | None
    standard_before: StandardOfProof | None
    standard_after: StandardOfProof | None


@dataclass(frozen=True, slots=True)
class Change:
    """A benchmark whose status or standard differs between two dates.

    ``added`` are the deciding observation ids that appear only in the later
    assessment (what changed it); ``removed`` those no longer deciding.
    ``before``/``after`` are None when the benchmark is absent on that side.
    """

    benchmark_id: str
    before: Status | None
    after: Status | None
    standard_before: StandardOfProof | None
    standard_after: StandardOfProof | None
    earlier_as_of: date | None
    later_as_of: date | None
    added: tuple[str, ...]
    removed: tuple[str, ...]
    indicators: tuple[IndicatorChange, ...]


def _indicator_changes(
    a: BenchmarkAssessment | None, b: BenchmarkAssessment | None
) -> tuple[IndicatorChange, ...]:
    old = {i.indicator_key: i for i in (a.indicators if a else ())}
    new = {i.indicator_key: i for i in (b.indicators if b else ())}
    out = []
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        pair_x = (x.status, x.standard) if x else (None, None)
        pair_y = (y.status, y.standard) if y else (None, None)
        if pair_x != pair_y:
            out.append(IndicatorChange(key, pair_x[0], pair_y[0], pair_x[1], pair_y[1]))
    return tuple(out)


def _change(a: BenchmarkAssessment | None, b: BenchmarkAssessment | None) -> Change:
    ids_a = a.observation_ids if a else ()
    ids_b = b.observation_ids if b else ()
    bench = b or a
    assert bench is not None  # noqa: S101 - one side is always present
    set_a, set_b = set(ids_a), set(ids_b)
    return Change(
        benchmark_id=bench.benchmark_id,
        before=a.status if a else None,
        after=b.status if b else None,
        standard_before=a.standard if a else None,
        standard_after=b.standard if b else None,
        earlier_as_of=a.as_of if a else None,
        later_as_of=b.as_of if b else None,
        added=tuple(i for i in ids_b if i not in set_a),
        removed=tuple(i for i in ids_a if i not in set_b),
        indicators=_indicator_changes(a, b),
    )


def status_changes(
    earlier: Sequence[BenchmarkAssessment], later: Sequence[BenchmarkAssessment]
) -> list[Change]:
    """Benchmarks whose status or standard of proof changed between two runs.

    Args:
        earlier: assessments on the earlier date.
        later: assessments on the later date.

    Returns:
        One :class:`Change` per changed benchmark, in order of first appearance
        (later run first), with the observation ids that changed it.
    """
    old = {a.benchmark_id: a for a in earlier}
    new = {b.benchmark_id: b for b in later}
    order = list(dict.fromkeys([*new, *old]))
    changes = []
    for bid in order:
        a, b = old.get(bid), new.get(bid)
        if a and b and (a.status, a.standard) == (b.status, b.standard):
            continue
        changes.append(_change(a, b))
    return changes
