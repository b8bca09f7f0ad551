"""Synthetic populations for the estimation studies: who is on which list.

A design is a mixture of latent groups, each with its own chance of being on each
list (heterogeneous capture), plus direct dependence between pairs of lists:
being on list ``a`` multiplies the odds of being on list ``b`` by ``factor``
(above 1 a referral between lists, below 1 lists that avoid each other's people).
The designs run from lists that reach every group well to a large group that
almost no list reaches, so the study shows where each method's interval holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from rightsledger.estimate import CaptureTable


@dataclass(frozen=True)
class Design:
    """Latent groups as (share, chance per list), and list dependences."""

    groups: tuple[tuple[float, tuple[float, ...]], ...]
    dependence: tuple[tuple[int, int, float], ...]
    about: str

    @property
    def lists(self) -> int:
        return len(self.groups[0][1])

    def hardest_reach(self) -> float:
        """Chance that a member of the least-reached group is on any list."""
        return min(
            1.0 - float(np.prod([1.0 - p for p in probs])) for _, probs in self.groups
        )

    def describe(self) -> str:
        groups = "; ".join(
            f"{share:.0%} at {min(p):.2f}-{max(p):.2f}" for share, p in self.groups
        )
        links = ", ".join(
            f"L{a + 1}->L{b + 1} odds x{f:g}" for a, b, f in self.dependence
        )
        return f"{self.lists} lists; groups {groups}; dependence {links or 'none'}"


_BOTH_WAYS = ((0, 1, 2.0), (2, 3, 0.5))

DESIGNS: dict[str, Design] = {
    "reachable": Design(
        ((0.7, (0.50, 0.40, 0.45, 0.50, 0.40)), (0.3, (0.25, 0.20, 0.30, 0.20, 0.25))),
        _BOTH_WAYS,
        "5 lists; a 30% hard-to-reach group that three in four of its members "
        "still reach one list",
    ),
    "reachable-4": Design(
        ((0.7, (0.50, 0.40, 0.45, 0.50)), (0.3, (0.25, 0.20, 0.30, 0.20))),
        _BOTH_WAYS,
        "as 'reachable' with 4 lists",
    ),
    "low-reach": Design(
        ((1.0, (0.15, 0.10, 0.12, 0.15)),),
        _BOTH_WAYS,
        "one group that each list reaches 10-15% of (about 40% seen); "
        "dependence only, no heterogeneity",
    ),
    "three-groups": Design(
        (
            (0.5, (0.50, 0.45, 0.40, 0.50, 0.45)),
            (0.3, (0.30, 0.25, 0.30, 0.20, 0.30)),
            (0.2, (0.15, 0.20, 0.10, 0.20, 0.15)),
        ),
        ((0, 1, 2.0),),
        "5 lists; a 20% group that most of its members escape",
    ),
    "moderate": Design(
        ((0.6, (0.40, 0.35, 0.30, 0.40)), (0.4, (0.15, 0.10, 0.20, 0.12))),
        ((0, 1, 2.0),),
        "4 lists; a 40% group that more than half of its members escape",
    ),
    "extreme": Design(
        ((0.7, (0.30, 0.25, 0.20, 0.30)), (0.3, (0.06, 0.04, 0.08, 0.05))),
        ((0, 1, 2.0),),
        "4 lists; a 30% group that almost no list reaches",
    ),
}


def simulate_table(rng: np.random.Generator, n: int, design: Design) -> CaptureTable:
    """The capture table of one population of ``n`` people under ``design``."""
    shares = [share for share, _ in design.groups]
    group = rng.choice(len(design.groups), size=n, p=shares)
    probs = np.array([design.groups[g][1] for g in group])
    seen = rng.random((n, design.lists)) < probs
    for a, b, factor in design.dependence:
        odds = factor * probs[:, b] / (1.0 - probs[:, b])
        redrawn = rng.random(n) < odds / (1.0 + odds)
        seen[:, b] = np.where(seen[:, a], redrawn, seen[:, b])
    cells = Counter(tuple(int(x) for x in row) for row in seen if row.any())
    names = tuple(f"L{j + 1}" for j in range(design.lists))
    return CaptureTable(names, dict(cells))
