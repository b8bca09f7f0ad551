"""What a probabilistic model compares and how it blocks, independent of Splink.

A :class:`ModelSpec` names the comparisons (built lazily, so Splink is imported
only when a model runs), the blocking keys that choose which pairs are scored,
the keys that EM trains on, and the deterministic rule that estimates the prior.
Blocking keys are tuples of columns compared for equality: that keeps them
portable across SQL engines and lets incremental linking find, for new records,
exactly the old records a full run would have paired them with.

:data:`KOREAN` is the spec for person records (see ``docs/linkage.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["KOREAN", "Comparison", "ModelSpec", "korean_comparisons"]

#: One comparison: output column name and its level creators (Splink objects).
Comparison = tuple[str, list[Any]]


@dataclass(frozen=True)
class ModelSpec:
    """A model's design.

    Attributes:
        name: stored with every run.
        comparisons: builds the comparisons (imports Splink when called).
        blocks: prediction blocking keys; a pair is scored when it agrees on
            every column of at least one key.
        training_blocks: EM sessions, one per key; together they must leave
            every comparison free in at least one session.
        prior_rule: SQL condition on ``l``/``r`` that is almost surely a match,
            and ``prior_recall``, the share of true matches it finds; together
            they estimate the prior probability that two records match.
        tf_columns: columns whose exact agreement is weighted by frequency.
    """

    name: str
    comparisons: Callable[[], list[Comparison]]
    blocks: tuple[tuple[str, ...], ...]
    training_blocks: tuple[tuple[str, ...], ...]
    prior_rule: str
    prior_recall: float
    tf_columns: tuple[str, ...] = ()


def korean_comparisons() -> list[Comparison]:
    """The comparisons of :data:`KOREAN` (imports Splink, so only when called)."""
    from .splink_comparisons import korean

    return korean()


#: Korean person records (features from :mod:`rightsledger.linkage.features`).
KOREAN = ModelSpec(
    name="korean-person-v1",
    comparisons=korean_comparisons,
    blocks=(
        ("nkey", "byear"),
        ("nkey", "yarr"),
        ("nkey", "fac"),
        ("nkey", "prov"),
        ("nsorted", "byear"),
        ("nsorted", "yarr"),
        ("fam", "g1", "byear"),
        ("fam", "g2", "byear"),
        ("giv", "byear"),
        ("fam", "g1", "fac", "yarr"),
        ("fam", "g2", "fac", "yarr"),
    ),
    training_blocks=(("nkey",), ("byear", "sex", "fac", "yarr")),
    prior_rule="l.nkey = r.nkey AND l.byear = r.byear",
    prior_recall=0.6,
    tf_columns=("nkey",),
)
