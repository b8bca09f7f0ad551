from __future__ import annotations

import pytest

from rightsledger.domain import Clustering
from rightsledger.errors import InputError
from rightsledger.linkage import pairwise_scores


def test_perfect_and_all_singletons():
    truth = {"a": "1", "b": "1", "c": "2"}
    assert pairwise_scores(Clustering({"a": "x", "b": "x", "c": "y"}, "t"), truth) == (
        1.0,
        1.0,
        1.0,
    )
    singles = Clustering({"a": "x", "b": "y", "c": "z"}, "t")
    assert pairwise_scores(singles, truth) == (1.0, 0.0, 0.0)


def test_over_merged():
    truth = {"a": "1", "b": "1", "c": "2", "d": "2"}
    merged = Clustering(dict.fromkeys(truth, "p"), "t")
    precision, recall, f1 = pairwise_scores(merged, truth)
    assert precision == pytest.approx(2 / 6)
    assert recall == 1.0
    assert f1 == pytest.approx(0.5)


def test_record_sets_must_match():
    with pytest.raises(InputError, match="only one of"):
        pairwise_scores(Clustering({"a": "x"}, "t"), {"b": "1"})
