"""Pairwise precision, recall and F1 of a clustering against known truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rightsledger.domain import Clustering
from rightsledger.errors import InputError

__all__ = ["bcubed_scores", "pairwise_scores"]


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(
    predicted: Clustering, truth: Mapping[str, str]
) -> tuple[float, float, float]:
    """Score a clustering by the record pairs it puts together.

    A pair of records is a true positive when both the prediction and the truth
    put them in one person. With no predicted pairs precision is 1.0; with no true
    pairs recall is 1.0 (nothing was there to miss).

    Args:
        predicted: the clustering to score.
        truth: record id -> true person id, for the same records.

    Returns:
        ``(precision, recall, f1)``.

    Raises:
        InputError: if the two do not cover the same record ids.
    """
    pred = predicted.assignment
    missing = sorted(set(pred) ^ set(truth))
    if missing:
        shown = ", ".join(missing[:5])
        raise InputError(
            f"{len(missing)} record ids are in only one of prediction and truth: "
            f"{shown}",
            field="record_id",
        )
    both = Counter((pred[r], truth[r]) for r in pred)
    tp = _pairs(both.values())
    n_pred = _pairs(Counter(pred.values()).values())
    n_true = _pairs(Counter(truth.values()).values())
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_true if n_true else 1.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return precision, recall, f1


def bcubed_scores(
    predicted: Clustering, truth: Mapping[str, str]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1: per record, averaged over records.

    A record's precision is the share of its predicted cluster that truly is
    the same person (itself included); its recall the share of its true person
    that the prediction put with it.

    Raises:
        InputError: if the two do not cover the same record ids.
    """
    pred = predicted.assignment
    if set(pred) != set(truth):
        raise InputError(
            "prediction and truth cover different record ids", field="record_id"
        )
    if not pred:
        return 1.0, 1.0, 1.0
    both = Counter((pred[r], truth[r]) for r in pred)
    size_pred = Counter(pred.values())
    size_true = Counter(truth.values())
    precision = sum(n * n / size_pred[p] for (p, _), n in both.items()) / len(pred)
    recall = sum(n * n / size_true[t] for (_, t), n in both.items()) / len(pred)
    f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1
