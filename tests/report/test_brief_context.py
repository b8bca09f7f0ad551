"""The brief and the public scorecard from a hand-built scorecard (no database)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest

from rightsledger.domain import (
    Agreement,
    Clause,
    Confidentiality,
    Credibility,
    EstimateResult,
    Observation,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.report.brief import render_brief_html, render_public_html
from rightsledger.report.brief_context import brief_context, coverage_entry
from rightsledger.report.brief_public import public_evidence, public_scorecard
from rightsledger.report.brief_text import LANGUAGES, labels

from .conftest import MALICIOUS, REAL_DAY, Sample, sample_context

SECRET_SOURCE = "witness-kim-7"


def _with_secrets(sample: Sample) -> Sample:
    """Add a restricted testimony behind ``release-prisoners``, a hostile source
    title, an agreement and a small estimate."""
    sources = dict(sample.sources)
    sources[SECRET_SOURCE] = Source(
        SECRET_SOURCE,
        SourceKind.TESTIMONY,
        "Interview with a former prisoner",
        "Witness owner",
        Reliability.C,
        date(2024, 3, 1),
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    sources["ngo"] = dataclasses.replace(sources["ngo"], title=f"NGO {MALICIOUS}")
    secret = Observation(
        SECRET_SOURCE,
        "release-prisoners/released",
        date(2024, 3, 1),
        Stance.SUPPORTS,
        Credibility.POSSIBLY_TRUE,
        "He saw 3 men released.",
    )
    observations = {**sample.observations, secret.id: secret}
    timeline = {
        on: [
            dataclasses.replace(
                a,
                indicators=tuple(
                    dataclasses.replace(
                        i, observation_ids=(*i.observation_ids, secret.id)
                    )
                    for i in a.indicators
                ),
            )
            if a.benchmark_id == "release-prisoners"
            else a
            for a in items
        ]
        for on, items in sample.timeline.items()
    }
    deal = Agreement(
        "deal-2027",
        "Hypothetical deal",
        date(2027, 6, 12),
        ("US", "DPRK"),
        True,
        "V",
        (),
        (Clause("d-1", "Close the camps.", ("close-camps",)),),
    )
    catalogue = dataclasses.replace(sample.catalogue, agreements=(deal,))
    small = EstimateResult(
        "camp-25", "loglinear", 40.2, 31.0, 70.9, 3, ("a", "b"), as_of=REAL_DAY
    )
    return dataclasses.replace(
        sample,
        catalogue=catalogue,
        sources=sources,
        observations=observations,
        timeline=timeline,
        estimates=[*sample.estimates, small],
        ids={**sample.ids, "secret": secret.id},
    )


@pytest.fixture
def secret_sample(sample: Sample) -> Sample:
    return _with_secrets(sample)


def _brief(sample: Sample, lang: str = "en", charts: bool = False) -> dict[str, Any]:
    return brief_context(
        sample_context(sample),
        sample.catalogue,
        sample.sources,
        lang=lang,
        charts=charts,
    )


def _public(sample: Sample, lang: str = "en") -> dict[str, Any]:
    sources, observations = public_evidence(
        sample.sources, sample.observations.values()
    )
    public = dataclasses.replace(sample, sources=sources, observations=observations)
    ctx = public_scorecard(sample_context(public), threshold=5)
    return brief_context(
        ctx, sample.catalogue, sources, lang=lang, kind="public", charts=False
    )


def test_brief_has_every_section(secret_sample: Sample) -> None:
    ctx = _brief(secret_sample, charts=True)
    html = render_brief_html(ctx)
    for anchor in ("summary", "benchmarks", "coverage", "sanctions", "estimates"):
        assert f'id="{anchor}"' in html
    assert 'id="sources"' in html
    assert "2028-01-02" in html  # generated
    assert "Status as of" in html and "2027-12-31" in html
    assert html.count('<img class="chart" src="data:image/svg+xml;base64,') == 4
    assert "of 3 benchmarks" in ctx["summary_text"]
    assert "Verification plan" in html


def test_every_status_cites_its_sources(secret_sample: Sample) -> None:
    ctx = _brief(secret_sample)
    listed = {c["id"]: c["n"] for c in ctx["citations"]}
    for b in ctx["benchmarks"]:
        if b["status"] is None:
            continue
        assert b["cited"], b["id"]
        for c in b["cited"]:
            assert listed[c["id"]] == c["n"]
    camps = next(b for b in ctx["benchmarks"] if b["id"] == "close-camps")
    assert {c["id"] for c in camps["cited"]} == {"coi", "nk-kcna", "imagery"}
    html = render_brief_html(ctx)
    for c in ctx["citations"]:
        assert f'<li id="src-{c["n"]}"><code>{c["id"]}</code>' in html
    assert f'href="#src-{listed["imagery"]}">[{listed["imagery"]}]' in html


def test_brief_flags_non_public_sources(secret_sample: Sample, sample: Sample) -> None:
    assert _brief(secret_sample)["cites_non_public"]
    assert "Do not publish it" in render_brief_html(_brief(secret_sample))
    assert not _brief(sample)["cites_non_public"]


def test_user_text_is_escaped(secret_sample: Sample) -> None:
    for html in (
        render_brief_html(_brief(secret_sample)),
        render_public_html(_public(secret_sample)),
    ):
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html


def test_public_scorecard_hides_what_a_viewer_may_not_see(
    secret_sample: Sample,
) -> None:
    ctx = _public(secret_sample)
    html = render_public_html(ctx)
    dumped = json.dumps(ctx, ensure_ascii=False)
    secret_id = secret_sample.ids["secret"]
    for text in (dumped, html):
        assert SECRET_SOURCE not in text
        assert secret_id[:12] not in text
        assert "He saw 3 men" not in text
        assert "/tmp/ledger.db" not in text
        assert "Camps closed, says KCNA." not in text  # no observation text
    released = next(b for b in ctx["benchmarks"] if b["id"] == "release-prisoners")
    assert released["indicators"][0]["withheld"] == "<5"
    assert all(not i["reason"] for b in ctx["benchmarks"] for i in b["indicators"])
    assert not ctx["cites_non_public"]
    assert "Built only from what a public reader may see" in html


def test_public_scorecard_suppresses_small_counts_and_rounds(
    secret_sample: Sample,
) -> None:
    ctx = _public(secret_sample)
    small = next(e for e in ctx["estimates"] if e["population"] == "camp-25")
    assert small["observed"] == "<5"
    first = ctx["estimates"][0]
    assert (first["estimate"], first["lower"], first["upper"]) == (
        80100,
        65000,
        121000,
    )
    html = render_public_html(ctx)
    assert '<td class="num">&lt;5</td>' in html
    assert '<td class="num">3</td>' not in html


def test_coverage_counts_covered_and_missed(secret_sample: Sample) -> None:
    cov = coverage_entry(secret_sample.catalogue, secret_sample.catalogue.agreements)
    (deal,) = cov["agreements"]
    assert deal["covered"] == ["close-camps"]
    assert deal["missed"] == ["release-prisoners", "admit-rapporteur"]
    assert cov["covered_by_none"] == ["release-prisoners", "admit-rapporteur"]
    assert "leave 2 of the 3 benchmarks" in _brief(secret_sample)["summary_text"]


def test_korean_brief_uses_korean_titles_and_headings(sample: Sample) -> None:
    ctx = _brief(sample, lang="ko")
    titles = {b["id"]: b["display_title"] for b in ctx["benchmarks"]}
    assert titles["close-camps"] == "정치범수용소 폐쇄"
    assert titles["admit-rapporteur"] == "Admit the Special Rapporteur"  # no title_ko
    html = render_brief_html(ctx)
    assert '<html lang="ko">' in html
    assert "요약" in html and "출처" in html and "협상 브리핑" in html
    assert "기준 가운데" in ctx["summary_text"]


def test_both_languages_have_every_label() -> None:
    keys = [set(labels(lang)) for lang in LANGUAGES]
    assert all(k == keys[0] for k in keys)
    with pytest.raises(ValueError, match="unknown language"):
        labels("fr")


def test_context_is_json_serialisable(secret_sample: Sample) -> None:
    json.dumps(_brief(secret_sample, charts=True))
