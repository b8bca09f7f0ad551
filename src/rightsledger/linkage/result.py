"""What a probabilistic linkage run returns: model, scored pairs, clustering.

Plain data (standard library and numpy only). :class:`LinkModel` is everything
needed to score pairs again exactly: the prior, the m and u probability of every
comparison level and the term frequencies, the latter keyed by a hash of the
value so that no name is stored. :class:`ScoredPairs` keeps pairs in columns
(millions of pairs fit), and explains any one of them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from rightsledger.domain import Clustering

__all__ = ["Level", "LinkModel", "LinkResult", "ScoredPair", "ScoredPairs"]


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level: its label and trained probabilities."""

    label: str
    m: float | None
    u: float | None

    @property
    def weight(self) -> float | None:
        """Match weight, log2(m/u), when both are known and positive."""
        if not self.m or not self.u:
            return None
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class LinkModel:
    """A trained model: enough to score any pair again, to the last bit.

    Attributes:
        spec: name of the :class:`~rightsledger.linkage.spec.ModelSpec`.
        prior: probability that two random records match (lambda).
        levels: comparison name -> its non-null levels, in order.
        tf: column -> {hash of value: relative frequency}.
        seed: the seed training used.
        trained_on: number of records trained on; ``labels``: labelled
            matches used for m.
        splink_settings: Splink's own model JSON, for the record.
    """

    spec: str
    prior: float
    levels: dict[str, tuple[Level, ...]]
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    seed: int = 0
    trained_on: int = 0
    labels: int = 0
    splink_settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise (sorted keys): the text the ledger stores with a run."""
        data = {
            "spec": self.spec,
            "prior": self.prior,
            "levels": {
                k: [[lv.label, lv.m, lv.u] for lv in v] for k, v in self.levels.items()
            },
            "tf": self.tf,
            "seed": self.seed,
            "trained_on": self.trained_on,
            "labels": self.labels,
            "splink_settings": self.splink_settings,
        }
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LinkModel:
        """Read what :meth:`to_json` wrote."""
        d = json.loads(text)
        levels = {
            k: tuple(Level(lab, m, u) for lab, m, u in v)
            for k, v in d["levels"].items()
        }
        return cls(
            d["spec"], d["prior"], levels, d["tf"], d["seed"], d["trained_on"],
            d["labels"], d["splink_settings"],
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """One compared pair: ids in sorted order, its score, and why."""

    left: str
    right: str
    match_weight: float
    probability: float
    weights: dict[str, float]


@dataclass(frozen=True)
class ScoredPairs:
    """Scored pairs in columns; ``left[i] < right[i]`` (record ids).

    Attributes:
        left, right: record ids.
        match_weight: total match weight (log2 Bayes factor, prior included).
        probability: match probability.
        comparison_weights: one row per pair, one column per comparison
            (``comparisons``), the match weight each contributed.
    """

    left: tuple[str, ...]
    right: tuple[str, ...]
    match_weight: npt.NDArray[np.float64]
    probability: npt.NDArray[np.float64]
    comparisons: tuple[str, ...]
    comparison_weights: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.left)

    def __iter__(self) -> Iterator[ScoredPair]:
        for i in range(len(self.left)):
            yield self.pair(i)

    def pair(self, i: int) -> ScoredPair:
        """The ``i``-th pair with its explanation."""
        weights = {
            c: round(float(w), 4)
            for c, w in zip(self.comparisons, self.comparison_weights[i], strict=True)
        }
        return ScoredPair(
            self.left[i],
            self.right[i],
            float(self.match_weight[i]),
            float(self.probability[i]),
            weights,
        )

    def lookup(self) -> dict[tuple[str, str], int]:
        """(left, right) -> row index."""
        return {
            (a, b): i
            for i, (a, b) in enumerate(zip(self.left, self.right, strict=True))
        }

    def select(self, mask: npt.NDArray[np.bool_]) -> ScoredPairs:
        """The pairs where ``mask`` is true."""
        idx = np.flatnonzero(mask)
        return ScoredPairs(
            tuple(self.left[i] for i in idx),
            tuple(self.right[i] for i in idx),
            self.match_weight[idx],
            self.probability[idx],
            self.comparisons,
            self.comparison_weights[idx],
        )

    @classmethod
    def empty(cls, comparisons: tuple[str, ...]) -> ScoredPairs:
        """No pairs."""
        return cls(
            (), (), np.zeros(0), np.zeros(0), comparisons,
            np.zeros((0, len(comparisons)), dtype=np.float32),
        )  # fmt: skip

    @classmethod
    def from_prediction(
        cls, frame: Any, comparisons: tuple[str, ...], floor: float
    ) -> ScoredPairs:
        """Pairs from Splink's prediction table (a pandas DataFrame).

        Args:
            frame: ``unique_id_l``/``_r``, ``match_weight``, ``match_probability``
                and, per comparison, ``bf_<name>`` (and ``bf_tf_adj_<name>``).
            comparisons: the comparison names, in order.
            floor: pairs below this probability are dropped.

        Returns:
            The pairs with ``left < right``, sorted; weights rounded (1e-9,
            probabilities 1e-12, comparison weights 1e-4) so that engines and
            runs agree to the bit.
        """
        if len(frame) == 0:
            return cls.empty(comparisons)
        left = frame["unique_id_l"].astype(str).to_numpy()
        right = frame["unique_id_r"].astype(str).to_numpy()
        swap = left > right
        left, right = np.where(swap, right, left), np.where(swap, left, right)
        weights = np.zeros((len(frame), len(comparisons)), dtype=np.float64)
        for j, name in enumerate(comparisons):
            bf = frame[f"bf_{name}"].to_numpy(dtype=np.float64)
            tf_col = f"bf_tf_adj_{name}"
            if tf_col in frame.columns:
                bf = bf * frame[tf_col].fillna(1.0).to_numpy(dtype=np.float64)
            weights[:, j] = np.log2(bf)
        weight = np.round(frame["match_weight"].to_numpy(dtype=np.float64), 9)
        prob = np.round(frame["match_probability"].to_numpy(dtype=np.float64), 12)
        keep = prob >= floor
        idx = np.flatnonzero(keep)[np.lexsort((right[keep], left[keep]))]
        return cls(
            tuple(left[idx].tolist()), tuple(right[idx].tolist()), weight[idx],
            prob[idx], comparisons, np.round(weights[idx], 4).astype(np.float32),
        )  # fmt: skip

    @classmethod
    def concat(cls, parts: list[ScoredPairs]) -> ScoredPairs:
        """Join pair sets scored by one model (duplicates are dropped)."""
        comparisons = parts[0].comparisons
        seen: dict[tuple[str, str], tuple[int, int]] = {}
        for p, part in enumerate(parts):
            for i, key in enumerate(zip(part.left, part.right, strict=True)):
                seen.setdefault(key, (p, i))
        keys = sorted(seen)
        rows = [seen[k] for k in keys]

        def take(attr: str) -> Any:
            arrays = [getattr(parts[p], attr)[i] for p, i in rows]
            return np.array(arrays) if arrays else getattr(parts[0], attr)[:0]

        return cls(
            tuple(k[0] for k in keys), tuple(k[1] for k in keys),
            take("match_weight"), take("probability"), comparisons,
            take("comparison_weights").astype(np.float32),
        )  # fmt: skip


@dataclass(frozen=True)
class LinkResult:
    """A linkage run: the clustering, the pairs behind it, and how to redo it.

    Attributes:
        clustering: record id -> person id, with the run's parameters.
        pairs: every scored pair at or above the run's floor probability.
        model: the model used (trained in this run or given).
        parameters: settings, thresholds and seed, JSON-ready, to store.
        pairs_compared: pairs the blocking rules generated and scored.
        seconds: wall time of the run.
    """

    clustering: Clustering
    pairs: ScoredPairs
    model: LinkModel
    parameters: Mapping[str, Any]
    pairs_compared: int
    seconds: float
