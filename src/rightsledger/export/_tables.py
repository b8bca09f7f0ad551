"""The two shapes of a published table: a cross-tabulation and a plain list."""

from __future__ import annotations

from dataclasses import dataclass

from .suppression import Shown, SuppressedTable

#: One value of a plain list table.
Value = Shown | bool | float | None


@dataclass(frozen=True, slots=True)
class CrossTable:
    """Counts of records by two dimensions, suppressed, with their labels."""

    name: str
    title: str
    rows_are: str
    columns_are: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    table: SuppressedTable


@dataclass(frozen=True, slots=True)
class ListTable:
    """Rows of named fields (nothing in it is a count of persons under the
    threshold: those are masked before they get here)."""

    name: str
    title: str
    fields: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
