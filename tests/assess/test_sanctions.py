"""Sanctions readiness: met, not met, outside the catalogue, standard too low."""

from __future__ import annotations

from datetime import date

from rightsledger.assess import (
    BenchmarkPlan,
    Readiness,
    by_effect,
    required_standard,
    sanctions_readiness,
)
from rightsledger.domain import (
    BenchmarkAssessment,
    SanctionsCondition,
    StandardOfProof,
    Status,
)

ON = date(2027, 1, 1)
RG = StandardOfProof.REASONABLE_GROUNDS
CC = StandardOfProof.CLEAR_AND_CONVINCING


def _a(bid: str, status: Status, standard: StandardOfProof) -> BenchmarkAssessment:
    return BenchmarkAssessment(bid, ON, status, standard, "", ())


def _cond(
    cid: str, *benchmarks: str, effect: str = "suspension", text: str = "x"
) -> SanctionsCondition:
    return SanctionsCondition(cid, "22 U.S.C. 1", effect, text, benchmarks)


CURRENT = {
    "camps": _a("camps", Status.VERIFIED, CC),
    "release": _a("release", Status.VERIFIED, RG),
    "icrc": _a("icrc", Status.PARTIAL, StandardOfProof.ALLEGATION),
    "weak": _a("weak", Status.VERIFIED, StandardOfProof.ALLEGATION),
}


def test_met_when_every_tied_benchmark_is_verified_at_the_standard() -> None:
    (r,) = sanctions_readiness([_cond("c", "camps", "release")], CURRENT)
    assert r.readiness is Readiness.MET
    assert r.required is RG
    assert all(b.met for b in r.benchmarks)
    assert r.short == ()
    assert r.reason.startswith("met: all 2")


def test_not_met_names_each_shortfall() -> None:
    (r,) = sanctions_readiness([_cond("c", "camps", "icrc", "unknown")], CURRENT)
    assert r.readiness is Readiness.NOT_MET
    assert [b.benchmark_id for b in r.short] == ["icrc", "unknown"]
    assert r.short[0].shortfall == "partial at allegation, not verified"
    assert r.short[1].status is None
    assert r.short[1].shortfall == "not assessed"
    assert "2 of 3" in r.reason


def test_outside_the_catalogue() -> None:
    (r,) = sanctions_readiness([_cond("wmd", effect="termination")], CURRENT)
    assert r.readiness is Readiness.OUTSIDE
    assert r.benchmarks == ()
    assert "cannot judge it" in r.reason


def test_standard_too_low() -> None:
    (r,) = sanctions_readiness([_cond("c", "weak")], CURRENT)
    assert r.readiness is Readiness.NOT_MET
    assert (
        r.short[0].shortfall == "verified only at allegation, below reasonable-grounds"
    )
    # a stricter required standard turns a met condition into a shortfall
    (strict,) = sanctions_readiness([_cond("c", "release")], CURRENT, required=CC)
    assert strict.readiness is Readiness.NOT_MET
    assert strict.required is CC


def test_condition_text_can_raise_the_standard() -> None:
    text = "Only if found by clear and convincing evidence that no forced labour..."
    cond = _cond("caatsa", "release", effect="import-ban exception", text=text)
    assert required_standard(cond, RG) is CC
    assert required_standard(_cond("c"), RG) is RG
    (r,) = sanctions_readiness([cond], CURRENT)
    assert r.required is CC
    assert r.readiness is Readiness.NOT_MET


def test_binding_flag_and_grouping_by_effect() -> None:
    sense = SanctionsCondition("s", "x", "aid (sense of Congress)", "t", (), False)
    items = sanctions_readiness(
        [_cond("a", "camps"), _cond("b", effect="termination"), sense, _cond("c")],
        CURRENT,
    )
    groups = by_effect(items)
    assert list(groups) == ["suspension", "termination", "aid (sense of Congress)"]
    assert [r.condition_id for r in groups["suspension"]] == ["a", "c"]
    assert groups["aid (sense of Congress)"][0].binding is False


def test_missing_evidence_is_the_plans_of_the_short_benchmarks() -> None:
    plan = BenchmarkPlan(
        "icrc", ON, Status.PARTIAL, Status.VERIFIED, "s", ("icrc/x",), True, (), ()
    )
    plans = {"icrc": plan, "camps": plan}
    (r,) = sanctions_readiness([_cond("c", "camps", "icrc")], CURRENT, plans=plans)
    assert r.missing == (plan,)
