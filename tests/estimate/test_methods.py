"""The registry: every method under one name, failures named, spread never hidden."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

import rightsledger.estimate as est
from rightsledger.errors import EstimationError, EstimationWarning
from rightsledger.estimate import (
    METHODS,
    CaptureTable,
    Chapman,
    EstimateFit,
    available_methods,
    compare_methods,
    fit_method,
    plain_summary,
    spread_summary,
)
from rightsledger.estimate.methods import Method, _class_method
from rightsledger.estimate.wording import LANGUAGES

DATA = Path(__file__).parent / "data"
REQUIRED = {
    "chapman",
    "loglinear",
    "stepwise",
    "lcmcr",
    "dga",
    "chao",
    "mth-chao",
    "mth-darroch",
    "mth-poisson",
}
# short Bayesian runs: the registry test checks plumbing, not convergence
QUICK = {"lcmcr": {"burnin": 300, "samples": 300, "thinning": 1, "chains": 2}}


def load(name: str) -> CaptureTable:
    return CaptureTable.from_csv_text((DATA / f"{name}.csv").read_text(), source=name)


@pytest.fixture(scope="module")
def spina() -> CaptureTable:
    return load("ny_spina_bifida_madigan_york")


def test_registry_names_and_descriptions():
    assert set(METHODS) >= REQUIRED
    for entry in METHODS.values():
        assert len(entry.description) > 20
    assert available_methods()["chapman"] and available_methods()["loglinear"]


def test_fit_method_records_registry_name_and_estimator(spina):
    fit = fit_method("Chapman", spina, seed=3)
    direct = Chapman(spina).fit()
    assert fit.estimate == direct.estimate and fit.lower == direct.lower
    assert fit.method == "chapman"
    assert fit.settings["estimator"] == "chapman" and fit.settings["seed"] == 3


def test_confidence_is_passed_on(spina):
    narrow = fit_method("chapman", spina, confidence=0.5)
    wide = fit_method("chapman", spina)
    assert wide.lower < narrow.lower < narrow.upper < wide.upper
    with pytest.raises(EstimationError, match="confidence"):
        fit_method("chapman", spina, confidence=1.5)


def test_unknown_method_and_setting_are_named(spina):
    with pytest.raises(EstimationError, match="unknown method 'magic'.*chapman"):
        fit_method("magic", spina)
    with pytest.raises(EstimationError, match="does not take the setting K=5"):
        fit_method("chapman", spina, K=5)


def test_a_missing_module_makes_the_method_unavailable(spina, monkeypatch):
    fake = Method(
        "not written yet", _class_method("nowhere", "Nope", "ghost"), "nowhere"
    )
    monkeypatch.setitem(METHODS, "ghost", fake)
    with pytest.raises(EstimationError, match="method ghost is not available"):
        fit_method("ghost", spina)
    assert available_methods()["ghost"] is False


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_method_fits_a_real_table_or_says_it_is_unavailable(spina, name):
    opts = QUICK.get(name, {})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EstimationWarning)  # short chains
            fit = fit_method(name, spina, seed=11, **opts)
            again = fit_method(name, spina, seed=11, **opts)
    except EstimationError as e:
        assert "not available" in str(e)
        return
    assert fit.method == name
    assert fit.lower <= fit.estimate <= fit.upper
    assert fit.n_observed == 626 and fit.lists == spina.lists
    assert (again.estimate, again.lower, again.upper) == (
        fit.estimate,
        fit.lower,
        fit.upper,
    )


def test_loglinear_is_the_bic_search_when_present(spina):
    fit = fit_method("loglinear", spina)
    if available_methods()["loglinear"] and "candidates" not in fit.diagnostics:
        # Rcapture closedpMS.t, maxorder 2, BIC-best [23,1]: 731 [700, 766]
        assert fit.estimate == pytest.approx(731, abs=1)
        assert fit.lower == pytest.approx(700, rel=0.005)
        assert fit.upper == pytest.approx(766, rel=0.005)
    else:  # fallback: LogLinear, independence or all pairs by BIC
        bics = [c["bic"] for c in fit.diagnostics["candidates"]]
        assert fit.diagnostics["bic"] == min(bics)


def test_compare_keeps_every_result_in_place(spina, monkeypatch):
    fake = Method("never", _class_method("nowhere", "Nope", "ghost"), "nowhere")
    monkeypatch.setitem(METHODS, "ghost", fake)
    results = compare_methods(spina, ["chapman", "ghost", "loglinear"], seed=1)
    assert isinstance(results[0], EstimateFit)
    assert isinstance(results[1], EstimationError)
    assert isinstance(results[2], EstimateFit)
    text = spread_summary(results)
    assert "range from" in text and "1 method(s) gave no result" in text


def test_plain_summary_names_interval_kind_and_assumptions(spina):
    fit = fit_method("chapman", spina)
    text = plain_summary(fit)
    assert "confidence interval" in text and "credible" not in text
    for words in ("closed population", "independent", "matched correctly"):
        assert words in text
    bayes = replace(fit, method="lcmcr")
    assert "credible interval" in plain_summary(bayes)
    assert "hidden groups" in plain_summary(bayes)
    floor = replace(fit, method="chao")
    assert plain_summary(floor).startswith("At least")


def test_korean_summary_says_the_same_in_korean(spina):
    fit = fit_method("chapman", spina)
    english, korean = (
        plain_summary(fit).split("\n"),
        plain_summary(fit, "ko").split("\n"),
    )
    assert len(korean) == len(english)  # sentence for sentence
    assert korean[0].startswith("모두 약 731명") and "626명" in korean[0]
    assert "95% 신뢰구간" in korean[1] and "신용구간" not in korean[1]
    assert not any(re.search("[A-Za-z]{4,}", line) for line in korean)
    assert "95% 신용구간" in plain_summary(replace(fit, method="lcmcr"), "ko")
    assert plain_summary(replace(fit, method="chao"), "ko").startswith("적어도 약")
    warned = replace(fit, diagnostics={**fit.diagnostics, "warnings": ["odd"]})
    assert plain_summary(warned, "ko").endswith("주의: odd")
    # a language we do not have falls back to English
    assert plain_summary(fit, "xx") == plain_summary(fit)
    spread = spread_summary([fit, replace(fit, estimate=900.0, method="x")], "ko")
    assert spread.startswith("방법에 따라 731(chapman)에서 900(x)까지, 1.2배")


def test_every_method_has_its_assumptions_in_every_language():
    for lang, words in LANGUAGES.items():
        assert set(words.assume) == set(LANGUAGES["en"].assume), lang
        for method, sentences in words.assume.items():
            assert len(sentences) == len(LANGUAGES["en"].assume[method]), (lang, method)
    english, korean = LANGUAGES["en"], LANGUAGES["ko"]
    for field in (
        "head_total",
        "head_lower_bound",
        "head_suppressed",
        "credible",
        "confidence",
        "spread",
        "spread_failed",
        "caution",
    ):
        placeholders = set(re.findall(r"{(\w+)}", getattr(english, field)))
        assert set(re.findall(r"{(\w+)}", getattr(korean, field))) == placeholders


def test_package_exports_resolve_lazily():
    assert "LCMCR" in est.__all__ and "fit_method" in est.__all__
    assert est.plot_estimate.__name__ == "plot_estimate"
    with pytest.raises(AttributeError):
        est.NoSuchThing  # noqa: B018
