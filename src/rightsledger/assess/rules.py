"""Verification rules: from an indicator's evidence to its status on a date.

Only observations with ``observed_on <= as_of`` and estimates with
``as_of <= as_of`` count. The latest BASELINE observation (with a ``status``) is the
starting point; supporting or contradicting observations dated on or before it
are taken as already reflected in it.

Evidence classes (see :mod:`._evidence`):

- *qualifying support*: SUPPORTS from a non-state source whose kind is in
  ``rule.source_kinds`` (empty = any non-state kind), source reliability at least
  ``rule.min_reliability``, observation credibility at least
  ``rule.min_credibility``. Independence = distinct ``Source.owner``.
- *state claim*: SUPPORTS from a source of kind ``state-claim``.
- *credible contradiction*: CONTRADICTS from a non-state source meeting the same
  reliability and credibility thresholds (any kind).

Decision, first match wins:

=============  =============================================================
status         condition
=============  =============================================================
verified       qualifying support meets the rule (>= ``min_independent``
               owners; a monitor / physical kind among them when required) and
               no credible contradiction is dated after the date it first did;
               or it meets the rule again with support dated after the last
               such contradiction. Standard: ``rule.standard``.
regressed      verified, then credibly contradicted later. Standard:
               ``rule.standard`` if the contradictions have enough owners,
               else ``allegation``.
contested      a credible contradiction, and qualifying support or a state
               claim that has not reached verification (or did so only after
               the contradiction: then it is verified). Standard: that of the
               contradicting evidence.
no-progress    a credible contradiction with nothing supporting.
partial        qualifying support short of the rule: ``allegation`` with fewer
               owners than required, ``reasonable-grounds`` (capped at the
               rule's standard) when only a monitor / physical source is
               missing.
claimed        only a state claim supports: never more (standard ``none``).
baseline       nothing newer: the latest baseline's status (``allegation``).
no-progress    nothing at all (standard ``none``).
=============  =============================================================

Indicators about places: when observations name facilities (``facility_id``),
each facility's observations are decided separately by the table above and the
results combined (see :mod:`._facilities`): any regressed -> regressed; any
contested -> contested; all verified -> verified; some verified or partial ->
partial; any claimed -> claimed; else no-progress. Observations naming no
facility form a group of their own; facility-less baselines start every group.
A group counts only with evidence of its own that can decide something
(qualifying support, a state claim, a credible contradiction, or a baseline of
that facility); when no facility's group counts, the evidence is pooled as
before. Verification at one camp never supersedes a contradiction at another.

Estimate indicators (kind ``estimate`` with ``rule.population``) are decided by
the latest estimate of that population: verified when ``rule.max_upper`` is set
and the upper bound is at most it; partial when an earlier estimate's lower bound
is above the latest's upper bound (a significant fall); otherwise no-progress.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date

from rightsledger.domain import (
    EstimateResult,
    Indicator,
    IndicatorAssessment,
    IndicatorKind,
    Observation,
    Source,
    StandardOfProof,
    Status,
)
from rightsledger.errors import InputError

from ._evidence import (
    Evidence,
    gather,
    meets_rule,
    owners,
    partial_standard,
    source_of,
    verified_on,
    weakest,
)
from ._facilities import by_facility, combine, has_own_evidence

__all__ = ["assess_indicator", "estimate_id"]


def estimate_id(result: EstimateResult) -> str:
    """Content hash of an estimate (the domain type has no id of its own)."""
    payload = {
        "population": result.population,
        "method": result.method,
        "estimate": result.estimate,
        "lower": result.lower,
        "upper": result.upper,
        "observed": result.observed,
        "lists": list(result.lists),
        "confidence": result.confidence,
        "as_of": result.as_of.isoformat() if result.as_of else None,
    }
    raw = json.dumps(payload, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def assess_indicator(
    indicator: Indicator,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    estimates: Sequence[EstimateResult],
    as_of: date,
) -> IndicatorAssessment:
    """Status of one indicator on ``as_of``, with the evidence that decided it.

    Args:
        indicator: the indicator and its verification rule.
        observations: observations (of any indicator; others are ignored).
        sources: source id -> source, for every cited source.
        estimates: population estimates (only used by estimate indicators).
        as_of: the date of the assessment; later evidence is ignored.

    Returns:
        The indicator's assessment: status, standard, one-sentence reason, ids.

    Raises:
        NotFound: an observation cites a source missing from ``sources``.
        InputError: a baseline observation's status is not a known status.
    """
    ev = gather(indicator.key, indicator.rule, observations, sources, as_of)
    if indicator.kind is IndicatorKind.ESTIMATE and indicator.rule.population:
        return _assess_estimate(indicator, ev, estimates, as_of)
    result = _per_facility(indicator, observations, sources, as_of)
    if result is None:
        result = _decide(indicator, ev, sources)
    if indicator.kind is IndicatorKind.COUNT:
        result = _with_totals(result, ev, sources, indicator.rule.min_independent)
    return result


def _decide(
    indicator: Indicator, ev: Evidence, sources: Mapping[str, Source]
) -> IndicatorAssessment:
    if ev.contradictions:
        return _with_contradictions(indicator, ev, sources)
    return _without_contradictions(indicator, ev, sources)


def _per_facility(
    indicator: Indicator,
    observations: Sequence[Observation],
    sources: Mapping[str, Source],
    as_of: date,
) -> IndicatorAssessment | None:
    """Each facility's evidence decided separately and combined; None if pooled.

    Pooled (None) unless at least one facility has evidence of its own that can
    decide something (see :func:`._facilities.has_own_evidence`).
    """
    key, rule = indicator.key, indicator.rule
    evidence = {
        facility: gather(key, rule, group, sources, as_of)
        for facility, group in by_facility(key, observations, as_of).items()
    }
    counted = {f: ev for f, ev in evidence.items() if has_own_evidence(ev)}
    if all(f is None for f in counted):
        return None
    parts = [(f, _decide(indicator, ev, sources)) for f, ev in counted.items()]
    return combine(key, parts)


def _make(
    indicator: Indicator,
    status: Status,
    standard: StandardOfProof,
    reason: str,
    decided_by: Sequence[Observation] = (),
) -> IndicatorAssessment:
    ids = tuple(dict.fromkeys(o.id for o in decided_by))
    return IndicatorAssessment(indicator.key, status, standard, reason, ids)


def _names(obs: Sequence[Observation], sources: Mapping[str, Source]) -> str:
    return ", ".join(sorted(owners(obs, sources)))


def _fallback(indicator: Indicator, ev: Evidence, why: str) -> IndicatorAssessment:
    if ev.baseline is None:
        return _make(indicator, Status.NO_PROGRESS, StandardOfProof.NONE, why)
    try:
        status = Status(ev.baseline.status or "")
    except ValueError:
        raise InputError(
            f"baseline status {ev.baseline.status!r} is not one of "
            f"{[s.value for s in Status]}",
            field=f"observation {ev.baseline.id[:12]}",
        ) from None
    reason = (
        f"{why}; baseline of {ev.baseline.observed_on}: {status} "
        f"({ev.baseline.summary})"
    )
    return _make(indicator, status, StandardOfProof.ALLEGATION, reason, [ev.baseline])


def _without_contradictions(
    indicator: Indicator, ev: Evidence, sources: Mapping[str, Source]
) -> IndicatorAssessment:
    rule = indicator.rule
    q = ev.qualifying
    if verified_on(q, sources, rule) is not None:
        reason = (
            f"verified by {len(owners(q, sources))} independent owners "
            f"({_names(q, sources)}), meeting the rule"
        )
        return _make(indicator, Status.VERIFIED, rule.standard, reason, q)
    if q:
        reason = (
            f"supported by {len(owners(q, sources))} qualifying owner(s) "
            f"({_names(q, sources)}), short of the rule's {rule.min_independent}"
            + (
                " or its monitor/physical requirement"
                if rule.requires_monitor or rule.requires_physical
                else ""
            )
        )
        std = partial_standard(q, sources, rule)
        return _make(indicator, Status.PARTIAL, std, reason, q)
    if ev.claims:
        reason = (
            f"only the state's own claim ({_names(ev.claims, sources)}) supports it"
        )
        return _make(indicator, Status.CLAIMED, StandardOfProof.NONE, reason, ev.claims)
    weak = f", {len(ev.weak)} below the thresholds" if ev.weak else ""
    return _fallback(indicator, ev, f"no qualifying evidence{weak}")


def _contra_standard(
    indicator: Indicator, contra: Sequence[Observation], sources: Mapping[str, Source]
) -> StandardOfProof:
    if len(owners(contra, sources)) >= indicator.rule.min_independent:
        return indicator.rule.standard
    return StandardOfProof.ALLEGATION


def _with_contradictions(
    indicator: Indicator, ev: Evidence, sources: Mapping[str, Source]
) -> IndicatorAssessment:
    rule, q, contra = indicator.rule, ev.qualifying, ev.contradictions
    first = verified_on(q, sources, rule)
    if first is not None:
        after = [c for c in contra if c.observed_on > first]
        if not after:
            reason = (
                f"verified on {first} by {_names(q, sources)}; earlier "
                "contradictions are superseded"
            )
            return _make(indicator, Status.VERIFIED, rule.standard, reason, q)
        fresh = [o for o in q if o.observed_on > after[-1].observed_on]
        if meets_rule(fresh, sources, rule):
            reason = f"verified again by {_names(fresh, sources)} after a contradiction"
            return _make(indicator, Status.VERIFIED, rule.standard, reason, fresh)
        reason = (
            f"verified on {first}, then contradicted on {after[-1].observed_on} "
            f"by {_names(after, sources)}"
        )
        std = _contra_standard(indicator, after, sources)
        return _make(indicator, Status.REGRESSED, std, reason, [*q, *after])
    std = _contra_standard(indicator, contra, sources)
    support = [*q, *ev.claims]
    if support:
        reason = (
            f"supported by {_names(support, sources)} but credibly contradicted "
            f"by {_names(contra, sources)}"
        )
        return _make(indicator, Status.CONTESTED, std, reason, [*support, *contra])
    reason = f"credibly contradicted by {_names(contra, sources)}, nothing supports it"
    return _make(indicator, Status.NO_PROGRESS, std, reason, contra)


def _latest_by_owner(
    observations: Sequence[Observation], sources: Mapping[str, Source]
) -> dict[str, float]:
    """Each owner's most recent reported figure (values are cumulative figures as
    reported on the observation's date, so only the latest one per owner counts)."""
    latest: dict[str, float] = {}
    for o in sorted(observations, key=lambda o: (o.observed_on, o.id)):
        if o.value is not None:
            latest[source_of(o, sources).owner] = o.value
    return latest


