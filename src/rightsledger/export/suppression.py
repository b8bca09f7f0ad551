"""Small-cell suppression for tables of counts of persons, with margins.

A count from 1 to ``threshold - 1`` could point at a handful of people, so it is
shown only as ``<threshold`` (*primary* suppression; zero is shown as 0). Hiding it
is not enough when the table also shows row and column totals: a hidden cell alone
in its row is the row total minus the others. So further cells (and totals, when
needed) are hidden (*complementary* suppression, shown ``x``), and the result is
checked with linear programming: for every hidden entry, the least and greatest
value consistent with everything published must differ by at least one.

Pure: no I/O. :func:`suppress_table` handles one 2-D table, :func:`suppress_column`
one 1-D table, :func:`suppress_linked` several 2-D tables that share margins (two
tables of the same lists by different columns share the lists' totals; every table
of the same records shares the grand total), which must be protected together.

Examples:
    >>> t = suppress_table([[3, 20, 7], [12, 9, 30]])
    >>> t.shown()[0]
    ['<5', 20, 'x', 30]
    >>> t.shown()[1]
    ['x', 9, 'x', 51]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ._lattice import Lattice, Line, Suppression
from ._protect import protect

__all__ = [
    "WITHHELD",
    "Shown",
    "Suppression",
    "SuppressedColumn",
    "SuppressedTable",
    "check_threshold",
    "mask_count",
    "shown_value",
    "suppress_column",
    "suppress_linked",
    "suppress_table",
]

#: The mark of an entry hidden to protect others (complementary or widened).
WITHHELD = "x"

#: A published entry: the count, or its mark (``"<5"`` or ``"x"``).
Shown = int | str


def check_threshold(threshold: int) -> None:
    """Refuse thresholds that cannot protect anything.

    1 switches suppression off. 2 is refused: ``<2`` would say "exactly 1".

    Raises:
        ValueError: threshold below 1 or equal to 2.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"threshold must be a whole number, not {threshold!r}")
    if threshold < 1 or threshold == 2:
        raise ValueError(
            f"threshold {threshold} cannot protect a count: use 1 (no suppression) "
            "or 3 or more ('<2' would disclose that a count is exactly 1)"
        )


def shown_value(value: int, kind: Suppression | None, threshold: int) -> Shown:
    """What is published for an entry: its count, ``<threshold`` or ``x``."""
    if kind is None:
        return value
    if kind is Suppression.PRIMARY:
        return f"<{threshold}"
    return WITHHELD


def mask_count(value: int, threshold: int = 5) -> Shown:
    """A lone count with no totals beside it: ``<threshold`` when it is small."""
    check_threshold(threshold)
    return f"<{threshold}" if 1 <= value < threshold else value


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    """A 2-D table of counts with margins, and which entries are hidden.

    Holds the true counts (for the caller's own checks); publish only
    :meth:`shown`.
    """

    counts: tuple[tuple[int, ...], ...]
    threshold: int
    cell_marks: tuple[tuple[Suppression | None, ...], ...]
    row_totals: tuple[int, ...]
    row_total_marks: tuple[Suppression | None, ...]
    column_totals: tuple[int, ...]
    column_total_marks: tuple[Suppression | None, ...]
    grand_total: int
    grand_total_mark: Suppression | None

    def shown(self) -> list[list[Shown]]:
        """The published table: each row with its total last, then the row of
        column totals ending with the grand total."""
        t = self.threshold
        out = [
            [shown_value(v, k, t) for v, k in zip(row, marks, strict=True)]
            + [shown_value(total, tk, t)]
            for row, marks, total, tk in zip(
                self.counts,
                self.cell_marks,
                self.row_totals,
                self.row_total_marks,
                strict=True,
            )
        ]
        margin = [
            shown_value(v, k, t)
            for v, k in zip(self.column_totals, self.column_total_marks, strict=True)
        ]
        out.append([*margin, shown_value(self.grand_total, self.grand_total_mark, t)])
        return out

    def marks(self) -> list[Suppression | None]:
        """Every entry's mark: cells row by row, row totals, column totals, grand."""
        return [
            *(k for row in self.cell_marks for k in row),
            *self.row_total_marks,
            *self.column_total_marks,
            self.grand_total_mark,
        ]

    def suppressed(self) -> Counter[Suppression]:
        """How many entries are hidden, by kind (cells and totals together)."""
        return Counter(k for k in self.marks() if k is not None)


@dataclass(frozen=True, slots=True)
class SuppressedColumn:
    """A 1-D table (a column of counts and its total), and which are hidden."""

    counts: tuple[int, ...]
    threshold: int
    marks: tuple[Suppression | None, ...]
    total: int
    total_mark: Suppression | None

    def shown(self) -> list[Shown]:
        """The published counts, then the published total."""
        t = self.threshold
        pairs = zip(self.counts, self.marks, strict=True)
        cells = [shown_value(v, k, t) for v, k in pairs]
        return [*cells, shown_value(self.total, self.total_mark, t)]

    def suppressed(self) -> Counter[Suppression]:
        return Counter(k for k in (*self.marks, self.total_mark) if k is not None)


def _checked(counts: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    rows = tuple(tuple(r) for r in counts)
    width = len(rows[0]) if rows else 0
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"row {i} has {len(row)} cells, row 0 has {width}")
        for v in row:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"row {i}: {v!r} is not a count (whole number >= 0)")
    return rows


