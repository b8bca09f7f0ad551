"""Indicators about places: each facility is decided on its own, then combined."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rightsledger.assess import assess_indicator
from rightsledger.domain import (
    Credibility,
    Indicator,
    IndicatorKind,
    Observation,
    Reliability,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
)
from rightsledger.domain.catalogue import VerificationRule

from .builders import src

KEY = "dismantle-political-prison-camps/camp-deactivated"
D = date(2026, 6, 1)
K16, K25 = "kwanliso-16", "kwanliso-25"
RULE = VerificationRule(requires_physical=True)


SOURCES = {
    s.id: s
    for s in [
        src("orbis", SourceKind.IMAGERY_ANALYSIS, "Orbis"),
        src("kestrel", SourceKind.IMAGERY_ANALYSIS, "Kestrel"),
        src("hrw", SourceKind.NGO_REPORT, "HRW"),
        src("ohchr", SourceKind.UN_REPORT, "UN"),
        src("kcna", SourceKind.STATE_CLAIM, "DPRK", Reliability.D),
        src("rumour", SourceKind.MEDIA, "Daily", Reliability.E),
    ]
}
IND = Indicator(
    "camp-deactivated",
    "dismantle-political-prison-camps",
    IndicatorKind.EVENT,
    "each known kwanliso shows removal of guard posts",
    rule=RULE,
)


def obs(source, on, facility, stance=Stance.SUPPORTS, **kw):
    cred = kw.pop("cred", Credibility.PROBABLY_TRUE)
    summary = f"{source} {on} {facility}"
    return Observation(source, KEY, on, stance, cred, summary, facility, **kw)


def run(observations, indicator=IND, as_of=D):
    return assess_indicator(indicator, observations, SOURCES, [], as_of)


def closed_25():
    """Kwanliso-25 verified closed by two imagery analyses."""
    return [obs("orbis", date(2026, 3, 1), K25), obs("kestrel", date(2026, 4, 1), K25)]


def claimed_16():
    return [obs("kcna", date(2025, 10, 1), K16, cred=Credibility.DOUBTFUL)]


def contradicted_16():
    """The state's claim that kwanliso-16 closed, contradicted by two analyses."""
    return [
        *claimed_16(),
        obs("orbis", date(2025, 11, 1), K16, Stance.CONTRADICTS),
        obs("kestrel", date(2026, 1, 1), K16, Stance.CONTRADICTS),
    ]


def test_verified_at_one_camp_and_contested_at_another_is_contested():
    evidence = [*contradicted_16(), *closed_25()]
    result = run(evidence)
    assert result.status is Status.CONTESTED
    assert result.standard is StandardOfProof.REASONABLE_GROUNDS  # two owners
    assert f"{K16}: contested (" in result.reason
    assert f"{K25}: verified (" in result.reason
    assert result.reason.index(K16) < result.reason.index(K25)
    assert set(result.observation_ids) == {o.id for o in evidence}
    # pooled, the later verification at kwanliso-25 would supersede kwanliso-16
    pooled = [replace(o, facility_id=None) for o in evidence]
    assert run(pooled).status is Status.VERIFIED


def test_verified_at_every_camp_is_verified():
    at_16 = [obs("orbis", date(2026, 2, 1), K16), obs("kestrel", date(2026, 2, 2), K16)]
    result = run([*closed_25(), *at_16])
    assert (result.status, result.standard) == (
        Status.VERIFIED,
        StandardOfProof.REASONABLE_GROUNDS,
    )
    assert f"{K16}: verified" in result.reason
    assert f"{K25}: verified" in result.reason
    assert len(result.observation_ids) == 4


def test_verified_at_one_camp_and_only_claimed_at_another_is_partial():
    result = run([*claimed_16(), *closed_25()])
    assert result.status is Status.PARTIAL
    # the standard is the weakest among the verified and partial camps
    assert result.standard is StandardOfProof.REASONABLE_GROUNDS
    assert f"{K16}: claimed" in result.reason