def _by_place(observations: Sequence[Observation]) -> list[list[Observation]]:
    groups: dict[str | None, list[Observation]] = {}
    for o in observations:
        groups.setdefault(o.facility_id, []).append(o)
    return list(groups.values())


def _with_totals(
    result: IndicatorAssessment,
    ev: Evidence,
    sources: Mapping[str, Source],
    needed: int,
) -> IndicatorAssessment:
    """Add the confirmed figure and the state's claim to a count's reason.

    Per facility (observations without one form one group), the confirmed figure
    is the largest number that at least ``needed`` independent owners each report
    (the ``needed``-th largest of their latest figures); the claimed figure is the
    state's latest claim. Both are summed over facilities.
    """
    verified, claimed = 0.0, 0.0
    for group in _by_place(ev.qualifying):
        figures = sorted(_latest_by_owner(group, sources).values(), reverse=True)
        verified += figures[needed - 1] if len(figures) >= needed else 0.0
    for group in _by_place(ev.claims):
        claimed += max(_latest_by_owner(group, sources).values(), default=0.0)
    if not verified and not claimed:
        return result
    reason = (
        f"{result.reason} (figure confirmed by {needed} independent owner(s): "
        f"{verified:,.0f}; the state claims {claimed:,.0f})"
    )
    return IndicatorAssessment(
        result.indicator_key,
        result.status,
        result.standard,
        reason,
        result.observation_ids,
        result.estimate_ids,
    )


