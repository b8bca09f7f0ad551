"""Rules of the matcher: commitments, vague wording, pitfalls and totals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rightsledger.catalogue import load_catalogue, load_matching
from rightsledger.errors import InputError
from rightsledger.texts import (
    AgreementText,
    ClauseKind,
    Level,
    Term,
    check_coverage,
)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def lex():
    return load_matching()


def one(text, cat, lex):
    report = check_coverage(text, cat.benchmarks, lex)
    assert len(report.clauses) == 1
    return report.clauses[0]


def test_commitment_binds(cat, lex):
    clause = one("The DPRK shall release all political prisoners.", cat, lex)
    assert clause.binds == ("release-political-prisoners",)
    assert clause.evidence[0].cue == "shall"
    assert clause.kind is ClauseKind.HUMAN_RIGHTS


@pytest.mark.parametrize(
    "text",
    [
        "The Parties note the situation of political prisoners.",
        "The Parties will discuss the release of political prisoners.",
        "The DPRK will release political prisoners in due course.",
        "The DPRK will release political prisoners as appropriate.",
        "Nothing in this agreement shall require the release of political prisoners.",
        "Political prisoners were the subject of a frank exchange of views.",
    ],
)
def test_vague_hedged_or_disclaimed_wording_only_mentions(text, cat, lex):
    clause = one(text, cat, lex)
    assert clause.binds == ()
    assert clause.mentions == ("release-political-prisoners",)


def test_the_nearest_cue_before_the_words_decides(cat, lex):
    text = "The Parties agreed to discuss the release of political prisoners."
    assert one(text, cat, lex).mentions == ("release-political-prisoners",)
    text = "The Parties discussed the matter and agreed to release political prisoners."
    assert one(text, cat, lex).binds == ("release-political-prisoners",)


def test_a_negated_duty_still_binds(cat, lex):
    text = "The DPRK shall not punish returnees for having left the country."
    assert one(text, cat, lex).binds == ("freedom-of-movement-and-returnees",)


def test_lead_in_commitment_governs_its_items(cat, lex):
    text = (
        "The DPRK shall:\n(a) close every political prison camp;\n"
        "(b) invite the Special Rapporteur."
    )
    report = check_coverage(text, cat.benchmarks, lex)
    assert report.clauses[1].binds == ("dismantle-political-prison-camps",)
    assert report.clauses[2].binds == ("special-rapporteur-access",)


def test_summary_style_opening_verb_commits(cat, lex):
    clause = one("Release all political prisoners within a year.", cat, lex)
    assert clause.binds == ("release-political-prisoners",)


@pytest.mark.parametrize(
    "text",
    [
        "The DPRK shall allow IAEA monitoring of the shutdown and of fuel assistance.",
        "The two sides will hold Red Cross talks on detention of fishermen.",
        "The Parties agree to a moratorium on missile launches.",
        "The execution of this agreement shall start at once.",
    ],
)
def test_pitfalls_are_set_aside(text, cat, lex):
    clause = one(text, cat, lex)
    assert clause.binds == () and clause.mentions == ()
    assert clause.pitfalls


def test_war_remains_are_humanitarian_not_coverage(cat, lex):
    text = "The Parties commit to recovering POW/MIA remains."
    clause = one(text, cat, lex)
    assert clause.kind is ClauseKind.HUMANITARIAN
    assert clause.topics == ("war-remains",)
    assert clause.binds == () and clause.mentions == ()


def test_red_cross_reunions_bind_families_not_icrc(cat, lex):
    text = "The Red Cross societies will hold reunions of separated families."
    assert one(text, cat, lex).binds == ("separated-families",)


def test_general_human_rights_commitment_is_found_without_a_benchmark(cat, lex):
    clause = one("The Parties will respect human rights.", cat, lex)
    assert clause.kind is ClauseKind.HUMAN_RIGHTS
    assert clause.evidence == ()


def test_report_totals_partition_the_benchmarks(cat, lex):
    text = AgreementText(
        "deal.txt",
        "1. The DPRK shall close every kwanliso.\n\n"
        "2. The Parties note reports of torture and of political prisoners.\n\n"
        "3. Both sides will return war remains.",
    )
    report = check_coverage(text, cat.benchmarks, lex)
    assert report.name == "deal.txt"
    assert report.bound == {"dismantle-political-prison-camps"}
    assert report.mentioned == {
        "detention-conditions-and-torture",
        "release-political-prisoners",
    }
    ids = [b.id for b in cat.benchmarks]
    assert set(report.omitted) | report.bound | report.mentioned == set(ids)
    assert list(report.omitted) == [b for b in ids if b in report.omitted]
    assert report.humanitarian == ("3",)
    assert report.clauses[0].evidence[0].level is Level.BINDS


def test_a_benchmark_without_lexicon_entry_is_refused(cat, lex):
    smaller = replace(lex, benchmarks=lex.benchmarks[1:])
    with pytest.raises(InputError) as info:
        check_coverage("text", cat.benchmarks, smaller)
    assert info.value.location[0] == "matching.yaml"
    assert cat.benchmarks[0].id in str(info.value)


def test_term_syntax():
    term = Term.parse("ICRC | Red Cross & detention | detain*")
    assert term.groups == (("ICRC", "Red Cross"), ("detention", "detain*"))
    assert str(term) == "ICRC | Red Cross & detention | detain*"
    with pytest.raises(ValueError, match="empty"):
        Term.parse("a | ")
    with pytest.raises(ValueError, match="word"):
        Term.parse("camp(s)")


def test_wildcards_and_hyphens(cat, lex):
    text = "The DPRK shall end forced-labour and close the political-prison camps."
    clause = one(text, cat, lex)
    assert set(clause.binds) == {
        "end-forced-labour",
        "dismantle-political-prison-camps",
    }
