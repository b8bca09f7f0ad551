"""The packaged North Korea catalogue: complete, sourced, and honest about gaps."""

from __future__ import annotations

import subprocess
import sys

import pytest

import rightsledger.catalogue as catalogue_pkg
from rightsledger.catalogue import (
    default_catalogue_path,
    load_catalogue,
    parse_catalogue,
)
from rightsledger.domain import (
    Catalogue,
    FacilityState,
    IndicatorKind,
    SourceKind,
    Verification,
    VerificationRule,
)

# nk-facts.md section 8: benchmark id -> indicator ids, in order
EXPECTED = {
    "dismantle-political-prison-camps": [
        "acknowledge-camps",
        "camp-deactivated",
        "monitors-access-camps",
        "no-silent-transfer",
    ],
    "release-political-prisoners": [
        "verified-releases",
        "amnesty-law",
        "remaining-population",
    ],
    "account-for-disappeared": ["fate-lists", "cases-clarified"],
    "icrc-detention-access": ["icrc-agreement", "icrc-visit", "icrc-coverage"],
    "detention-conditions-and-torture": ["conditions-verified", "deaths-in-custody"],
    "special-rapporteur-access": ["sr-invitation", "sr-visit", "sr-dialogue"],
    "ohchr-access-and-cooperation": ["hc-visit", "technical-cooperation"],
    "un-presence-and-civil-society": [
        "intl-staff-return",
        "un-presence-agreement",
        "media-access",
    ],
    "end-censorship": [
        "repeal-information-laws",
        "no-punishment-for-media",
        "independent-media",
    ],
    "open-representative-society": ["competitive-elections", "security-sector-reform"],
    "criminal-justice-and-death-penalty": ["code-reform", "moratorium"],
    "end-forced-labour": [
        "ilo-membership",
        "no-shock-brigades",
        "overseas-workers",
        "import-presumption-rebutted",
    ],
    "end-songbun-discrimination": ["songbun-abolished", "equal-access"],
    "humanitarian-aid-monitoring": [
        "monitoring-agreement",
        "monitor-visits",
        "detainees-reached",
    ],
    "account-for-abductees-detainees-pows": [
        "japan-abductees",
        "rok-abductees",
        "rok-pows",
        "rok-detainees",
        "us-remains",
    ],
    "separated-families": ["reunion-events", "permanent-channels"],
    "freedom-of-movement-and-returnees": ["no-punishment-returnees"],
}

# facts tagged [U] in nk-facts.md that must not be shipped as facts
UNCONFIRMED_PHRASES = [
    "2375",  # UNSC worker provisions [U]
    "2397",
    "112-172",  # 2012 NKHRA public-law number [U]
    "116-92",  # BRINK Act public-law number [U]
    "55 cases",  # remains handed over in July 2018 [U]
    "Biserko",  # other COI members [U]
    "12 Jun 2024",  # Security Council meeting [U]
    "Belgrade",  # Helsinki follow-up meetings [U]
]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_public_api_is_pinned():
    assert catalogue_pkg.__all__ == [
        "default_catalogue_path",
        "load_catalogue",
        "load_matching",
        "parse_catalogue",
        "parse_matching",
    ]


def test_packaged_catalogue_loads(cat):
    assert isinstance(cat, Catalogue)
    assert cat.name == "nk"
    assert cat.country
    assert load_catalogue(default_catalogue_path()) == cat


def test_parse_catalogue_is_pure_text_in(cat):
    folder = default_catalogue_path()
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")}
    assert parse_catalogue(files) == cat


def test_exactly_the_17_benchmarks_with_their_indicators(cat):
    got = {b.id: [i.id for i in b.indicators] for b in cat.benchmarks}
    assert got == EXPECTED
    assert len(cat.benchmarks) == 17


def test_every_benchmark_has_english_and_korean_titles(cat):
    for b in cat.benchmarks:
        assert b.title and b.title_ko, b.id
        assert any("\uac00" <= ch <= "\ud7a3" for ch in b.title_ko), b.id