def _interval(e: EstimateResult) -> str:
    pct = round(e.confidence * 100)
    return (
        f"{e.estimate:,.0f} ({pct}% interval {e.lower:,.0f}-{e.upper:,.0f}, "
        f"{e.method}, as of {e.as_of})"
    )


def _fallen_from(
    mine: Sequence[EstimateResult], latest: EstimateResult
) -> EstimateResult | None:
    """The earlier estimate whose lower bound is highest above ``latest.upper``."""
    fallen = [
        e
        for e in mine
        if e.as_of and latest.as_of and e.as_of < latest.as_of
        if e.lower > latest.upper
    ]
    return max(fallen, key=lambda e: e.lower, default=None)


def _assess_estimate(
    indicator: Indicator,
    ev: Evidence,
    estimates: Sequence[EstimateResult],
    as_of: date,
) -> IndicatorAssessment:
    rule = indicator.rule
    mine = sorted(
        (
            e
            for e in estimates
            if e.population == rule.population and e.as_of and e.as_of <= as_of
        ),
        key=lambda e: (e.as_of or date.min, estimate_id(e)),
    )
    if not mine:
        return _fallback(indicator, ev, f"no estimate of {rule.population} yet")
    latest = mine[-1]
    prev = _fallen_from(mine, latest)
    if rule.max_upper is not None and latest.upper <= rule.max_upper:
        status, std, used = Status.VERIFIED, rule.standard, [latest]
        reason = f"estimate {_interval(latest)} is at most {rule.max_upper:,.0f}"
    elif prev is not None:
        status, used = Status.PARTIAL, [latest, prev]
        std = weakest(rule.standard, StandardOfProof.REASONABLE_GROUNDS)
        reason = (
            f"estimate fell significantly: {_interval(latest)}, below {_interval(prev)}"
        )
    else:
        status, std, used = Status.NO_PROGRESS, StandardOfProof.NONE, [latest]
        reason = f"estimate {_interval(latest)} shows no significant change"
    ids = tuple(estimate_id(e) for e in used)
    return IndicatorAssessment(indicator.key, status, std, reason, (), ids)
