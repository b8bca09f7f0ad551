"""Synthetic scenarios with a known truth, for the demo, tests and benchmarks.

Pure: :func:`simulate` reads no file, no clock and no global random state. Files
are written only by :func:`rightsledger.simulate.writer.write_scenario`.
"""

from .config import LIST_SPECS, ListSpec, ScenarioConfig
from .scenario import Scenario, simulate
from .story import INDICATOR_KEYS
from .truth import (
    EventKind,
    IndicatorTruth,
    PopulationCount,
    RecordTruth,
    Stay,
    TrueEvent,
    TruePerson,
    Truth,
)

__all__ = [
    "INDICATOR_KEYS",
    "LIST_SPECS",
    "EventKind",
    "IndicatorTruth",
    "ListSpec",
    "PopulationCount",
    "RecordTruth",
    "Scenario",
    "ScenarioConfig",
    "Stay",
    "TrueEvent",
    "TruePerson",
    "Truth",
    "simulate",
]
