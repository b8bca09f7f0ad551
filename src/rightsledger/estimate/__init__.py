"""Multiple systems estimation: how many people, seen and unseen.

Estimators follow ``Model(table, ...).fit() -> EstimateFit``: :class:`Chapman` (two
lists), :class:`LogLinear` (one log-linear model), :class:`LogLinearSearch` (best
log-linear model by BIC), :class:`Stepwise` (SparseMSE's stepwise selection),
:class:`Heterogeneity` (Rcapture's Mth models), :class:`ChaoLowerBound`,
:class:`LCMCR` (Bayesian latent classes), :class:`DGA` (Bayesian model averaging
over decomposable graphs) and :class:`Stratified`.

Most users go through the registry: :func:`fit_method` and :func:`compare_methods`
(:mod:`.methods`), with :func:`plain_summary` (:mod:`.explain`) and the figures in
:mod:`.plot`. Estimator modules are imported on first use, so ``import
rightsledger.estimate`` stays light and never fails if one of them is missing.
"""

from __future__ import annotations

import importlib
from typing import Any

from .explain import plain_summary, spread_summary
from .histories import CaptureTable, Pattern, capture_histories
from .loglinear import Interactions, LogLinear
from .methods import (
    DEFAULT_METHOD,
    METHODS,
    available_methods,
    compare_methods,
    fit_method,
)
from .results import EstimateFit, warn_and_record
from .two_list import Chapman, chapman, lognormal_interval, seber_variance
from .validate import check_table, table_warnings

#: Public names in modules imported on first access: name -> module.
_LAZY = {
    "LogLinearSearch": "search",
    "Heterogeneity": "heterogeneity",
    "closedp": "heterogeneity",
    "Stepwise": "stepwise",
    "ChaoLowerBound": "chao",
    "LCMCR": "lcmcr",
    "DGA": "dga",
    "split_strata": "strata",
    "Stratified": "strata",
    "plot_estimate": "plot",
    "plot_comparison": "plot",
}

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "CaptureTable",
    "Chapman",
    "EstimateFit",
    "Interactions",
    "LogLinear",
    "Pattern",
    "available_methods",
    "capture_histories",
    "chapman",
    "check_table",
    "compare_methods",
    "fit_method",
    "lognormal_interval",
    "plain_summary",
    "seber_variance",
    "spread_summary",
    "table_warnings",
    "warn_and_record",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    """Import an estimator's module when one of its names is first used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