def test_claims_only_at_every_camp_is_claimed():
    claims = [obs("kcna", date(2026, 1, 1), f) for f in (K16, K25)]
    result = run(claims)
    assert (result.status, result.standard) == (Status.CLAIMED, StandardOfProof.NONE)


def test_regressed_at_one_camp_is_regressed():
    reopened = obs("hrw", date(2026, 5, 1), K25, Stance.CONTRADICTS)
    result = run([*contradicted_16(), *closed_25(), reopened])
    assert result.status is Status.REGRESSED
    assert result.standard is StandardOfProof.ALLEGATION  # one contradicting owner
    assert f"{K25}: regressed" in result.reason


def test_verified_and_no_progress_elsewhere_is_partial():
    active_16 = obs("orbis", date(2026, 1, 1), K16, Stance.CONTRADICTS)
    result = run([active_16, *closed_25()])
    assert result.status is Status.PARTIAL
    assert f"{K16}: no-progress" in result.reason


def test_facility_less_observations_form_their_own_group():
    general = obs("ohchr", date(2026, 5, 1), None, Stance.CONTRADICTS)
    result = run([*closed_25(), general])
    assert "no facility given: no-progress" in result.reason
    assert result.status is Status.PARTIAL
    assert general.id in result.observation_ids
    # a facility-less claim contested by a facility-less contradiction
    claim = obs("kcna", date(2026, 4, 1), None)
    contested = run([*closed_25(), claim, general])
    assert contested.status is Status.CONTESTED
    assert "no facility given: contested" in contested.reason


def test_facility_less_evidence_alone_is_assessed_as_before():
    general = [obs("ohchr", date(2026, 1, 1), None), obs("hrw", date(2026, 2, 1), None)]
    result = run(general)
    assert result.status is Status.PARTIAL  # two owners, but no imagery
    assert "by facility" not in result.reason
    # a facility named only by evidence below the thresholds changes nothing
    weak = obs("rumour", date(2026, 3, 1), K16)
    again = run([*general, weak])
    assert (again.status, again.standard) == (result.status, result.standard)
    assert "by facility" not in again.reason


def test_shared_baseline_starts_every_camp_and_is_no_group_of_its_own():
    base = obs("ohchr", date(2014, 2, 7), None, Stance.BASELINE, status="no-progress")
    result = run([base, *closed_25()])
    assert result.status is Status.VERIFIED
    assert "no facility given" not in result.reason
    # facility evidence dated before the baseline is reflected in it
    old = obs("orbis", date(2010, 1, 1), K16, Stance.CONTRADICTS)
    assert run([base, old]) == run([base])


def test_baseline_of_a_facility_belongs_to_that_facility():
    base_16 = obs("ohchr", date(2014, 2, 7), K16, Stance.BASELINE, status="no-progress")
    result = run([base_16, *closed_25()])
    assert result.status is Status.PARTIAL
    assert f"{K16}: no-progress" in result.reason
    assert base_16.id in result.observation_ids


def test_as_of_decides_which_camps_have_evidence():
    evidence = [*contradicted_16(), *closed_25()]
    before_25 = run(evidence, as_of=date(2026, 2, 1))
    assert before_25.status is Status.CONTESTED
    assert K25 not in before_25.reason


def test_count_totals_add_up_over_facilities():
    count = replace(IND, kind=IndicatorKind.COUNT, rule=VerificationRule())
    evidence = [
        obs("orbis", date(2026, 1, 1), K16, value=10),
        obs("kestrel", date(2026, 1, 2), K16, value=5),
        obs("orbis", date(2026, 1, 3), K25, value=20),
        obs("hrw", date(2026, 1, 4), K25, value=1),
    ]
    result = run(evidence, indicator=count)
    assert result.status is Status.VERIFIED
    # per camp, the figure at least two owners report (5 and 1), then summed
    assert "confirmed by 2 independent owner(s): 6;" in result.reason
