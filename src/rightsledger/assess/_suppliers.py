"""Who could supply missing evidence: owners derived from the sources already known.

An *offer* is a published source, read as something its owner could supply again:
every public source of the ledger and every citation source of the catalogue. Left
out: testimony (a witness is never named as a supplier), sources that are not
public, and every owner of a state claim (a state never verifies itself).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from rightsledger.domain import (
    CitationSource,
    Confidentiality,
    Origin,
    Reliability,
    Source,
    SourceKind,
    VerificationRule,
)

__all__ = ["NON_STATE", "Offer", "Supplier", "candidates", "offers", "suppliers"]

NON_STATE = frozenset(SourceKind) - {SourceKind.STATE_CLAIM}
_NEVER = frozenset({SourceKind.STATE_CLAIM, SourceKind.TESTIMONY})


@dataclass(frozen=True, slots=True)
class Supplier:
    """An owner who could supply missing evidence: the kinds it has published, up
    to three of its source keys, its best reliability, and whether all its sources
    are simulated."""

    owner: str
    kinds: tuple[SourceKind, ...]
    sources: tuple[str, ...]
    reliability: Reliability
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    """One published source, seen as something its owner could supply again."""

    owner: str
    kind: SourceKind
    reliability: Reliability
    key: str
    simulated: bool


def offers(
    sources: Mapping[str, Source], catalogue_sources: Sequence[CitationSource]
) -> tuple[Offer, ...]:
    """Public, non-testimony sources as offers, minus every owner of a state claim."""
    public = [
        s for s in sources.values() if s.confidentiality is Confidentiality.PUBLIC
    ]
    out = [
        Offer(
            s.owner,
            s.kind,
            s.reliability,
            s.citation or s.id,
            s.origin is Origin.SIMULATED,
        )
        for s in public
    ]
    out += [
        Offer(c.owner or c.key, c.kind, c.reliability, c.key, False)
        for c in catalogue_sources
    ]
    states = {s.owner for s in sources.values() if s.kind is SourceKind.STATE_CLAIM}
    states |= {o.owner for o in out if o.kind is SourceKind.STATE_CLAIM}
    return tuple(o for o in out if o.owner not in states and o.kind not in _NEVER)


def candidates(
    pool: Sequence[Offer],
    rule: VerificationRule,
    kinds: Collection[SourceKind] | None = None,
    exclude: Collection[str] = (),
) -> tuple[str, ...]:
    """Owners with an offer the rule accepts (of ``kinds`` only), best grade first,
    leaving out ``exclude`` (the owners already counting)."""
    accepted = set(rule.source_kinds or NON_STATE) & set(kinds or NON_STATE)
    best: dict[str, Reliability] = {}
    for o in pool:
        good = o.kind in accepted and o.reliability.at_least(rule.min_reliability)
        if good and o.owner not in exclude:
            best[o.owner] = min(best.get(o.owner, o.reliability), o.reliability)
    return tuple(sorted(best, key=lambda owner: (best[owner], owner.lower())))


def suppliers(pool: Sequence[Offer], named: Collection[str]) -> tuple[Supplier, ...]:
    """A :class:`Supplier` for each owner in ``named``, best reliability first."""
    found: dict[str, list[Offer]] = {}
    for o in sorted(pool, key=lambda o: (o.reliability, o.simulated, o.key)):
        if o.owner in named:
            found.setdefault(o.owner, []).append(o)
    out = [
        Supplier(
            owner,
            tuple(dict.fromkeys(o.kind for o in mine)),
            tuple(dict.fromkeys(o.key for o in mine))[:3],
            mine[0].reliability,
            all(o.simulated for o in mine),
        )
        for owner, mine in found.items()
    ]
    return tuple(sorted(out, key=lambda s: (s.reliability, s.owner.lower())))
