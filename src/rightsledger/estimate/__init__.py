"""Multiple systems estimation: how many people, seen and unseen.

Estimators follow ``Model(table, ...).fit() -> EstimateFit``:
:class:`Chapman` (two lists, or one list against the rest) and :class:`LogLinear`
(Poisson log-linear models of the 2^k table).
"""

from __future__ import annotations

from .histories import CaptureTable, Pattern, capture_histories
from .loglinear import Interactions, LogLinear
from .results import EstimateFit
from .two_list import Chapman, chapman, lognormal_interval, seber_variance

__all__ = [
    "CaptureTable",
    "Chapman",
    "EstimateFit",
    "Interactions",
    "LogLinear",
    "Pattern",
    "capture_histories",
    "chapman",
    "lognormal_interval",
    "seber_variance",
]
