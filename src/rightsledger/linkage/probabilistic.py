"""Probabilistic linkage of person records: train, score, cluster, explain.

``ProbabilisticLinker(config).link(records)`` trains a model without labels
(or from labelled matches), scores every blocked pair and clusters at the
threshold (:mod:`rightsledger.linkage.cluster`). Given a stored model it only
scores and clusters, and then a pair's score depends on the two records and the
model alone, which is what makes :func:`link_incremental` equal to a full run.

Splink is imported only inside :mod:`rightsledger.linkage.splink_model`, when a
run starts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from rightsledger.domain import Clustering, PersonRecord

from .cluster import Decision, cluster_pairs
from .features import record_columns
from .result import LinkModel, LinkResult, ScoredPairs
from .spec import KOREAN, ModelSpec

__all__ = ["METHOD", "LinkageConfig", "ProbabilisticLinker", "link_incremental"]

METHOD = "splink-korean"


@dataclass(frozen=True)
class LinkageConfig:
    """Settings of a probabilistic run (all stored with the run).

    Attributes:
        threshold: least match probability for a link.
        review_band: pairs with a probability in ``[low, high)`` go to review.
        seed: seeds every random step (u sampling, EM sample).
        backend: ``"duckdb"`` (default) or ``"spark"``.
        repeating_lists: lists that may hold one person more than once.
        max_pairs: random pairs drawn to estimate u.
        sample_size: EM trains on at most this many records (seeded sample).
        min_labels: labelled matches needed to estimate m from labels, not EM.
        count_compared: also count the pairs the blocking generates.
    """

    threshold: float = 0.9
    review_band: tuple[float, float] = (0.5, 0.99)
    seed: int = 0
    backend: str = "duckdb"
    repeating_lists: tuple[str, ...] = ()
    max_pairs: float = 1e6
    sample_size: int = 100_000
    min_labels: int = 20
    count_compared: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        low, high = self.review_band
        if not 0 < low <= high <= 1 or not 0 < self.threshold <= 1:
            raise ValueError("threshold and review band must be probabilities")
        if self.backend not in ("duckdb", "spark"):
            raise ValueError(f"unknown backend {self.backend!r} (duckdb or spark)")

    @property
    def floor(self) -> float:
        """Least probability of a kept pair: the lower of threshold and band."""
        return min(self.threshold, self.review_band[0])


def _lists(records: Sequence[PersonRecord]) -> dict[str, str]:
    lists = {r.record_id: r.source_id for r in records}
    if len(lists) != len(records):
        raise ValueError("record ids must be unique")
    return lists


@dataclass(frozen=True)
class ProbabilisticLinker:
    """Linkage v2: Splink model with Korean name comparisons, guarded clustering.

    Args:
        config: the run's settings.
        model: a stored model; when given nothing is trained.
        spec: the model design (default: :data:`~rightsledger.linkage.spec.KOREAN`).
    """

    config: LinkageConfig = field(default_factory=LinkageConfig)
    model: LinkModel | None = None
    spec: ModelSpec = KOREAN

    def link(self, records: Sequence[PersonRecord]) -> Clustering:
        """Cluster ``records`` (the :class:`LinkageBackend` protocol)."""
        return self.run(records).clustering

    def run(
        self,
        records: Sequence[PersonRecord],
        *,
        decisions: Iterable[Decision] = (),
    ) -> LinkResult:
        """Train (unless a model was given), score, cluster.

        Args:
            records: the records; ids must be unique.
            decisions: investigator decisions; accepted ones also serve as
                labelled matches when a model is trained.

        Returns:
            The clustering, its scored pairs, the model and the parameters.
        """
        from . import splink_model

        started = time.perf_counter()
        decided = list(decisions)
        lists = _lists(records)
        cfg = self.config
        cols = record_columns(records, cfg.repeating_lists)
        table = splink_model.feature_table(cols)  # once, for training and scoring
        model = self.model
        if model is None:
            matches = [(d.left, d.right) for d in decided if d.accept]
            model = splink_model.train_model(
                cols, self.spec, seed=cfg.seed, backend=cfg.backend,
                matches=matches, min_labels=cfg.min_labels,
                max_pairs=cfg.max_pairs, sample_size=cfg.sample_size, table=table,
            )  # fmt: skip
        pairs = splink_model.score_pairs(
            cols, self.spec, model, floor_probability=cfg.floor,
            backend=cfg.backend, table=table,
        )  # fmt: skip
        compared = (
            splink_model.count_compared(cols, self.spec, cfg.backend)
            if cfg.count_compared
            else -1
        )
        clustering = _clustering(lists, pairs, cfg, model, decided)
        return LinkResult(
            clustering=clustering,
            pairs=pairs,
            model=model,
            parameters=clustering.parameters,
            pairs_compared=compared,
            seconds=time.perf_counter() - started,
        )


def _parameters(
    cfg: LinkageConfig, model: LinkModel, n_decisions: int
) -> dict[str, Any]:
    params = {k: v for k, v in asdict(cfg).items() if k != "extra"}
    params["review_band"] = list(cfg.review_band)
    params["repeating_lists"] = list(cfg.repeating_lists)
    return {
        "method": METHOD,
        **params,
        **cfg.extra,
        "spec": model.spec,
        "decisions": n_decisions,
        "model": model.to_json(),
    }


def _clustering(
    lists: Mapping[str, str],
    pairs: ScoredPairs,
    cfg: LinkageConfig,
    model: LinkModel,
    decisions: Sequence[Decision],
    threshold: float | None = None,
) -> Clustering:
    assignment = cluster_pairs(
        lists, pairs.left, pairs.right, pairs.match_weight, pairs.probability,
        threshold=cfg.threshold if threshold is None else threshold,
        repeating_lists=cfg.repeating_lists, decisions=decisions,
    )  # fmt: skip
    params = _parameters(cfg, model, len(decisions))
    if threshold is not None:
        params["threshold"] = threshold
    return Clustering(assignment=assignment, method=METHOD, parameters=params)


def _restrict(
    cols: Mapping[str, list[object]], new_ids: set[str], blocks: Sequence[Sequence[str]]
) -> dict[str, list[object]]:
    """Old records sharing a blocking key with a new one, plus the new ones."""
    ids = cols["unique_id"]
    n = len(ids)
    keys: set[tuple[int, tuple[object, ...]]] = set()
    for i in range(n):
        if ids[i] in new_ids:
            for b, block in enumerate(blocks):
                values = tuple(cols[c][i] for c in block)
                if None not in values:
                    keys.add((b, values))
    keep = [
        i
        for i in range(n)
        if ids[i] in new_ids
        or any(
            (b, tuple(cols[c][i] for c in block)) in keys
            for b, block in enumerate(blocks)
        )
    ]
    return {k: [v[i] for i in keep] for k, v in cols.items()}


def link_incremental(
    previous: LinkResult,
    old_records: Sequence[PersonRecord],
    new_records: Sequence[PersonRecord],
    *,
    config: LinkageConfig | None = None,
    decisions: Iterable[Decision] = (),
    spec: ModelSpec = KOREAN,
) -> LinkResult:
    """Link new records to an earlier run without scoring old pairs again.

    Only pairs with at least one new record are scored (with the earlier run's
    model); the old pairs are taken from ``previous``. The result equals
    ``ProbabilisticLinker(config, previous.model).run(old + new)``.

    Args:
        previous: the earlier run (its pairs and model).
        old_records: the records of the earlier run.
        new_records: records to add; their ids must be new.
        config: settings (default: the earlier run's threshold etc. are the
            caller's to pass; a default config otherwise).
        decisions: all decisions so far.
        spec: the model design.

    Returns:
        The run over old and new records.
    """
    from . import splink_model

    started = time.perf_counter()
    cfg = config or LinkageConfig()
    all_records = [*old_records, *new_records]
    lists = _lists(all_records)
    new_ids = {r.record_id for r in new_records}
    cols = record_columns(all_records, cfg.repeating_lists)
    subset = _restrict(cols, new_ids, spec.blocks)
    fresh = splink_model.score_pairs(
        subset, spec, previous.model, floor_probability=cfg.floor, backend=cfg.backend
    )
    touches = [
        a in new_ids or b in new_ids
        for a, b in zip(fresh.left, fresh.right, strict=True)
    ]
    import numpy as np

    fresh = fresh.select(np.array(touches, dtype=bool))
    old = previous.pairs.select(previous.pairs.probability >= cfg.floor)
    pairs = ScoredPairs.concat([old, fresh])
    decided = list(decisions)
    clustering = _clustering(lists, pairs, cfg, previous.model, decided)
    return LinkResult(
        clustering=clustering,
        pairs=pairs,
        model=previous.model,
        parameters=clustering.parameters,
        pairs_compared=-1,
        seconds=time.perf_counter() - started,
    )
