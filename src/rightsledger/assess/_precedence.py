"""How several parts (indicators of a benchmark, facilities of an indicator) add up
to one status: one order of precedence, used at both levels."""

from __future__ import annotations

from collections.abc import Sequence

from rightsledger.domain import IndicatorAssessment, Status

Decided = tuple[Status, tuple[IndicatorAssessment, ...]]


def precedence(items: Sequence[IndicatorAssessment]) -> Decided | None:
    """The combined status and the parts that decide it, or None when no part has
    moved (the caller then falls back to its baseline or no-progress).

    All verified -> verified; else any regressed -> regressed; any contested ->
    contested; some verified or partial -> partial; any claimed -> claimed.
    """
    if items and all(i.status is Status.VERIFIED for i in items):
        return Status.VERIFIED, tuple(items)
    for status in (Status.REGRESSED, Status.CONTESTED):
        hits = tuple(i for i in items if i.status is status)
        if hits:
            return status, hits
    hits = tuple(i for i in items if i.status in (Status.VERIFIED, Status.PARTIAL))
    if hits:
        return Status.PARTIAL, hits
    hits = tuple(i for i in items if i.status is Status.CLAIMED)
    if hits:
        return Status.CLAIMED, hits
    return None
