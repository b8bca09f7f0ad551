"""The Spark backend (local mode) gives DuckDB's clusters on a small set.

Slow: a local Spark session starts a JVM (~25 s) and Splink's SQL on Spark has
a large fixed cost per query, so the set is small and the model is trained once
(on DuckDB) and only scoring and clustering run on Spark.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from rightsledger.linkage.probabilistic import LinkageConfig, ProbabilisticLinker
from rightsledger.simulate import ScenarioConfig, simulate

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")
def test_spark_gives_the_same_clusters_as_duckdb():
    scenario = simulate(ScenarioConfig(years=1, initial_population={}), seed=3)
    config = LinkageConfig(seed=1, max_pairs=1e5)
    trained = ProbabilisticLinker(config).run(scenario.records)
    sample = scenario.records[::8]
    duck = ProbabilisticLinker(config, model=trained.model).run(sample)
    spark = ProbabilisticLinker(replace(config, backend="spark"), model=trained.model)
    got = spark.run(sample)
    assert len(duck.pairs) > 10
    assert got.pairs.left == duck.pairs.left
    assert got.clustering.assignment == duck.clustering.assignment
