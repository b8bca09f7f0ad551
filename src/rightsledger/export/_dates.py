"""Dates made coarse before they are published: a year, a quarter or a month."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class DatePrecision(StrEnum):
    """How much of a date the public export keeps."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


def coarsen(on: date, precision: DatePrecision | str) -> str:
    """The period a date falls in: ``2019``, ``2019-Q3`` or ``2019-07``.

    Raises:
        ValueError: an unknown precision.

    Examples:
        >>> coarsen(date(2019, 8, 14), "quarter")
        '2019-Q3'
    """
    p = DatePrecision(precision)
    if p is DatePrecision.YEAR:
        return f"{on.year:04d}"
    if p is DatePrecision.QUARTER:
        return f"{on.year:04d}-Q{(on.month - 1) // 3 + 1}"
    return f"{on.year:04d}-{on.month:02d}"
