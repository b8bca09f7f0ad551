"""Verification plans: each path of the rules gives the evidence still missing, and
the suppliers are derived from the sources, never hard-coded."""

from __future__ import annotations

from datetime import date

from rightsledger.assess import (
    BenchmarkPlan,
    assess_benchmark,
    verification_plan,
)
from rightsledger.domain import (
    Baseline,
    Benchmark,
    CitationSource,
    Confidentiality,
    Credibility,
    EstimateResult,
    Indicator,
    IndicatorKind,
    Observation,
    Reliability,
    Source,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
    VerificationRule,
)

D = date(2026, 1, 1)
AS_OF = date(2027, 1, 1)


def _src(sid: str, kind: SourceKind, owner: str, rel: str = "B", **kw) -> Source:
    return Source(sid, kind, f"{sid} title", owner, Reliability(rel), None, **kw)


SOURCES = {
    s.id: s
    for s in [
        _src("ngo-a", SourceKind.NGO_REPORT, "NGO A"),
        _src("ngo-b", SourceKind.NGO_REPORT, "NGO B"),
        _src("ngo-weak", SourceKind.NGO_REPORT, "NGO Weak", "E"),
        _src("un", SourceKind.UN_REPORT, "UN", "A"),
        _src("icrc", SourceKind.ICRC_STATEMENT, "ICRC", "A"),
        _src("sat-1", SourceKind.IMAGERY_ANALYSIS, "Imagery One"),
        _src("sat-2", SourceKind.IMAGERY_ANALYSIS, "Imagery Two", "C"),
        _src("kcna", SourceKind.STATE_CLAIM, "DPRK", "E"),
        _src("kcna-media", SourceKind.MEDIA, "DPRK", "B"),
        _src("witness", SourceKind.TESTIMONY, "Witness 7", "B"),
        _src(
            "secret-ngo",
            SourceKind.NGO_REPORT,
            "Hidden NGO",
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    ]
}
CATALOGUE_SOURCES = (
    CitationSource("KINU-X", "KINU report", kind=SourceKind.RESEARCH, owner="KINU"),
    CitationSource("OHCHR-X", "OHCHR report", kind=SourceKind.UN_REPORT, owner="UN"),
)


def _rule(**kw) -> VerificationRule:
    base: dict[str, object] = {
        "source_kinds": (SourceKind.NGO_REPORT, SourceKind.UN_REPORT),
        "min_independent": 2,
        "min_reliability": Reliability.C,
        "min_credibility": Credibility.PROBABLY_TRUE,
    }
    return VerificationRule(**{**base, **kw})


def _bench(*rules: VerificationRule, kind: IndicatorKind = IndicatorKind.EVENT):
    inds = tuple(
        Indicator(f"i{n}", "b", kind, f"target {n}", rule=r)
        for n, r in enumerate(rules, 1)
    )
    base = Baseline(Status.NO_PROGRESS, date(2025, 1, 1), "none", ())
    return Benchmark("b", "B", "b", inds, (), base)


def _obs(
    sid: str,
    on: date = D,
    stance: Stance = Stance.SUPPORTS,
    key: str = "b/i1",
    facility: str | None = None,
) -> Observation:
    return Observation(
        sid, key, on, stance, Credibility.PROBABLY_TRUE, "s", facility_id=facility
    )


def _plan(bench: Benchmark, obs: list[Observation], estimates=()) -> BenchmarkPlan:
    a = assess_benchmark(bench, obs, SOURCES, list(estimates), AS_OF)
    return verification_plan(
        bench, a, obs, SOURCES, CATALOGUE_SOURCES, estimates=list(estimates)
    )


def test_no_evidence_needs_every_owner_and_names_suppliers() -> None:
    plan = _plan(_bench(_rule()), [])
    (ip,) = plan.indicators
    assert ip.status is Status.NO_PROGRESS
    assert ip.next_status is Status.PARTIAL
    (need,) = ip.needs
    assert need.text.startswith("support from 2 independent owner(s)")
    assert "ngo-report or un-report" in need.text
    assert "reliability C or better" in need.text
    # best grade first; catalogue citation owners count; weak owners left out
    assert need.suppliers == ("UN", "NGO A", "NGO B")
    assert plan.next_status is Status.PARTIAL
    assert [s.owner for s in plan.suppliers] == ["UN", "NGO A", "NGO B"]
    assert plan.suppliers[0].sources == ("un", "OHCHR-X")


def test_one_owner_short_excludes_the_owner_already_counting() -> None:
    plan = _plan(_bench(_rule()), [_obs("ngo-a")])
    (ip,) = plan.indicators
    assert ip.status is Status.PARTIAL
    assert ip.next_status is Status.VERIFIED
    (need,) = ip.needs
    assert need.text.startswith("1 more independent owner(s)")
    assert "NGO A" not in need.suppliers
    assert need.suppliers == ("UN", "NGO B")
    assert plan.summary == "partial -> verified: needs b/i1"


def test_monitor_missing() -> None:
    rule = _rule(requires_monitor=True)
    plan = _plan(_bench(rule), [_obs("ngo-a"), _obs("ngo-b")])
    (ip,) = plan.indicators
    (need,) = ip.needs
    assert need.text.startswith("a monitor (ICRC or a UN body) (un-report)")
    assert need.suppliers == ("UN",)
    assert ip.next_status is Status.VERIFIED


def test_physical_missing() -> None:
    rule = _rule(
        source_kinds=(SourceKind.NGO_REPORT, SourceKind.IMAGERY_ANALYSIS),
        requires_physical=True,
    )
    plan = _plan(_bench(rule), [_obs("ngo-a"), _obs("ngo-b")])
    (need,) = plan.indicators[0].needs
    assert need.text.startswith("physical evidence (imagery analysis)")
    assert need.suppliers == ("Imagery One", "Imagery Two")


def test_only_imagery_accepted_needs_no_separate_physical_line() -> None:
    rule = _rule(source_kinds=(SourceKind.IMAGERY_ANALYSIS,), requires_physical=True)
    plan = _plan(_bench(rule), [])
    (need,) = plan.indicators[0].needs
    assert need.text.startswith("support from 2 independent owner(s)")


def test_state_claim_only_never_verifies_and_state_never_supplies() -> None:
    rule = _rule(source_kinds=())  # any non-state kind
    plan = _plan(_bench(rule), [_obs("kcna")])
    (ip,) = plan.indicators
    assert ip.status is Status.CLAIMED
    assert "never verifies" in ip.note
    (need,) = ip.needs
    assert need.text.startswith("support from 2 independent owner(s)")
    assert "DPRK" not in need.suppliers  # not even through its media source


def test_testimony_and_confidential_sources_are_never_named() -> None:
    rule = _rule(source_kinds=(), min_reliability=Reliability.D)
    plan = _plan(_bench(rule), [])
    named = set(plan.indicators[0].needs[0].suppliers)
    assert "Witness 7" not in named
    assert "Hidden NGO" not in named
    assert {"NGO A", "UN", "ICRC", "KINU", "Imagery One"} <= named


def test_contested_needs_support_after_the_contradiction() -> None:
    later = date(2026, 6, 1)
    obs = [_obs("ngo-a"), _obs("ngo-b", later, Stance.CONTRADICTS)]
    plan = _plan(_bench(_rule()), obs)
    (ip,) = plan.indicators
    assert ip.status is Status.CONTESTED
    assert ip.next_status is Status.VERIFIED
    (need,) = ip.needs
    assert need.text.startswith("1 more independent owner(s)")
    assert need.text.endswith(f"dated after {later}")
    assert "contradicted on 2026-06-01 by NGO B" in ip.note
    assert plan.summary == "contested -> verified: verify b/i1"


def test_regressed_needs_the_whole_rule_again() -> None:
    later = date(2026, 6, 1)
    obs = [_obs("ngo-a"), _obs("un"), _obs("ngo-b", later, Stance.CONTRADICTS)]
    plan = _plan(_bench(_rule()), obs)
    (ip,) = plan.indicators
    assert ip.status is Status.REGRESSED
    (need,) = ip.needs
    assert need.text.startswith("support from 2 independent owner(s)")
    assert need.text.endswith(f"dated after {later}")
    assert "must be met again" in ip.note
    # owners that counted before the contradiction may confirm again
    assert "UN" in need.suppliers


def test_weak_evidence_is_mentioned() -> None:
    plan = _plan(_bench(_rule()), [_obs("ngo-weak")])
    assert "1 observation(s) fall below the rule's thresholds" in (
        plan.indicators[0].note
    )


def test_per_facility_needs_name_their_facility() -> None:
    rule = _rule(min_independent=1)
    obs = [_obs("ngo-a", facility="camp-1"), _obs("kcna", facility="camp-2")]
    plan = _plan(_bench(rule), obs)
    (ip,) = plan.indicators
    assert ip.status is Status.PARTIAL
    (need,) = ip.needs
    assert need.facility == "camp-2"
    assert ip.note.startswith("camp-2: only the state's own claim")


def test_estimate_needs_an_upper_bound_under_the_rule() -> None:
    rule = _rule(
        source_kinds=(SourceKind.NGO_REPORT, SourceKind.RESEARCH),
        population="camp-pop",
        max_upper=1000.0,
    )
    est = EstimateResult(
        "camp-pop", "chapman", 5000, 4000, 7000, 900, ("ngo-a",), as_of=D
    )
    plan = _plan(_bench(rule, kind=IndicatorKind.ESTIMATE), [], [est])
    (ip,) = plan.indicators
    assert ip.next_status is Status.VERIFIED
    (need,) = ip.needs
    assert "camp-pop whose upper bound is at most 1,000" in need.text
    assert "latest: 5,000, interval 4,000-7,000" in need.text
    assert "NGO A" not in need.suppliers  # its list is already in the estimate
    assert "KINU" in need.suppliers


def test_estimate_without_bound_cannot_verify() -> None:
    rule = _rule(population="camp-pop")
    plan = _plan(_bench(rule, kind=IndicatorKind.ESTIMATE), [])
    (ip,) = plan.indicators
    assert ip.next_status is Status.PARTIAL
    assert "two estimates of camp-pop" in ip.needs[0].text


def test_benchmark_plan_any_one_then_all() -> None:
    plan = _plan(_bench(_rule(), _rule()), [])
    assert plan.next_status is Status.PARTIAL
    assert plan.needs_all is False
    assert plan.indicators_needed == ("b/i1", "b/i2")
    partial = _plan(
        _bench(_rule(min_independent=1), _rule()),
        [_obs("ngo-a")],
    )
    assert partial.status is Status.PARTIAL
    assert partial.next_status is Status.VERIFIED
    assert partial.indicators_needed == ("b/i2",)


def test_verified_benchmark_has_nothing_missing() -> None:
    plan = _plan(_bench(_rule(min_independent=1)), [_obs("ngo-a")])
    assert plan.status is Status.VERIFIED
    assert plan.next_status is None
    assert plan.indicators == ()
    assert plan.suppliers == ()


def test_standard_is_not_needed_for_the_plan() -> None:
    # the plan is a pure function of its inputs: the same call, the same plan
    bench = _bench(_rule())
    a = assess_benchmark(bench, [], SOURCES, [], AS_OF)
    assert a.standard is StandardOfProof.NONE
    first = verification_plan(bench, a, [], SOURCES, CATALOGUE_SOURCES)
    assert first == verification_plan(bench, a, [], SOURCES, CATALOGUE_SOURCES)
