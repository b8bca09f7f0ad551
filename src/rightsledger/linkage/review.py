"""Review queue and alternative clusterings from a run's scored pairs (pure).

* :func:`review_queue`: pairs in the uncertain band that no decision covers yet,
  most uncertain first (closest to probability 0.5), each with its explanation.
* :func:`decisions_as_labels`: decisions as ``(left, right, is_match)`` labels.
* :func:`alternative_clusterings`: the same records clustered at thresholds
  across the band, and clusterings drawn from the match probabilities (each pair
  linked with its probability, seeded), so that estimation can carry linkage
  uncertainty into its intervals.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import numpy as np

from rightsledger.domain import Clustering, PersonRecord

from .cluster import Decision, cluster_pairs
from .result import LinkResult, ScoredPair

__all__ = ["alternative_clusterings", "decisions_as_labels", "review_queue"]


def review_queue(
    result: LinkResult,
    band: tuple[float, float] | None = None,
    decisions: Iterable[Decision] = (),
) -> list[ScoredPair]:
    """Pairs to put before an investigator.

    Args:
        result: a linkage run.
        band: ``(low, high)`` probabilities; default: the run's review band.
        decisions: pairs already decided are left out.

    Returns:
        Pairs with ``low <= probability < high``, most uncertain first.
    """
    low, high = band or tuple(result.parameters["review_band"])
    decided = {d.key for d in decisions}
    p = result.pairs.probability
    idx = np.flatnonzero((p >= low) & (p < high))
    chosen = [
        i for i in idx.tolist()
        if (result.pairs.left[i], result.pairs.right[i]) not in decided
    ]  # fmt: skip
    chosen.sort(
        key=lambda i: (abs(p[i] - 0.5), result.pairs.left[i], result.pairs.right[i])
    )
    return [result.pairs.pair(i) for i in chosen]


def decisions_as_labels(decisions: Iterable[Decision]) -> list[tuple[str, str, bool]]:
    """Latest decision per pair as ``(left, right, is_match)``, sorted."""
    latest = {d.key: d.accept for d in decisions}
    return [(a, b, m) for (a, b), m in sorted(latest.items())]


def alternative_clusterings(
    result: LinkResult,
    records: Sequence[PersonRecord],
    *,
    thresholds: Sequence[float] | None = None,
    samples: int = 0,
    seed: int = 0,
    decisions: Iterable[Decision] = (),
) -> dict[str, Clustering]:
    """Plausible clusterings of the same records, by label.

    Args:
        result: the run whose pairs are re-clustered.
        records: its records (for their lists).
        thresholds: thresholds to cluster at; default: five across the band.
        samples: clusterings drawn by linking each pair with its probability.
        seed: seeds the draws.
        decisions: respected by every alternative.

    Returns:
        ``{"threshold 0.900": Clustering, ..., "sample 1": Clustering, ...}``.
    """
    params = dict(result.parameters)
    low, high = params["review_band"]
    if thresholds is None:
        thresholds = [float(t) for t in np.linspace(low, high, 5)]
    lists = {r.record_id: r.source_id for r in records}
    repeating = params.get("repeating_lists", ())
    decided = list(decisions)
    pairs = result.pairs
    out: dict[str, Clustering] = {}

    def make(label: str, probability: np.ndarray, threshold: float) -> None:
        assignment = cluster_pairs(
            lists, pairs.left, pairs.right, pairs.match_weight, probability,
            threshold=threshold, repeating_lists=repeating, decisions=decided,
        )  # fmt: skip
        out[label] = Clustering(
            assignment, result.clustering.method, {**params, "alternative": label}
        )

    for t in thresholds:
        make(f"threshold {t:.3f}", pairs.probability, t)
    rng = random.Random(seed)  # noqa: S311 - sampling, not cryptography
    for k in range(1, samples + 1):
        draws = np.array([rng.random() for _ in range(len(pairs))])
        linked = (draws < pairs.probability).astype(np.float64)
        make(f"sample {k}", linked, 0.5)
    return out
