"""The only module that imports Splink (4.x), pandas and the SQL engines.

Two steps, both on a feature table (column name -> values):

* :func:`train_model`: the prior from a near-certain deterministic rule, u
  probabilities from random pairs (seeded), m probabilities by EM on the spec's
  training blocks (on a seeded sample when the data is large), or from labelled
  matches when enough are given. Returns a :class:`LinkModel`.
* :func:`score_pairs`: Splink's prediction with every parameter fixed from a
  :class:`LinkModel` (term frequencies included), so that a pair's score depends
  on the two records and the model only: the basis of incremental linking.

DuckDB runs in process (default); ``backend="spark"`` runs the same SQL on a
local Spark session (or the one given), with Splink's similarity functions jar.
"""

from __future__ import annotations

import importlib
import logging
import math
import random
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .features import tf_hash
from .result import Level, LinkModel, ScoredPairs
from .spec import ModelSpec

__all__ = [
    "block_rule_sql",
    "count_compared",
    "feature_table",
    "score_pairs",
    "train_model",
]

Columns = Mapping[str, Sequence[object]]

_INT_COLUMNS = ("rep",)


def _quiet() -> None:
    for name in ("splink", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _array(pa: Any, name: str, values: Sequence[object]) -> Any:
    """One column: int64, float64 (also when all missing) or string."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds and (name in _INT_COLUMNS or kinds <= {int}):
        return pa.array(values, type=pa.int64())
    if kinds <= {float}:
        return pa.array(values, type=pa.float64())
    if kinds == {str}:
        return pa.array(values, type=pa.string())
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def feature_table(cols: Columns) -> Any:
    """An Arrow table (DuckDB reads it without a copy; missing values are null).

    Build it once and pass it as ``table`` to :func:`train_model` and
    :func:`score_pairs` (a second conversion costs seconds at a million rows).
    """
    pa = importlib.import_module("pyarrow")
    return pa.table({name: _array(pa, name, values) for name, values in cols.items()})


_SPARK: Any = None


def _spark_session() -> Any:
    global _SPARK  # noqa: PLW0603 - one local session per process, started lazily
    if _SPARK is None:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        _SPARK = (
            SparkSession.builder.master("local[2]")
            .appName("rightsledger-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.default.parallelism", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        _SPARK.sparkContext.setLogLevel("ERROR")
        _SPARK.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="rl-spark-"))
    return _SPARK


def _table(frame: Any, backend: str) -> Any:
    """The Arrow table as the backend takes it: Spark gets a typed DataFrame."""
    if backend != "spark":
        return frame
    from pyspark.sql import types as T

    kinds = {"int64": T.LongType(), "double": T.DoubleType()}
    schema = T.StructType(
        [
            T.StructField(f.name, kinds.get(str(f.type), T.StringType()), True)
            for f in frame.schema
        ]
    )
    columns = [frame.column(i).to_pylist() for i in range(frame.num_columns)]
    rows = list(zip(*columns, strict=True))
    return _spark_session().createDataFrame(rows, schema=schema)


def _db_api(backend: str) -> Any:
    _quiet()
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        api: Any = SparkAPI
        return api(spark_session=_spark_session(), break_lineage_method="persist")
    raise ValueError(f"unknown linkage backend: {backend!r} (duckdb or spark)")


def _linker(frame: Any, settings: Any, backend: str) -> Any:
    """A Splink linker on its own connection.

    Settings validation is off: it only logs warnings (which :func:`_quiet`
    silences) and, rebuilding every SQL condition through sqlglot, costs a
    few hundred milliseconds per linker. A bad column still fails loudly, in SQL.
    """
    from splink import Linker

    return Linker(
        _table(frame, backend),
        settings,
        db_api=_db_api(backend),
        set_up_basic_logging=False,
        validate_settings=False,
    )


def block_rule_sql(columns: Sequence[str]) -> str:
    """SQL of one blocking key: equal on every column, across lists or repeating."""
    equal = " AND ".join(f"l.{c} = r.{c}" for c in columns)
    return f"{equal} AND (l.src <> r.src OR l.rep = 1)"


def _settings(
    spec: ModelSpec,
    levels: Mapping[str, Sequence[Level]] | None,
    prior: float,
    blocks: Sequence[Sequence[str]],
) -> Any:
    from splink import SettingsCreator
    from splink import comparison_library as cl
    from splink.blocking_rule_library import CustomRule

    comparisons: list[Any] = []
    for name, creators in spec.comparisons():
        trained = list(levels.get(name, ())) if levels else []
        non_null = creators[1:]
        for creator, level in zip(non_null, trained, strict=False):
            options: dict[str, float] = {}
            if level.m is not None:
                options["m_probability"] = level.m
            if level.u is not None:
                options["u_probability"] = level.u
            creator.configure(**options)
        comparisons.append(cl.CustomComparison(creators, output_column_name=name))
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            CustomRule(block_rule_sql(b)) for b in blocks
        ],
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        em_convergence=0.001,
        max_iterations=20,
    )


#: m and u of a level never seen in training: equal, so it weighs nothing.
_UNSEEN = 1e-4
#: Least m probability: EM on clean data drives some m to 0 (a weight of -70
#: for one disagreement on sex); real lists have slips, so no level may veto.
_M_FLOOR = 1e-3


def _round(x: float | None) -> float | None:
    """Ten significant digits: parallel sums differ in the last bits between runs."""
    return None if x is None else float(f"{x:.10g}")


def _extract_levels(
    settings: Mapping[str, Any], *, fill: bool = False
) -> dict[str, tuple[Level, ...]]:
    out: dict[str, tuple[Level, ...]] = {}
    for comparison in settings["comparisons"]:
        levels = []
        for lv in comparison["comparison_levels"]:
            if lv.get("is_null_level", False):
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            if fill and (m is None or u is None):
                m = u = _UNSEEN
            elif fill and m is not None:
                m = max(m, _M_FLOOR)
            levels.append(Level(lv.get("label_for_charts", ""), _round(m), _round(u)))
        out[comparison["output_column_name"]] = tuple(levels)
    return out


def _sample(cols: Columns, size: int, seed: int) -> Columns:
    n = len(next(iter(cols.values())))
    if n <= size:
        return cols
    keep = sorted(random.Random(seed).sample(range(n), size))  # noqa: S311
    return {k: [v[i] for i in keep] for k, v in cols.items()}


def _tf_tables(cols: Columns, spec: ModelSpec) -> dict[str, dict[str, float]]:
    tables: dict[str, dict[str, float]] = {}
    for col in spec.tf_columns:
        counts = Counter(str(v) for v in cols[col] if v is not None)
        total = sum(counts.values())
        tables[col] = {tf_hash(v): c / total for v, c in counts.items()}
    return tables


def _label_frame(labels: Sequence[tuple[str, str]]) -> Any:
    rows = [(min(a, b), max(a, b)) for a, b in labels]
    return feature_table(
        {
            "unique_id_l": [a for a, _ in rows],
            "unique_id_r": [b for _, b in rows],
            "clerical_match_score": [1.0] * len(rows),
        }
    )


def train_model(
    cols: Columns,
    spec: ModelSpec,
    *,
    seed: int,
    backend: str = "duckdb",
    matches: Sequence[tuple[str, str]] = (),
    min_labels: int = 20,
    max_pairs: float = 2e6,
    sample_size: int = 100_000,
    table: Any = None,
) -> LinkModel:
    """Train a model on a feature table without labels (or with labelled matches).

    Args:
        cols: the feature table.
        spec: comparisons, blocks and training design.
        seed: seeds the u sample and the EM sample.
        backend: ``"duckdb"`` or ``"spark"``.
        matches: record-id pairs known to be matches; with ``min_labels`` or
            more, m probabilities come from them instead of EM.
        max_pairs: random pairs drawn to estimate u.
        sample_size: EM runs on a seeded sample of at most this many records.
        table: ``feature_table(cols)``, when the caller has it already.

    Returns:
        The trained model.
    """
    n = len(next(iter(cols.values())))
    frame = feature_table(cols) if table is None else table
    linker = _linker(frame, _settings(spec, None, 1e-4, spec.blocks), backend)
    linker.training.estimate_probability_two_random_records_match(
        [spec.prior_rule], recall=spec.prior_recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    if len(matches) >= min_labels:
        table = linker.table_management.register_labels_table(
            _table(_label_frame(matches), backend)
        )
        linker.training.estimate_m_from_pairwise_labels(table)
        trained = linker.misc.save_model_to_json()
    else:
        partial = linker.misc.save_model_to_json()
        em_linker: Any = linker
        if n > sample_size:
            em_cols = _sample(cols, sample_size, seed)
            em_settings = _settings(
                spec,
                _extract_levels(partial),
                partial["probability_two_random_records_match"],
                spec.blocks,
            )
            em_linker = _linker(feature_table(em_cols), em_settings, backend)
        for block in spec.training_blocks:
            rule = " AND ".join(f"l.{c} = r.{c}" for c in block)
            em_linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
        trained = em_linker.misc.save_model_to_json()
        trained["probability_two_random_records_match"] = partial[
            "probability_two_random_records_match"
        ]
    return LinkModel(
        spec=spec.name,
        prior=float(f"{trained['probability_two_random_records_match']:.10g}"),
        levels=_extract_levels(trained, fill=True),
        tf=_tf_tables(cols, spec),
        seed=seed,
        trained_on=n,
        labels=len(matches) if len(matches) >= min_labels else 0,
        splink_settings=trained,
    )


def _tf_lookup(cols: Columns, col: str, table: Mapping[str, float]) -> Any:
    values = sorted({str(v) for v in cols[col] if v is not None})
    known = [(v, table[h]) for v in values if (h := tf_hash(v)) in table]
    return feature_table(
        {col: [v for v, _ in known], f"tf_{col}": [f for _, f in known]}
    )


def score_pairs(
    cols: Columns,
    spec: ModelSpec,
    model: LinkModel,
    *,
    floor_probability: float,
    backend: str = "duckdb",
    table: Any = None,
) -> ScoredPairs:
    """Score every blocked pair with a fixed model; keep those at or above a floor.

    Args:
        cols: the feature table.
        spec: the spec the model was trained with.
        model: the model; nothing is re-estimated.
        floor_probability: pairs below this match probability are dropped.
        backend: ``"duckdb"`` or ``"spark"``.
        table: ``feature_table(cols)``, when the caller has it already.

    Returns:
        The kept pairs, ``left < right``, weights rounded to 1e-9 so that the
        same pair scores the same on any engine and in any run.
    """
    if model.spec != spec.name:
        raise ValueError(f"model is for spec {model.spec!r}, not {spec.name!r}")
    if len(next(iter(cols.values()))) < 2:
        return ScoredPairs.empty(tuple(n for n, _ in spec.comparisons()))
    settings = _settings(spec, model.levels, model.prior, spec.blocks)
    data = feature_table(cols) if table is None else table
    linker = _linker(data, settings, backend)
    for col in spec.tf_columns:
        lookup = _tf_lookup(cols, col, model.tf.get(col, {}))
        if lookup.num_rows:
            linker.table_management.register_term_frequency_lookup(
                _table(lookup, backend), col
            )
    floor = min(max(floor_probability, 1e-12), 1 - 1e-12)
    floor_weight = math.log2(floor / (1 - floor))
    predictions: Any = linker.inference.predict(
        threshold_match_weight=floor_weight - 1e-6
    )
    frame = predictions.as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    names = tuple(n for n, _ in spec.comparisons())
    return ScoredPairs.from_prediction(frame, names, floor)


def count_compared(cols: Columns, spec: ModelSpec, backend: str = "duckdb") -> int:
    """How many distinct pairs the spec's blocking keys generate (and so score)."""
    from splink.blocking_analysis import (
        cumulative_comparisons_to_be_scored_from_blocking_rules_data,
    )
    from splink.blocking_rule_library import CustomRule

    if len(next(iter(cols.values()))) < 2:
        return 0
    data = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
        table_or_tables=_table(feature_table(cols), backend),
        blocking_rules=[CustomRule(block_rule_sql(b)) for b in spec.blocks],
        link_type="dedupe_only",
        db_api=_db_api(backend),
    )
    return int(data["row_count"].sum())
