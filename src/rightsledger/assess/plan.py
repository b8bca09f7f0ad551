"""Verification plans: what evidence would move a benchmark to its next status, and
who could supply it.

Pure. The plan reads the observations, sources and estimates of the assessment on
its date and sorts them with the same helpers as the rules (:mod:`._evidence`,
:mod:`._facilities`), so what it calls missing is the exact complement of what the
rules found. Per indicator not verified (per facility, when the rules decide it per
facility) it lists the *needs*: N more independent owners of an accepted kind at the
rule's grades; a monitor or imagery analysis among them when required; when credibly
contradicted, support dated after the last contradiction (regressed: the whole rule
again); for an estimate, an estimate under the rule's bound.

*Who could supply it* comes from data, never from a list of names: the owners of the
ledger's sources and of the catalogue's citation sources that have published a kind
the rule accepts, at its reliability or better, minus the owners already counting.
Never named: an owner of any state claim (a state never verifies itself), testimony
(a witness is never named) and sources that are not public. See
``docs/verification.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rightsledger.domain import (
    MONITOR_KINDS,
    PHYSICAL_KINDS,
    Benchmark,
    BenchmarkAssessment,
    CitationSource,
    EstimateResult,
    Indicator,
    IndicatorAssessment,
    IndicatorKind,
    Observation,
    Source,
    Status,
    VerificationRule,
)

from ._evidence import Evidence, gather, verified_on
from ._facilities import NO_FACILITY, by_facility, has_own_evidence
from ._suppliers import NON_STATE, Offer, Supplier, candidates, offers, suppliers

__all__ = [
    "BenchmarkPlan",
    "IndicatorPlan",
    "Need",
    "Supplier",
    "reads_observations",
    "verification_plan",
]


@dataclass(frozen=True, slots=True)
class Need:
    """One piece of evidence an indicator lacks and the owners who could supply it
    (best first); ``facility`` names its group when decided per facility."""

    text: str
    suppliers: tuple[str, ...] = ()
    facility: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorPlan:
    """What an unverified indicator lacks. ``next_status`` is None when its rule
    cannot take it further (an estimate rule without a bound)."""

    indicator_key: str
    target: str
    status: Status
    next_status: Status | None
    needs: tuple[Need, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class BenchmarkPlan:
    """What would move a benchmark to ``next_status`` (None: nothing can, or it is
    verified). ``needs_all``: every indicator of ``indicators_needed`` must move
    (true), or any one of them is enough (false)."""

    benchmark_id: str
    as_of: date
    status: Status
    next_status: Status | None
    summary: str
    indicators_needed: tuple[str, ...]
    needs_all: bool
    indicators: tuple[IndicatorPlan, ...]
    suppliers: tuple[Supplier, ...]


@dataclass(frozen=True, slots=True)
class _Ctx:
    sources: Mapping[str, Source]
    offers: tuple[Offer, ...]
    estimates: Sequence[EstimateResult]
    as_of: date


@dataclass(frozen=True, slots=True)
class _Gap:
    needs: tuple[Need, ...]
    steps: int  # fewest new observations that could close it
    contradicted: bool
    note: str


def verification_plan(
    benchmark: Benchmark,
    assessment: BenchmarkAssessment,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    catalogue_sources: Sequence[CitationSource] = (),
    estimates: Sequence[EstimateResult] = (),
) -> BenchmarkPlan:
    """The verification plan of ``benchmark`` on the date of ``assessment``.

    Args:
        benchmark: The benchmark and its indicators (with their rules).
        assessment: Its assessment; the plan is made on ``assessment.as_of``.
        observations: The observations the assessment was made from.
        sources: Source id -> source (the ledger's sources).
        catalogue_sources: The catalogue's citation sources, as further suppliers.
        estimates: Population estimates, for estimate indicators.

    Returns:
        The next status, the indicators that must move, per indicator the evidence
        still missing, and the suppliers named.

    Raises:
        NotFound: an observation cites a source missing from ``sources``.

    Examples:
        >>> plan = verification_plan(b, a, observations, sources, cat.sources)
        >>> plan.summary
        'partial -> verified: needs close-camps/monitors-access-camps'
    """
    ctx = _Ctx(sources, offers(sources, catalogue_sources), estimates, assessment.as_of)
    by_key = {i.key: i for i in benchmark.indicators}
    own: dict[str, list[Observation]] = {key: [] for key in by_key}
    for o in observations:  # one pass; each indicator then reads only its own
        mine = own.get(o.indicator_key)
        if mine is not None:
            mine.append(o)
    found = (
        _indicator_plan(by_key[ia.indicator_key], ia, own[ia.indicator_key], ctx)
        for ia in assessment.indicators
        if ia.indicator_key in by_key
    )
    plans = tuple(p for p in found if p is not None)
    nxt, needed, needs_all, summary = _benchmark_next(assessment.status, plans)
    named = {owner for p in plans for n in p.needs for owner in n.suppliers}
    return BenchmarkPlan(
        benchmark.id,
        assessment.as_of,
        assessment.status,
        nxt,
        summary,
        needed,
        needs_all,
        plans,
        suppliers(ctx.offers, named),
    )


def _criteria(rule: VerificationRule) -> str:
    kinds = (
        " or ".join(k.value for k in rule.source_kinds) or "any kind but a state claim"
    )
    cred = rule.min_credibility
    return (
        f"of kind {kinds}, source reliability {rule.min_reliability.value} or better, "
        f"credibility {int(cred)} ({cred.name.replace('_', ' ').lower()}) or better"
    )


def _owners(obs: Sequence[Observation], ctx: _Ctx) -> set[str]:
    return {ctx.sources[o.source_id].owner for o in obs}


_CLAIM_NOTE = (
    "only the state's own claim supports it; a state's claim never verifies, so "
    "independent confirmation is needed"
)


def _gap(indicator: Indicator, ev: Evidence, ctx: _Ctx) -> _Gap | None:
    """What one group of evidence lacks for verification; None when it verifies.

    Mirrors :mod:`.rules`: with a credible contradiction after the rule was met,
    only support dated after the last one counts (regressed); with one before it
    was ever met, support held so far counts and the rest must come after it.
    """
    rule, basis = indicator.rule, ev.qualifying
    first = verified_on(basis, ctx.sources, rule)
    contra = sorted(ev.contradictions, key=lambda o: o.observed_on)
    late = [c for c in contra if first is not None and c.observed_on > first]
    if first is not None and not late:
        return None
    since: date | None = None
    note = _CLAIM_NOTE if ev.claims and not basis else ""
    if contra:
        by = ", ".join(sorted(_owners(contra, ctx)))
        since = contra[-1].observed_on
        note = (
            f"credibly contradicted on {since} by {by}; support short of the rule "
            "leaves it contested"
        )
    if late:
        last = late[-1].observed_on
        basis = tuple(o for o in basis if o.observed_on > last)
        if verified_on(basis, ctx.sources, rule) is not None:
            return None
        note = (
            f"verified on {first}, then contradicted on {since} by {by}: the rule "
            "must be met again by support dated after that"
        )
    if ev.weak:
        weak = f"{len(ev.weak)} observation(s) fall below the rule's thresholds"
        note = f"{note}; {weak}" if note else weak
    return _needs(rule, basis, since, note, ctx)


def _needs(
    rule: VerificationRule,
    basis: Sequence[Observation],
    since: date | None,
    note: str,
    ctx: _Ctx,
) -> _Gap:
    have = _owners(basis, ctx)
    kinds = {ctx.sources[o.source_id].kind for o in basis}
    after = f", dated after {since}" if since else ""
    needs: list[Need] = []
    short = max(0, rule.min_independent - len(have))
    if short:
        lead = f"{short} more" if have else f"support from {short}"
        text = f"{lead} independent owner(s) {_criteria(rule)}{after}"
        needs.append(Need(text, candidates(ctx.offers, rule, None, have)))
    wanted = [
        ("a monitor (ICRC or a UN body)", MONITOR_KINDS, rule.requires_monitor),
        (
            "physical evidence (imagery analysis)",
            PHYSICAL_KINDS,
            rule.requires_physical,
        ),
    ]
    accepted = set(rule.source_kinds or NON_STATE)
    missing = [(what, k) for what, k, req in wanted if req and not kinds & k]
    # when every accepted kind is of the wanted sort, any new owner brings it
    shown = [(w, k) for w, k in missing if not (short and accepted <= k)]
    for what, k in shown:
        usable = sorted(x.value for x in k & accepted)
        if usable:
            text = f"{what} ({' or '.join(usable)}) among them{after}"
        else:
            text = f"{what} among them, but the rule accepts none: it cannot be met"
        needs.append(Need(text, candidates(ctx.offers, rule, k)))
    return _Gap(tuple(needs), max(short, len(missing)), since is not None, note)


def _groups(
    indicator: Indicator, observations: Sequence[Observation], ctx: _Ctx
) -> list[tuple[str | None, Evidence]]:
    """The groups the rules decide separately: one per facility with evidence of its
    own (facility-less ones labelled), else one pooled group labelled None."""
    key, rule = indicator.key, indicator.rule
    groups = by_facility(key, observations, ctx.as_of)
    evidence = [
        (f, gather(key, rule, g, ctx.sources, ctx.as_of)) for f, g in groups.items()
    ]
    counted = [(f, ev) for f, ev in evidence if has_own_evidence(ev)]
    if all(f is None for f, _ in counted):
        return [(None, gather(key, rule, observations, ctx.sources, ctx.as_of))]
    return [(f or NO_FACILITY, ev) for f, ev in counted]


def _indicator_plan(
    indicator: Indicator,
    ia: IndicatorAssessment,
    observations: Sequence[Observation],
    ctx: _Ctx,
) -> IndicatorPlan | None:
    if ia.status is Status.VERIFIED:
        return None
    if not reads_observations(indicator, ia):
        return _estimate_plan(indicator, ia, ctx)
    gaps = [
        (facility, gap)
        for facility, ev in _groups(indicator, observations, ctx)
        for gap in [_gap(indicator, ev, ctx)]
        if gap is not None
    ]
    needs = tuple(Need(n.text, n.suppliers, f) for f, g in gaps for n in g.needs)
    note = "; ".join(f"{f}: {g.note}" if f else g.note for f, g in gaps if g.note)
    one_step = len(gaps) == 1 and gaps[0][1].steps <= 1
    blocked = any(g.contradicted for _, g in gaps)
    nxt = (
        Status.VERIFIED
        if one_step or blocked or ia.status is Status.PARTIAL
        else Status.PARTIAL
    )
    if not gaps:
        nxt, note = Status.VERIFIED, "nothing is missing under the rule: assess again"
    return IndicatorPlan(indicator.key, indicator.target, ia.status, nxt, needs, note)


def reads_observations(indicator: Indicator, ia: IndicatorAssessment) -> bool:
    """Whether the plan of an indicator so assessed reads its observations: not
    when it is verified (no plan) nor when an estimate judges it."""
    by_estimate = indicator.kind is IndicatorKind.ESTIMATE and bool(
        indicator.rule.population
    )
    return ia.status is not Status.VERIFIED and not by_estimate


def _estimate_plan(
    indicator: Indicator, ia: IndicatorAssessment, ctx: _Ctx
) -> IndicatorPlan:
    """An estimate indicator needs a lower estimate, made from more named lists."""
    rule, pop = indicator.rule, indicator.rule.population
    mine = sorted(
        (
            e
            for e in ctx.estimates
            if e.population == pop and e.as_of and e.as_of <= ctx.as_of
        ),
        key=lambda e: e.as_of or date.min,
    )
    used = {ctx.sources[s].owner for e in mine for s in e.lists if s in ctx.sources}
    latest = " (no estimate yet)"
    if mine:
        e = mine[-1]
        latest = (
            f" (latest: {e.estimate:,.0f}, interval {e.lower:,.0f}-{e.upper:,.0f}, "
            f"as of {e.as_of})"
        )
    nxt: Status | None = Status.PARTIAL
    if rule.max_upper is not None:
        nxt, text = (
            Status.VERIFIED,
            f"an estimate of {pop} whose upper bound is at most {rule.max_upper:,.0f}",
        )
    elif ia.status is Status.PARTIAL:
        nxt, text = None, f"nothing: the rule sets no upper bound for {pop}"
    elif mine:
        floor = max(e.lower for e in mine)
        text = f"an estimate of {pop} whose upper bound is below {floor:,.0f}"
    else:
        text = f"two estimates of {pop}, the later one significantly lower"
    note = (
        "estimated from overlapping lists of named people; each further independent "
        f"list ({_criteria(rule)}) narrows the interval"
    )
    need = Need(text + latest, candidates(ctx.offers, rule, None, used))
    return IndicatorPlan(indicator.key, indicator.target, ia.status, nxt, (need,), note)


def _benchmark_next(
    status: Status, plans: Sequence[IndicatorPlan]
) -> tuple[Status | None, tuple[str, ...], bool, str]:
    """Next status, the indicators that must move, whether all must, and a sentence.

    Contested or regressed indicators block: they come first. A partial benchmark
    (or one with a single open indicator) needs every open indicator; otherwise any
    one indicator confirmed independently makes it partial.
    """
    if not plans:
        return None, (), True, f"{status}: every indicator is verified"
    keys = tuple(p.indicator_key for p in plans)
    bad = (Status.REGRESSED, Status.CONTESTED)
    blocking = tuple(p.indicator_key for p in plans if p.status in bad)
    if blocking:
        all_next = all(p.next_status is Status.VERIFIED for p in plans)
        one_go = len(blocking) == len(plans) and all_next
        nxt = Status.VERIFIED if one_go else Status.PARTIAL
        return nxt, blocking, True, f"{status} -> {nxt}: verify {', '.join(blocking)}"
    if status is Status.PARTIAL or len(plans) == 1:
        stuck = [p.indicator_key for p in plans if p.next_status is None]
        if stuck:
            why = f"the rules of {', '.join(stuck)} cannot take it further"
            return None, keys, True, f"{status}: {why}"
        then = Status.VERIFIED if status is Status.PARTIAL else plans[0].next_status
        return then, keys, True, f"{status} -> {then}: needs {', '.join(keys)}"
    return (
        Status.PARTIAL,
        keys,
        False,
        (
            f"{status} -> partial: needs any one of {', '.join(keys)} confirmed "
            f"independently; verified needs all {len(keys)}"
        ),
    )
