"""The public export: aggregates of the ledger that anyone may read.

:func:`write_public_export` writes CSV, JSON, a README and a manifest; the record
tables go through :mod:`.suppression` (small-cell and complementary suppression,
checked by linear programming). Pure apart from writing the export's own files:
no database, no clock.
"""

from ._dates import DatePrecision, coarsen
from ._evidence import rounded
from .public import ExportSummary, write_public_export
from .suppression import (
    SuppressedColumn,
    SuppressedTable,
    Suppression,
    mask_count,
    suppress_column,
    suppress_linked,
    suppress_table,
)

__all__ = [
    "DatePrecision",
    "ExportSummary",
    "SuppressedColumn",
    "SuppressedTable",
    "Suppression",
    "coarsen",
    "mask_count",
    "rounded",
    "suppress_column",
    "suppress_linked",
    "suppress_table",
    "write_public_export",
]
