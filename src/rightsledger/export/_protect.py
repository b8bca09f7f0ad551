"""Choose which entries of a :class:`Lattice` to hide, and check the choice.

1. Primary: every entry (cell or total) with ``1 <= count < threshold``.
2. Lines: a line holding exactly one hidden entry gives it away by subtraction,
   so another entry of that line is hidden too (the cheapest, see :func:`_cost`).
3. Check: a :class:`Reader` computes each hidden entry's least and greatest value
   from everything published; an entry pinned to one value gets help: a further
   complement next to it that frees it (tried by the reader), else a small entry
   next to it (totals first, or itself) is *widened* from ``<t`` to ``x``, else
   the cheapest complement next to it anyway, else the cheapest anywhere, else a
   small entry anywhere is widened. Repeat 2-3 until nothing is pinned.

Each round hides or widens at least one entry, so this ends. It always ends well:
with every non-zero entry hidden and every small one widened, no entry has an upper
bound, and every entry can grow by one along a path through its totals, so none is
pinned (docs/export.md walks through the argument).
"""

from __future__ import annotations

from ._lattice import (
    Lattice,
    Suppression,
    is_pinned,
    pinned,
    reader_of,
)

#: How many helping entries are tried one by one before settling for the cheapest.
_TRIES = 8


def protect(lattice: Lattice) -> None:
    """Hide entries of ``lattice`` until no hidden entry can be worked out."""
    t = lattice.threshold
    for entry, value in enumerate(lattice.values):
        if 1 <= value < t:
            lattice.kinds[entry] = Suppression.PRIMARY
    free: set[int] = set()  # hiding more never pins a free entry again
    while True:
        _close_lines(lattice)
        found = pinned(lattice, lattice.kinds, free)
        if not found:
            return
        _unpin(lattice, found[0])
        for entry in found[1:]:
            # an earlier fix in this round may already have freed it
            if is_pinned(lattice, lattice.kinds, entry):
                _unpin(lattice, entry)


def _cost(lattice: Lattice, entry: int) -> tuple[bool, int, int, int]:
    """Order of preference for a complement: cells before totals, then entries
    whose other lines already hold hidden entries, then small counts."""
    fresh = sum(1 for li in lattice.lines_of[entry] if lattice.hidden_in(li) == 0)
    return (lattice.is_total[entry], fresh, lattice.values[entry], entry)


def _candidates(lattice: Lattice, entries: list[int]) -> list[int]:
    """Entries that may become complements: shown, non-zero (so >= threshold)."""
    found = [e for e in entries if e not in lattice.kinds and lattice.values[e] > 0]
    return sorted(found, key=lambda e: _cost(lattice, e))


def _close_lines(lattice: Lattice) -> None:
    """Hide a second entry in every line that holds exactly one hidden entry."""
    changed = True
    while changed:
        changed = False
        for line in range(len(lattice.lines)):
            if lattice.hidden_in(line) != 1:
                continue
            options = _candidates(lattice, list(lattice.entries_of(line)))
            if not options:  # cannot happen: see the module docstring
                raise RuntimeError("no complement available in a line")
            lattice.kinds[options[0]] = Suppression.COMPLEMENTARY
            changed = True


def _helpers(
    lattice: Lattice, entry: int, others: list[int], kind: Suppression
) -> list[int]:
    """Which of ``others``, marked ``kind`` all at once, free ``entry``: those
    that moved in the solutions that freed it (empty when even all of them
    together leave it pinned; hiding more never pins, so none alone would help)."""
    if not others:
        return []
    kinds = {**lattice.kinds, **dict.fromkeys(others, kind)}
    reader = reader_of(lattice, kinds, entry)
    if reader.is_pinned(entry):
        return []
    moved = reader.seen_free()
    helping = [o for o in others if o in moved] or others[:1]
    # one that frees ``entry`` alone, among the first few, goes first
    for other in helping[:_TRIES]:
        if not is_pinned(lattice, {**lattice.kinds, other: kind}, entry):
            return [other, *(o for o in helping if o != other)]
    return helping


def _unpin(lattice: Lattice, entry: int) -> None:
    """Hide or widen one entry so that ``entry`` (pinned now) may become free.

    Complements next to it first (the cheapest of those that would help), then
    widening a small total or cell next to it, then the cheapest complement next
    to it anyway; each round makes progress, and the caller checks again.
    """
    near = lattice.neighbours(entry)
    options = _candidates(lattice, near)
    helping = _helpers(lattice, entry, options, Suppression.COMPLEMENTARY)
    if helping:
        lattice.kinds[helping[0]] = Suppression.COMPLEMENTARY
        return
    small = _small(lattice, [entry, *near])
    widening = _helpers(lattice, entry, small, Suppression.WIDENED)
    if widening:
        lattice.kinds[widening[0]] = Suppression.WIDENED
        return
    if options:
        lattice.kinds[options[0]] = Suppression.COMPLEMENTARY
        return
    _last_resort(lattice)


def _small(lattice: Lattice, entries: list[int]) -> list[int]:
    """Primary entries among ``entries``, totals first (widen totals before cells)."""
    found = {e for e in entries if lattice.kinds.get(e) is Suppression.PRIMARY}
    return sorted(found, key=lambda e: (not lattice.is_total[e], e))


def _last_resort(lattice: Lattice) -> None:
    """Nothing near helps: hide the cheapest entry anywhere, else widen one."""
    everywhere = list(range(len(lattice.values)))
    options = _candidates(lattice, everywhere)
    if options:
        lattice.kinds[options[0]] = Suppression.COMPLEMENTARY
        return
    small = _small(lattice, everywhere)
    if not small:  # cannot happen: see the module docstring
        raise RuntimeError("suppression cannot protect this table")
    lattice.kinds[small[0]] = Suppression.WIDENED
