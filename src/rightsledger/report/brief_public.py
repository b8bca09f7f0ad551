"""The public scorecard's rules: what a viewer may see, as the public export does.

Pure. Two steps, both needed whoever runs the report:

1. :func:`public_evidence` keeps the sources a viewer may see (confidentiality
   ``public``) and only their observations, the same filter as
   :meth:`rightsledger.ledger.Ledger.sources` for a viewer. The scorecard context
   is then built from these alone, so a restricted source cannot be cited, named as
   a supplier in a plan, or counted.
2. :func:`public_scorecard` applies the public export's rules (docs/export.md) to
   that context: evidence the viewer may not see is dropped and only said to exist;
   observation text and assessment reasoning (free text) are left out; the count of
   people seen on the lists stays masked below the threshold; estimates are rounded
   outward to three significant figures; the ledger's location is not shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rightsledger.domain import Observation, Source
from rightsledger.export import rounded

from .brief_context import masked

__all__ = ["public_evidence", "public_scorecard"]


def public_evidence(
    sources: Mapping[str, Source], observations: Iterable[Observation]
) -> tuple[dict[str, Source], dict[str, Observation]]:
    """The sources a viewer may see, and the observations of those sources by id."""
    public = {k: v for k, v in sources.items() if v.confidentiality.is_public}
    return public, {o.id: o for o in observations if o.source_id in public}


def public_scorecard(scorecard: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    """A scorecard context fit for anyone to read.

    Args:
        scorecard: A context built from :func:`public_evidence`'s output.
        threshold: The ledger's ``small_cell_threshold``.

    Returns:
        A new context (the input is not changed); each indicator gains
        ``withheld`` (how many of its deciding observations are not shown, masked
        like any small count) and loses its free text.
    """
    ctx = dict(scorecard)
    ctx["benchmarks"] = [_benchmark(b, threshold) for b in scorecard["benchmarks"]]
    ctx["estimates"] = [_estimate(e) for e in scorecard["estimates"]]
    ctx["ledger_label"] = f"catalogue {scorecard['catalogue']}"
    ctx["threshold"] = threshold
    return ctx


def _benchmark(row: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    out = dict(row)
    out["reason"] = ""
    out["indicators"] = [_indicator(i, threshold) for i in row["indicators"]]
    return out


def _indicator(row: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    shown = [_entry(e) for e in row["evidence"] if not e["missing"]]
    hidden = len(row["evidence"]) - len(shown)
    return {
        **row,
        "reason": "",
        "evidence": shown,
        "withheld": masked(hidden, threshold),
    }


def _entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence entry of a public source, without what it says."""
    return {**entry, "summary": "", "value": None}


def _estimate(row: Mapping[str, Any]) -> dict[str, Any]:
    def bound(key: str, how: str) -> int | None:
        value = row[key]
        return None if value is None else rounded(value, how)

    return {
        **row,
        "estimate": bound("estimate", "nearest"),
        "lower": bound("lower", "down"),
        "upper": bound("upper", "up"),
    }
