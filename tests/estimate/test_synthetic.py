"""Simulated independent lists with a known N: the intervals should cover it."""

from __future__ import annotations

import numpy as np
import pytest

from rightsledger.estimate import CaptureTable, Chapman, LogLinear

N = 1000
PROBS = (0.3, 0.25, 0.2)
REPLICATES = 200


def simulate(rng: np.random.Generator, lists: int) -> CaptureTable:
    seen = rng.random((N, lists)) < np.array(PROBS[:lists])
    counts: dict[tuple[int, ...], int] = {}
    for row in seen[seen.any(axis=1)]:
        key = tuple(int(v) for v in row)
        counts[key] = counts.get(key, 0) + 1
    return CaptureTable(tuple("ABC"[:lists]), counts)


@pytest.mark.parametrize(
    ("make", "lists"),
    [
        (lambda t: Chapman(t), 2),
        (lambda t: LogLinear(t), 3),
        (lambda t: LogLinear(t), 2),
    ],
    ids=["chapman-2", "loglinear-3", "loglinear-2"],
)
def test_coverage_of_known_total(make, lists):
    rng = np.random.default_rng(20260101 + lists)
    fits = [make(simulate(rng, lists)).fit() for _ in range(REPLICATES)]
    coverage = np.mean([f.lower <= N <= f.upper for f in fits])
    assert coverage >= 0.85
    assert np.median([f.estimate for f in fits]) == pytest.approx(N, rel=0.05)


def test_loglinear_errors_on_degenerate_input():
    from rightsledger.errors import EstimationError

    with pytest.raises(EstimationError, match="at least two lists"):
        LogLinear(CaptureTable(("A",), {(1,): 5})).fit()
    with pytest.raises(EstimationError, match="empty"):
        LogLinear(CaptureTable(("A", "B"), {})).fit()
    with pytest.raises(EstimationError, match="not identifiable"):
        LogLinear(CaptureTable(("A", "B"), {(1, 1): 1, (1, 0): 2}), "two-way").fit()
    with pytest.raises(EstimationError, match="no finite estimate"):
        LogLinear(CaptureTable(("A", "B"), {(1, 0): 10, (0, 1): 12})).fit()
