"""Assessment: verification rules turn observations and estimates into statuses.

Pure functions of their inputs and a date; see :mod:`.rules` for the indicator
semantics, :mod:`.benchmark` for the aggregation, :mod:`.plan` for what evidence
would move a benchmark next and :mod:`.sanctions` for the readiness of the legal
conditions for lifting sanctions.
"""

from __future__ import annotations

from .benchmark import assess_all, assess_benchmark
from .plan import BenchmarkPlan, IndicatorPlan, Need, Supplier, verification_plan
from .rules import assess_indicator, estimate_id
from .sanctions import (
    BenchmarkStanding,
    ConditionReadiness,
    Readiness,
    by_effect,
    required_standard,
    sanctions_readiness,
)
from .timeline import Change, IndicatorChange, status_changes

__all__ = [
    "BenchmarkPlan",
    "BenchmarkStanding",
    "Change",
    "ConditionReadiness",
    "IndicatorChange",
    "IndicatorPlan",
    "Need",
    "Readiness",
    "Supplier",
    "assess_all",
    "assess_benchmark",
    "assess_indicator",
    "by_effect",
    "estimate_id",
    "required_standard",
    "sanctions_readiness",
    "status_changes",
    "verification_plan",
]
