"""The public pages: benchmark, facilities, estimates and sanctions readiness.

Each renders for every role, has a JSON twin, answers 404 for an unknown id, and
shows a viewer nothing of a non-public source; small counts are masked for all
but investigators; data strings come out escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from importlib import resources
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rightsledger.chain import run_assess, run_estimate, run_link
from rightsledger.demo import store_scenario, yearly_populations
from rightsledger.domain import EstimateResult, Role
from rightsledger.ledger import Ledger
from rightsledger.report.map import MAP_CSS
from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.web.i18n import untranslated
from rightsledger.web.routes import benchmarks, estimates, facilities, sanctions

from . import public_data as pd
from .conftest import csrf_of

ROUTERS = (benchmarks, estimates, facilities, sanctions)
PAGES = (
    f"/benchmarks/{pd.BENCHMARK}",
    "/facilities",
    f"/facilities/{pd.FACILITY}",
    "/estimates",
    "/sanctions",
)
Clients = Callable[[Role], TestClient]


@pytest.fixture
def app(app: FastAPI, web_ledger: Ledger) -> FastAPI:
    """The web app over a small assessed ledger (see public_data)."""
    pd.seed(web_ledger)
    return app


def get_json(client: TestClient, path: str) -> dict[str, Any]:
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}format=json")
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def indicator_of(data: dict[str, Any], key: str = pd.INDICATOR) -> dict[str, Any]:
    return next(i for i in data["benchmark"]["indicators"] if i["key"] == key)


def by_population(client: TestClient) -> dict[str, dict[str, Any]]:
    return {e["population"]: e for e in get_json(client, "/estimates")["estimates"]}


def test_every_page_renders_for_every_role(client_as: Clients) -> None:
    for role in Role:
        client = client_as(role)
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.text[-800:])
            assert response.headers["content-type"].startswith("text/html")
            assert "/static/public.css" in response.text
            assert "<style>" not in response.text  # the CSP forbids inline styles
            assert get_json(client, path)
    viewer = client_as(Role.VIEWER)
    for path in (
        "/benchmarks/no-such-benchmark",
        "/facilities/no-such-facility",
        f"/facilities/{pd.BUSY_FACILITY}?page=3",
        f"/benchmarks/{pd.BENCHMARK}?indicator=no/such",
    ):
        assert viewer.get(path).status_code == 404, path
        sep = "&" if "?" in path else "?"
        body = viewer.get(f"{path}{sep}format=json").json()
        assert body["ok"] is False and body["status"] == 404
    assert viewer.get(f"/facilities/{pd.FACILITY}?page=0").status_code == 422


def test_benchmark_page_shows_indicators_trail_chart_and_plan(
    client_as: Clients,
) -> None:
    client = client_as(Role.ANALYST)
    data = get_json(client, f"/benchmarks/{pd.BENCHMARK}")
    b = data["benchmark"]
    assert b["id"] == pd.BENCHMARK and b["status"] == "partial" and b["standard"]
    assert b["demanded_by"] and b["statement"] and b["plan"]["indicators"]
    assert [c["date"] for c in b["trend"]] == [d.isoformat() for d in pd.DATES]
    ind = indicator_of(data)
    assert ind["target"] and ind["rule"]["min_independent"] == 2
    assert ind["rule"]["source_kinds"] == ["imagery-analysis"]
    assert len(ind["evidence"]) == benchmarks.TRAIL_SHOWN
    assert ind["evidence_total"] == pd.BUSY_COUNT + 2
    assert (ind["supporting"], ind["contradicting"]) == (2, pd.BUSY_COUNT)
    html = client.get(f"/benchmarks/{pd.BENCHMARK}").text
    assert html.count("data:image/svg+xml;base64,") == 1  # the timeline chart
    assert "Verification plan" in html and "Evidence trail" in html
    # the whole trail of one indicator, 50 a page
    base = f"/benchmarks/{pd.BENCHMARK}?indicator={pd.INDICATOR}"
    first = indicator_of(get_json(client, base))
    assert first["trail_page"] == {"page": 1, "pages": 2, "per_page": 50}
    rest = indicator_of(get_json(client, f"{base}&page=2"))
    assert len(first["evidence"]) + len(rest["evidence"]) == ind["evidence_total"]
    ids = {e["id"] for e in first["evidence"]} | {e["id"] for e in rest["evidence"]}
    assert len(ids) == ind["evidence_total"]
    assert 'rel="next"' in client.get(base).text


def test_a_viewer_sees_no_non_public_source(client_as: Clients) -> None:
    viewer = client_as(Role.VIEWER)
    for path in PAGES:
        for text in (viewer.get(path).text, viewer.get(f"{path}?format=json").text):
            assert pd.SECRET_SOURCE not in text, path
            assert pd.SECRET_SUMMARY not in text, path
    seen = indicator_of(get_json(viewer, f"/benchmarks/{pd.BENCHMARK}"))
    assert seen["withheld"] == "<5"
    assert seen["evidence_total"] == pd.BUSY_COUNT + 1
    assert all(not e["missing"] for e in seen["evidence"])
    viewer_counts = {
        f["id"]: f["observations"]
        for f in get_json(viewer, "/facilities")["facilities"]
    }
    assert viewer_counts[pd.FACILITY] == 1
    analyst = client_as(Role.ANALYST)
    assert pd.SECRET_SUMMARY in analyst.get(f"/facilities/{pd.FACILITY}").text
    counts = {
        f["id"]: f["observations"]
        for f in get_json(analyst, "/facilities")["facilities"]
    }
    assert counts[pd.FACILITY] == 2
    # viewers get no free text of observations, as on the public scorecard
    assert "onerror=alert(1)" not in viewer.get(f"/facilities/{pd.FACILITY}").text
    # data strings come out escaped
    for path in (f"/benchmarks/{pd.BENCHMARK}", f"/facilities/{pd.FACILITY}"):
        html = analyst.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_facilities_map_table_history_and_observation_pages(
    client_as: Clients,
) -> None:
    client = client_as(Role.VIEWER)
    html = client.get("/facilities").text
    assert html.count('class="rl-map"') == 1
    data = get_json(client, "/facilities")
    ids = [f["id"] for f in data["facilities"]]
    assert pd.FACILITY in ids and len(ids) == len(set(ids))
    assert data["unplaced"] and set(data["unplaced"]) < set(ids)
    for f in data["facilities"]:
        assert f["state"] in {"operating", "closed", "contested", "unknown"}
        assert f'id="row-{f["id"]}"' in html
    first = get_json(client, f"/facilities/{pd.BUSY_FACILITY}")
    obs = first["observations"]
    assert (obs["total"], obs["pages"], len(obs["items"])) == (pd.BUSY_COUNT, 2, 50)
    dates = [o["date"] for o in obs["items"]]
    assert dates == sorted(dates, reverse=True)
    second = get_json(client, f"/facilities/{pd.BUSY_FACILITY}?page=2")
    assert len(second["observations"]["items"]) == pd.BUSY_COUNT - 50
    assert second["observations"]["items"][0]["date"] < dates[-1]
    history = first["facility"]["history"]
    assert history and all(h["sources"] and h["verification"] for h in history)
    assert [h["date"] for h in history] == sorted(
        (h["date"] for h in history), reverse=True
    )
    page = client.get(f"/facilities/{pd.BUSY_FACILITY}").text
    assert 'rel="next"' in page and 'class="rl-map"' in page


def test_estimates_mask_small_counts_explain_and_plot(
    client_as: Clients, web_ledger: Ledger
) -> None:
    for role in (Role.VIEWER, Role.ANALYST, Role.ADMIN):
        rows = by_population(client_as(role))
        small = rows[pd.SMALL_POPULATION]
        assert small["observed"] == "<5" and small["observed_suppressed"]
        assert not any("3 were seen" in line for line in small["summary"])
        assert not small["has_posterior"]
        assert rows[pd.BIG_POPULATION]["observed"] == "812"
    rows = by_population(client_as(Role.INVESTIGATOR))
    assert rows[pd.SMALL_POPULATION]["observed"] == "3"
    assert "3 were seen" in rows[pd.SMALL_POPULATION]["summary"][0]
    assert rows[pd.BIG_POPULATION]["lists"] == [pd.PUBLIC_SOURCE, pd.SECRET_SOURCE]
    viewer = client_as(Role.VIEWER)
    big = by_population(viewer)[pd.BIG_POPULATION]
    assert big["lists"] == [pd.PUBLIC_SOURCE] and big["lists_withheld"] == 1
    assert big["interval_kind"] == "credible" and big["has_posterior"]
    assert big["warnings"] == ["chains mixed slowly"]
    assert {"name": "rhat", "value": "1.01"} in big["diagnostics"]
    assert any("credible interval" in line for line in big["summary"])
    assert any("assumptions" in line for line in big["summary"])
    # the intervals chart and the one posterior
    assert viewer.get("/estimates").text.count("data:image/svg+xml;base64,") == 2
    unbounded = EstimateResult(
        population="open-ended",
        method="loglinear",
        estimate=400.0,
        lower=250.0,
        upper=float("inf"),
        observed=120,
        lists=(pd.PUBLIC_SOURCE,),
        as_of=date(2026, 6, 30),
    )
    web_ledger.record_run("estimate", {}, {"n": 2}, estimates=[unbounded])
    (row,) = get_json(viewer, "/estimates")["estimates"]
    assert row["upper"] is None and row["unbounded"]
    assert "unbounded" in viewer.get("/estimates").text


def test_estimate_summaries_follow_the_reader_language(client_as: Clients) -> None:
    viewer = client_as(Role.VIEWER)
    english = by_population(viewer)
    viewer.post(
        "/language", data={"lang": "ko", "csrf_token": csrf_of(viewer), "next": "/"}
    )
    korean = by_population(viewer)
    big, big_en = korean[pd.BIG_POPULATION], english[pd.BIG_POPULATION]
    assert len(big["summary"]) == len(big_en["summary"])
    assert big["summary"][0].startswith("모두 약") and "신용구간" in big["summary"][1]
    # the masked first sentence is masked in Korean too
    small = korean[pd.SMALL_POPULATION]["summary"][0]
    assert "5명 미만" in small and "3명" not in small
    assert "이 추정은 다음 가정에 기대고 있다" in viewer.get("/estimates").text
    # the English reader's cached page is not the Korean one
    assert (
        by_population(client_as(Role.ANALYST))[pd.BIG_POPULATION]["summary"]
        == (big_en["summary"])
    )


def test_sanctions_readiness_and_the_korean_pages(
    client_as: Clients, web_ledger: Ledger
) -> None:
    client = client_as(Role.VIEWER)
    data = get_json(client, "/sanctions")
    conditions = [c for g in data["effects"] for c in g["conditions"]]
    catalogue = web_ledger.catalogue()
    assert {c["id"] for c in conditions} == {c.id for c in catalogue.conditions}
    tied = [c for c in conditions if c["benchmarks"]]
    assert tied and all(c["readiness"] in {"met", "not-met"} for c in tied)
    for c in tied:
        assert c["reason"]
        for b in c["benchmarks"]:
            assert b["title"] and (b["met"] or b["shortfall"])
    untied = [c for c in conditions if not c["benchmarks"]]
    assert all(c["readiness"] == "outside-catalogue" for c in untied)
    client.post(
        "/language", data={"lang": "ko", "csrf_token": csrf_of(client), "next": "/"}
    )
    title_ko = catalogue.benchmark(pd.BENCHMARK).title_ko
    html = client.get(f"/benchmarks/{pd.BENCHMARK}").text
    assert '<html lang="ko">' in html
    assert f'<h1><span lang="ko">{title_ko}</span></h1>' in html
    assert "검증 계획" in html  # "Verification plan"
    assert title_ko in client.get("/sanctions").text
    for path in PAGES[1:]:
        assert client.get(path).status_code == 200


def _marked(text: str) -> set[str]:
    return {m.group(2) for m in re.finditer(r"_\(\s*(['\"])(.+?)\1", text)}


def test_every_marked_string_has_a_korean_translation() -> None:
    web = resources.files("rightsledger.web")
    marked: set[str] = set()
    for name in (
        "benchmark",
        "benchmark_evidence",
        "facilities",
        "facility",
        "estimates",
        "sanctions",
    ):
        marked |= _marked(web.joinpath("templates", f"{name}.html.j2").read_text())
    for module in ROUTERS:
        marked |= _marked(
            resources.files(module.__package__ or "")
            .joinpath(f"{module.__name__.rsplit('.', 1)[1]}.py")
            .read_text()
        )
    assert "Verification plan" in marked and "Sanctions readiness" in marked
    assert untranslated("ko", marked) == []


def test_public_css_carries_the_map_styles() -> None:
    css = (
        resources.files("rightsledger.web")
        .joinpath("static", "public.css")
        .read_text(encoding="utf-8")
    )
    for rule in MAP_CSS.replace("}", "}\n").splitlines():
        assert rule in css


@pytest.mark.slow
def test_pages_over_a_real_chain(web_ledger: Ledger, client_as: Clients) -> None:
    """The pages also render what link -> estimate -> assess stores."""
    config = replace(
        ScenarioConfig(),
        years=1,
        initial_population=dict.fromkeys(ScenarioConfig().facilities, 60),
    )
    store_scenario(web_ledger, simulate(config, 11))
    run_link(web_ledger)
    run_estimate(web_ledger, yearly_populations(config))
    run_assess(web_ledger, [date(2026, 11, 27), date(2027, 12, 31)])
    client = client_as(Role.ANALYST)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    rows = get_json(client, "/estimates")["estimates"]
    assert rows and all(r["summary"] and r["simulated"] for r in rows)
    html = client.get(f"/benchmarks/{pd.BENCHMARK}").text
    assert "Real and simulated data are mixed on this page." in html
