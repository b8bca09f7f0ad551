"""Assessment: verification rules turn observations and estimates into statuses.

Pure functions of their inputs and a date; see :mod:`.rules` for the indicator
semantics and :mod:`.benchmark` for the aggregation.
"""

from __future__ import annotations

from .benchmark import assess_all, assess_benchmark
from .rules import assess_indicator, estimate_id
from .timeline import Change, IndicatorChange, status_changes

__all__ = [
    "Change",
    "IndicatorChange",
    "assess_all",
    "assess_benchmark",
    "assess_indicator",
    "estimate_id",
    "status_changes",
]
