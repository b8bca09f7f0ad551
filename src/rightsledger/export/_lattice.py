"""Counts tied together by sums, and what a reader can work out about hidden ones.

A published table is a set of *entries* (cells and totals) and *lines*: each line
says ``sum(members) == total``. A 2-D table with margins has one line per row, one
per column, one for the row of column totals and one for the column of row totals;
a 1-D table has one line; linked tables (two tables with the same row totals, or
the same grand total) share entries, so their lines tie them together.

:class:`Reader` is the attacker: it knows every published entry exactly, every line,
and what the marks promise (``<t`` is 1..t-1; ``x`` is t or more for a complement,
1 or more for a widened small count), and asks, for each hidden entry, the least and
the greatest value it can take. Those are linear programmes; for a single table the
constraint matrix is totally unimodular, so the LP optimum is an integer. Linked
tables need not be, so a fractional LP optimum is re-solved as an integer programme:
the reader is assumed to know that counts are whole numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

_EPS = 1e-6
#: Rounds of pushing all entries at once before entries are read one by one.
_SWEEPS = 2


class Suppression(StrEnum):
    """Why an entry is hidden; published entries have no suppression."""

    PRIMARY = "primary"
    """A count from 1 to threshold-1: shown as ``<threshold``."""
    COMPLEMENTARY = "complementary"
    """A count of threshold or more, hidden so that a primary cannot be worked out;
    shown as ``x``."""
    WIDENED = "widened"
    """A small count shown as ``x`` instead of ``<threshold``, because ``<threshold``
    would let it (or another small count) be worked out."""


Line = tuple[tuple[int, ...], int]


@dataclass(slots=True)
class Lattice:
    """Entries, the sums that tie them, and which entries are hidden (mutable).

    Attributes:
        values: The true count of every entry.
        is_total: Whether an entry is a total (totals are hidden last).
        lines: ``(members, total)``: the members' sum equals the total.
        threshold: Counts from 1 to ``threshold - 1`` are primary.
        kinds: Hidden entries and why.
    """

    values: list[int]
    is_total: list[bool]
    lines: list[Line]
    threshold: int
    kinds: dict[int, Suppression] = field(default_factory=dict)
    lines_of: list[list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = list(dict.fromkeys((tuple(m), t) for m, t in self.lines))
        self.lines_of = [[] for _ in self.values]
        for index, (members, total) in enumerate(self.lines):
            for entry in {*members, total}:
                self.lines_of[entry].append(index)

    def entries_of(self, line: int) -> tuple[int, ...]:
        members, total = self.lines[line]
        return (*members, total)

    def hidden_in(self, line: int) -> int:
        """How many entries of a line are hidden."""
        return sum(1 for e in self.entries_of(line) if e in self.kinds)

    def neighbours(self, entry: int) -> list[int]:
        """Entries sharing a line with ``entry`` (not itself), in index order."""
        near = {e for li in self.lines_of[entry] for e in self.entries_of(li)}
        near.discard(entry)
        return sorted(near)

    def bound(self, kind: Suppression) -> tuple[float, float | None]:
        """What a reader knows of a hidden entry from its mark."""
        t = self.threshold
        if kind is Suppression.PRIMARY:
            return (1.0, float(t - 1))
        if kind is Suppression.COMPLEMENTARY:
            # complements are chosen among counts >= t, never zeros; a complementary
            # total is a total of t or more as well
            return (float(t), None)
        return (1.0, None)


def component(lattice: Lattice, kinds: dict[int, Suppression], entry: int) -> list[int]:
    """Hidden entries tied to ``entry`` through lines holding hidden entries.

    Entries of different components do not constrain one another (every line is
    either inside one component or holds none of its entries), so each component
    is read on its own: smaller programmes, same answers.
    """
    seen, todo = {entry}, [entry]
    while todo:
        e = todo.pop()
        for line in lattice.lines_of[e]:
            for other in lattice.entries_of(line):
                if other in kinds and other not in seen:
                    seen.add(other)
                    todo.append(other)
    return sorted(seen)


def pinned(
    lattice: Lattice,
    kinds: dict[int, Suppression],
    free: set[int] | None = None,
) -> list[int]:
    """Every hidden entry a reader can narrow to one value, in index order.

    ``free`` holds entries already shown free under fewer hidden entries (or
    narrower marks); hiding more only widens what a reader must allow, so they
    are still free and are not read again. Entries found free are added to it.
    """
    found: list[int] = []
    left = set(kinds)
    free = set() if free is None else free
    while left:
        part = component(lattice, kinds, min(left))
        left.difference_update(part)
        stuck = Reader(lattice, kinds, part).pinned(skip=free)
        free.update(e for e in part if e not in stuck)
        found += stuck
    return sorted(found)


def is_pinned(lattice: Lattice, kinds: dict[int, Suppression], entry: int) -> bool:
    """Whether a reader can narrow ``entry`` (hidden in ``kinds``) to one value."""
    return reader_of(lattice, kinds, entry).is_pinned(entry)


def reader_of(lattice: Lattice, kinds: dict[int, Suppression], entry: int) -> Reader:
    """A reader of the component holding ``entry``."""
    return Reader(lattice, kinds, component(lattice, kinds, entry))


class Reader:
    """Least and greatest values of hidden entries, given what is published.

    One reader per suppression pattern and component: solutions found along the
    way are kept, so an entry already seen at two values one apart needs no
    further programme.
    """

    def __init__(
        self,
        lattice: Lattice,
        kinds: dict[int, Suppression],
        hidden: Sequence[int] | None = None,
    ) -> None:
        self.hidden = sorted(kinds) if hidden is None else list(hidden)
        col = {e: k for k, e in enumerate(self.hidden)}
        lines = sorted({li for e in self.hidden for li in lattice.lines_of[e]})
        data: list[float] = []
        ij: tuple[list[int], list[int]] = ([], [])
        rhs: list[float] = []
        for r, line in enumerate(lines):
            members, total = lattice.lines[line]
            b = 0.0
            for entry, coef in [*((m, 1.0) for m in members), (total, -1.0)]:
                if entry in col:
                    data.append(coef)
                    ij[0].append(r)
                    ij[1].append(col[entry])
                elif entry in kinds:  # cannot happen inside a component
                    raise ValueError("hidden entry outside the component read")
                else:
                    b -= coef * lattice.values[entry]
            rhs.append(b)
        shape = (len(lines), len(self.hidden))
        self._col = col
        self._a = coo_array((data, ij), shape=shape).tocsr()
        self._b = np.array(rhs)
        self._bounds = [lattice.bound(kinds[e]) for e in self.hidden]
        self._truth = np.array([lattice.values[e] for e in self.hidden], dtype=float)
        self._lo = self._truth.copy()
        self._hi = self._truth.copy()

    def seen_free(self) -> set[int]:
        """Entries already seen at two values (free, whatever else is asked)."""
        spread = self._hi - self._lo >= 1 - _EPS
        return {e for e, free in zip(self.hidden, spread, strict=True) if free}

    def interval(self, entry: int) -> tuple[float, float]:
        """Least and greatest value of a hidden entry (``inf`` when unbounded)."""
        k = self._col[entry]
        low = self._extreme(k, 1.0)
        high = self._extreme(k, -1.0)
        return (low, high)

    def is_pinned(self, entry: int) -> bool:
        """True when a reader can narrow ``entry`` to a single value."""
        k = self._col[entry]
        if self._hi[k] - self._lo[k] >= 1 - _EPS:
            return False
        truth = float(self._truth[k])
        low, high = self._bounds[k]
        # a bound the entry sits on needs no programme: it cannot pass it
        room_up = high is None or truth < high
        if room_up and self._extreme(k, -1.0) >= truth + 1 - _EPS:
            return False
        if truth <= low:
            return True
        return self._extreme(k, 1.0) > truth - 1 + _EPS

    def pinned(self, skip: set[int] | frozenset[int] = frozenset()) -> list[int]:
        """Hidden entries (other than ``skip``) a reader can narrow to one value."""
        targets = [e for e in self.hidden if e not in skip]
        if targets:
            self._sweep(targets)
        return [e for e in targets if self.is_pinned(e)]

    def _sweep(self, targets: list[int]) -> None:
        """Programmes that move many entries at once: push every entry not yet
        seen free up (capped at its value + 1), then down (floored at its value
        - 1), and again while that frees more. Only the entries left need
        programmes of their own."""
        capped_up = [
            (lo, min(t + 1, np.inf if hi is None else hi))
            for t, (lo, hi) in zip(self._truth, self._bounds, strict=True)
        ]
        capped_down = [
            (max(lo, t - 1), hi)
            for t, (lo, hi) in zip(self._truth, self._bounds, strict=True)
        ]
        wanted = np.zeros(len(self.hidden))
        wanted[[self._col[e] for e in targets]] = 1.0
        room_up = np.array([hi is None or t < hi for t, (_, hi) in self._limits()])
        room_down = np.array([t > lo for t, (lo, _) in self._limits()])
        stuck = len(self.hidden) + 1
        for _ in range(_SWEEPS):
            todo = wanted * (self._hi - self._lo < 1 - _EPS)
            left = int(todo.sum())
            if left == 0 or left >= stuck:
                return
            stuck = left
            if np.any(todo * room_up):
                self._solve(-todo * room_up, capped_up)
            if np.any(todo * room_down):
                self._solve(todo * room_down, capped_down)

    def _limits(self) -> list[tuple[float, tuple[float, float | None]]]:
        return list(zip(self._truth.tolist(), self._bounds, strict=True))

    def _extreme(self, k: int, sign: float) -> float:
        """Minimum (sign 1) or maximum (sign -1) of hidden entry ``k``."""
        c = np.zeros(len(self.hidden))
        c[k] = sign
        x = self._solve(c, self._bounds)
        if x is None:  # unbounded: the integer programme is unbounded too
            return float("inf") if sign < 0 else float("-inf")
        return float(np.round(x[k]))

    def _solve(
        self, c: np.ndarray, bounds: list[tuple[float, float | None]]
    ) -> np.ndarray | None:
        """An integer optimum of ``c @ x`` (None when unbounded); every solution
        found is remembered, so that it can show other entries free."""
        has_rows = self._a.shape[0] > 0
        res = linprog(
            c,
            A_eq=self._a if has_rows else None,
            b_eq=self._b if has_rows else None,
            bounds=bounds,
            method="highs",
        )
        if res.status == 3:
            return None
        if res.status != 0:
            raise RuntimeError(f"suppression check failed: {res.message}")
        x = np.asarray(res.x, dtype=float)
        if np.any(np.abs(x - np.round(x)) > _EPS):
            x = self._integer_optimum(c, bounds)
        x = np.round(x)
        self._lo = np.minimum(self._lo, x)
        self._hi = np.maximum(self._hi, x)
        return x

    def _integer_optimum(
        self, c: np.ndarray, bounds: list[tuple[float, float | None]]
    ) -> np.ndarray:
        """The integer optimum, for linked tables whose LP vertex is fractional."""
        lower = np.array([b[0] for b in bounds])
        upper = np.array([np.inf if b[1] is None else b[1] for b in bounds])
        constraints = (
            [LinearConstraint(self._a, self._b, self._b)] if self._a.shape[0] else []
        )
        res = milp(
            c,
            constraints=constraints,
            integrality=np.ones(len(c)),
            bounds=Bounds(lower, upper),
        )
        if res.status != 0 or res.x is None:
            raise RuntimeError(f"suppression check failed: {res.message}")
        return np.asarray(res.x, dtype=float)