def suppress_table(
    counts: Sequence[Sequence[int]], threshold: int = 5
) -> SuppressedTable:
    """Suppress small cells of one 2-D table, with complementary suppression.

    Args:
        counts: Rows of non-negative whole numbers, all of one length. Row totals,
            column totals and the grand total are computed and published too.
        threshold: Counts from 1 to ``threshold - 1`` are hidden; 1 hides nothing.

    Returns:
        The table with a mark for every hidden entry; :meth:`SuppressedTable.shown`
        is what may be published.

    Raises:
        ValueError: a count is negative or not whole, rows differ in length, or
            the threshold is 2 or below 1.
    """
    return suppress_linked([counts], threshold=threshold)[0]


def suppress_linked(
    tables: Sequence[Sequence[Sequence[int]]],
    *,
    shared_rows: Sequence[tuple[int, int]] = (),
    threshold: int = 5,
) -> tuple[SuppressedTable, ...]:
    """Suppress several tables of the same units together.

    All tables share one grand total (they count the same records); each pair in
    ``shared_rows`` names two tables (by position) whose rows are the same groups,
    so their row totals are one set of published numbers. A total hidden in one
    table is hidden in the other, and the check reads all tables at once.

    Raises:
        ValueError: as :func:`suppress_table`, or grand totals (or shared row
            totals) that differ.
    """
    check_threshold(threshold)
    checked = [_checked(t) for t in tables]
    grands = {sum(map(sum, t)) for t in checked}
    if len(grands) > 1:
        raise ValueError(
            f"linked tables must share a grand total, got {sorted(grands)}"
        )
    layout = _Layout(checked, shared_rows)
    lattice = Lattice(layout.values, layout.is_total, layout.lines, threshold)
    protect(lattice)
    return tuple(layout.result(i, lattice) for i in range(len(checked)))


def suppress_column(counts: Sequence[int], threshold: int = 5) -> SuppressedColumn:
    """Suppress small counts of a 1-D table whose total is published.

    Raises:
        ValueError: a count is negative or not whole; threshold 2 or below 1.
    """
    check_threshold(threshold)
    cells = _checked([list(counts)])[0] if counts else ()
    n = len(cells)
    lattice = Lattice(
        [*cells, sum(cells)],
        [False] * n + [True],
        [(tuple(range(n)), n)],
        threshold,
    )
    protect(lattice)
    kinds = lattice.kinds
    return SuppressedColumn(
        counts=cells,
        threshold=threshold,
        marks=tuple(kinds.get(i) for i in range(n)),
        total=sum(cells),
        total_mark=kinds.get(n),
    )


class _Layout:
    """Entry numbers of linked 2-D tables: cells, row totals, column totals, and
    one grand total for all."""

    def __init__(
        self,
        tables: list[tuple[tuple[int, ...], ...]],
        shared_rows: Sequence[tuple[int, int]],
    ) -> None:
        self.tables = tables
        self.values: list[int] = [sum(map(sum, tables[0])) if tables else 0]
        self.is_total: list[bool] = [True]
        self.lines: list[Line] = []
        self.cells: list[list[list[int]]] = []
        self.rows: list[list[int]] = []
        self.columns: list[list[int]] = []
        links = {max(a, b): min(a, b) for a, b in shared_rows}
        for index, table in enumerate(tables):
            self._add(index, table, links.get(index))

    def _new(self, value: int, *, total: bool) -> int:
        self.values.append(value)
        self.is_total.append(total)
        return len(self.values) - 1

    def _add(
        self, index: int, table: tuple[tuple[int, ...], ...], link: int | None
    ) -> None:
        width = len(table[0]) if table else 0
        cells = [[self._new(v, total=False) for v in row] for row in table]
        row_sums = [sum(r) for r in table]
        if link is None:
            rows = [self._new(v, total=True) for v in row_sums]
        else:
            rows = self.rows[link]
            shared = [self.values[e] for e in rows]
            if shared != row_sums:
                raise ValueError(
                    f"tables {link} and {index} share rows but their row totals "
                    f"differ: {shared} vs {row_sums}"
                )
        cols = [self._new(sum(r[j] for r in table), total=True) for j in range(width)]
        for i, row in enumerate(cells):
            self.lines.append((tuple(row), rows[i]))
        for j, col in enumerate(cols):
            self.lines.append((tuple(r[j] for r in cells), col))
        self.lines.append((tuple(cols), 0))
        self.lines.append((tuple(rows), 0))
        self.cells.append(cells)
        self.rows.append(rows)
        self.columns.append(cols)

    def result(self, index: int, lattice: Lattice) -> SuppressedTable:
        kinds, values = lattice.kinds, lattice.values
        cells, rows, cols = self.cells[index], self.rows[index], self.columns[index]
        return SuppressedTable(
            counts=self.tables[index],
            threshold=lattice.threshold,
            cell_marks=tuple(tuple(kinds.get(e) for e in row) for row in cells),
            row_totals=tuple(values[e] for e in rows),
            row_total_marks=tuple(kinds.get(e) for e in rows),
            column_totals=tuple(values[e] for e in cols),
            column_total_marks=tuple(kinds.get(e) for e in cols),
            grand_total=values[0],
            grand_total_mark=kinds.get(0),
        )
