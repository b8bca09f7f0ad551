"""The Splink linker on a small synthetic scenario (trained once per module)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from rightsledger.linkage import LinkageBackend
from rightsledger.linkage.cluster import Decision
from rightsledger.linkage.evaluate import bcubed_scores, pairwise_scores
from rightsledger.linkage.features import name_features
from rightsledger.linkage.probabilistic import (
    LinkageConfig,
    ProbabilisticLinker,
    link_incremental,
)
from rightsledger.linkage.result import LinkModel
from rightsledger.linkage.review import (
    alternative_clusterings,
    decisions_as_labels,
    review_queue,
)
from rightsledger.simulate import ScenarioConfig, simulate

CONFIG = LinkageConfig(seed=7, max_pairs=3e5)


@pytest.fixture(scope="module")
def scenario():
    return simulate(ScenarioConfig(years=2, initial_population={}), seed=5)


@pytest.fixture(scope="module")
def result(scenario):
    return ProbabilisticLinker(CONFIG).run(scenario.records)


def test_links_the_scenario_well(scenario, result):
    truth = scenario.truth.person_of
    _, _, f1 = pairwise_scores(result.clustering, truth)
    _, _, cluster_f1 = bcubed_scores(result.clustering, truth)
    assert f1 >= 0.95 and cluster_f1 >= 0.97
    assert isinstance(ProbabilisticLinker(CONFIG), LinkageBackend)


def test_every_link_is_explained(result):
    pair = next(iter(result.pairs))
    assert set(pair.weights) == {
        "name", "birth_year", "sex", "place", "facility", "year_arrested"
    }  # fmt: skip
    prior = result.model.prior
    import math

    total = sum(pair.weights.values()) + math.log2(prior / (1 - prior))
    assert total == pytest.approx(pair.match_weight, abs=1e-2)


def test_parameters_are_stored_and_hold_no_name(scenario, result):
    params = result.clustering.parameters
    text = json.dumps(params)
    assert params["seed"] == 7 and params["threshold"] == 0.9
    model = LinkModel.from_json(params["model"])
    assert model == result.model
    for record in scenario.records:
        fam, giv, key, *_ = name_features(record.full_name)
        assert record.full_name not in text
        assert f'"{key}"' not in text and f'"{giv}"' not in text


def test_same_seed_same_clusters(scenario, result):
    again = ProbabilisticLinker(CONFIG).run(scenario.records)
    assert again.clustering.assignment == result.clustering.assignment
    assert again.model.levels == result.model.levels


def test_decisions_are_respected(scenario, result):
    linked = [p for p in result.pairs if p.probability >= CONFIG.threshold]
    apart = next(
        (a.record_id, b.record_id)
        for a in scenario.records
        for b in scenario.records
        if a.source_id != b.source_id
        and result.clustering.assignment[a.record_id]
        != result.clustering.assignment[b.record_id]
    )
    decisions = [
        Decision(linked[0].left, linked[0].right, accept=False),
        Decision(*apart, accept=True),
    ]
    fixed = ProbabilisticLinker(CONFIG, model=result.model).run(
        scenario.records, decisions=decisions
    )
    got = fixed.clustering.assignment
    assert got[linked[0].left] != got[linked[0].right]
    assert got[apart[0]] == got[apart[1]]
    assert decisions_as_labels(decisions)[0][2] in (True, False)


def test_incremental_equals_batch(scenario):
    records = scenario.records
    cut = len(records) * 3 // 4
    old, new = records[:cut], records[cut:]
    previous = ProbabilisticLinker(CONFIG).run(old)
    step = link_incremental(previous, old, new, config=CONFIG)
    batch = ProbabilisticLinker(CONFIG, model=previous.model).run(records)
    assert step.clustering.assignment == batch.clustering.assignment
    assert step.pairs.left == batch.pairs.left
    assert list(step.pairs.match_weight) == list(batch.pairs.match_weight)


def test_review_queue_and_alternatives(scenario, result):
    queue = review_queue(result)
    low, high = CONFIG.review_band
    assert all(low <= p.probability < high for p in queue)
    decided = [Decision(p.left, p.right, True) for p in queue[:3]]
    assert len(review_queue(result, decisions=decided)) == len(queue) - len(decided)
    alts = alternative_clusterings(result, scenario.records, samples=2, seed=1)
    assert len(alts) == 7
    persons = [alts[k].n_persons for k in alts if k.startswith("threshold")]
    assert persons == sorted(persons)  # a higher threshold never links more
    again = alternative_clusterings(result, scenario.records, samples=2, seed=1)
    assert again["sample 2"].assignment == alts["sample 2"].assignment


def test_labels_train_m(scenario, result):
    truth = scenario.truth.person_of
    matches = [
        (p.left, p.right) for p in result.pairs if truth[p.left] == truth[p.right]
    ]
    decisions = [Decision(a, b, True) for a, b in matches[:40]]
    cfg = replace(CONFIG, min_labels=20)
    labelled = ProbabilisticLinker(cfg).run(scenario.records, decisions=decisions)
    assert labelled.model.labels == 40
    _, _, f1 = bcubed_scores(labelled.clustering, truth)
    assert f1 >= 0.95


def test_import_does_not_load_splink():
    code = (
        "import sys, rightsledger, rightsledger.linkage;"
        "import rightsledger.linkage.probabilistic, rightsledger.cli;"
        "heavy = ('splink', 'duckdb', 'pandas', 'pyspark');"
        "print(any(m.split('.')[0] in heavy for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