def test_every_indicator_has_a_sensible_rule(cat):
    for ind in cat.indicators():
        rule = ind.rule
        assert isinstance(rule, VerificationRule)
        assert rule.min_independent >= 1, ind.key
        assert SourceKind.STATE_CLAIM not in rule.source_kinds, ind.key
        if ind.kind is IndicatorKind.ESTIMATE:
            assert rule.population, ind.key
        else:
            assert rule.population is None, ind.key


def test_key_rules_follow_the_design(cat):
    icrc = cat.benchmark("icrc-detention-access").indicators[1].rule
    assert icrc.source_kinds == (SourceKind.ICRC_STATEMENT,)
    assert icrc.requires_monitor
    camp = cat.benchmark("dismantle-political-prison-camps").indicators[1].rule
    assert camp.requires_physical and camp.min_independent == 2


def _cited_keys(cat):
    for b in cat.benchmarks:
        yield from b.baseline.sources
    for f in cat.facilities:
        yield from f.sources
        for e in f.history:
            yield from e.sources
    for a in cat.agreements:
        yield from a.sources


def test_every_cited_source_key_resolves(cat):
    keys = {s.key for s in cat.sources}
    assert len(keys) == len(cat.sources)
    missing = set(_cited_keys(cat)) - keys
    assert not missing


def test_every_source_has_an_owner_and_a_kind(cat):
    for s in cat.sources:
        assert s.owner and s.title, s.key
        assert isinstance(s.kind, SourceKind)


def test_conditions_map_to_existing_benchmarks(cat):
    ids = {b.id for b in cat.benchmarks}
    for c in cat.conditions:
        assert set(c.benchmarks) <= ids, c.id
        assert c.binding == (not c.id.startswith("NKHRA")), c.id
    assert {c.id for c in cat.conditions} >= {"NKSPEA-401a6", "NKSPEA-402-2B"}


def test_agreements_and_their_coverage(cat):
    ids = {a.id for a in cat.agreements}
    assert ids >= {
        "agreed-framework-1994",
        "six-party-joint-statement-2005",
        "panmunjom-declaration-2018",
        "singapore-joint-statement-2018",
    }
    benchmark_ids = {b.id for b in cat.benchmarks}
    for a in cat.agreements:
        assert a.title, a.id
        for clause in a.clauses:
            assert set(clause.covers) <= benchmark_ids
    singapore = next(a for a in cat.agreements if a.id.startswith("singapore"))
    assert not singapore.mentions_human_rights


def test_unconfirmed_facts_are_flagged_or_absent(cat):
    for a in cat.agreements:
        if "U" in a.verification.split("/"):
            assert a.note, a.id
        if a.verification == "U":
            assert a.note.startswith("Unconfirmed"), a.id
            assert all(not c.covers for c in a.clauses), a.id
    for f in cat.facilities:
        for e in f.history:
            assert e.verification is not Verification.UNCONFIRMED, f.id
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in default_catalogue_path().glob("*.yaml")
    )
    for phrase in UNCONFIRMED_PHRASES:
        assert phrase not in text, phrase


def test_camp_18_is_contested_and_camp_22_closed(cat):
    by_id = {f.id: f for f in cat.facilities}
    assert by_id["kwanliso-18"].history[-1].state is FacilityState.CONTESTED
    assert by_id["kwanliso-22"].history[-1].state is FacilityState.CLOSED
    for f in cat.facilities:
        dates = [e.on for e in f.history]
        assert dates == sorted(dates), f.id


def test_catalogue_package_stays_pure():
    code = (
        "import sys, rightsledger.catalogue as c; c.load_catalogue();"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy','alembic','fastapi','click','duckdb','rich'} or "
        "m.startswith(('rightsledger.store','rightsledger.web','rightsledger.cli',"
        "'rightsledger.ledger'))];"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
