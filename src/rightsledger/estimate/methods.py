"""The method registry: every estimator under one short name, one call to fit it.

``fit_method("lcmcr", table, seed=1)`` checks the table
(:func:`~rightsledger.estimate.validate.check_table`), fits the estimator and returns
its :class:`~rightsledger.estimate.results.EstimateFit`, with the registry name as
``method`` and the estimator's own name in ``settings["estimator"]``. Warnings about
the table (:func:`~rightsledger.estimate.validate.table_warnings`) are raised and
stored in the result.

Estimator modules are imported when first used, by module name, so the registry
works while some of them are still being written: a missing module makes its
method raise :class:`~rightsledger.errors.EstimationError` ("method X is not
available: ..."), never an ImportError.

:func:`compare_methods` fits several methods on one table and returns every fit and
every failure side by side: the spread across methods is a finding, and no method
is picked quietly.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from rightsledger.errors import EstimationError, EstimationWarning

from .histories import CaptureTable
from .results import EstimateFit
from .validate import check_table, table_warnings

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "Method",
    "available_methods",
    "compare_methods",
    "fit_method",
    "load_estimator",
]

DEFAULT_METHOD = "loglinear"

#: (table, seed, confidence, options) -> fit
FitFunction = Callable[[CaptureTable, int | None, float, dict[str, Any]], EstimateFit]


class Method(NamedTuple):
    """A registry entry: what the method is, and how to fit it."""

    description: str
    fit: FitFunction
    module: str


def load_estimator(module: str, attr: str, method: str) -> Any:
    """Import ``rightsledger.estimate.<module>.<attr>`` now, by name.

    Raises:
        EstimationError: "method <method> is not available: ..." when the module
            or the name is missing.
    """
    full = f"rightsledger.estimate.{module}"
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as e:
        if e.name != full:
            raise
        raise EstimationError(
            f"method {method} is not available: module {full} is not installed"
        ) from e
    try:
        return getattr(mod, attr)
    except AttributeError as e:
        raise EstimationError(
            f"method {method} is not available: {full} has no {attr}"
        ) from e


def _accepted(fn: Callable[..., Any]) -> set[str] | None:
    """Keyword names ``fn`` accepts; None if it takes ``**kwargs``."""
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind is not inspect.Parameter.POSITIONAL_ONLY}


def _call(
    method: str,
    cls: Any,
    table: CaptureTable,
    ctor: Mapping[str, Any],
    fit_kw: Mapping[str, Any],
) -> EstimateFit:
    """``cls(table, **ctor).fit(**fit_kw)``, refusing options neither accepts."""
    take_ctor, take_fit = _accepted(cls), _accepted(cls.fit)
    args, kwargs = {}, {}
    for key, value in {**ctor, **fit_kw}.items():
        if take_ctor is None or key in take_ctor:
            args[key] = value
        elif take_fit is None or key in take_fit:
            kwargs[key] = value
        elif key == "seed" or (key == "confidence" and value == 0.95):
            continue  # deterministic method, or fixed 95% interval: nothing to pass
        else:
            allowed = sorted((take_ctor or set()) | (take_fit or set()))
            allowed = [a for a in allowed if a not in ("self", "table")]
            raise EstimationError(
                f"method {method} does not take the setting {key}={value!r}; "
                f"it takes: {', '.join(allowed) or 'no settings'}"
            )
    fit: EstimateFit = cls(table, **args).fit(**kwargs)
    return fit


def _class_method(module: str, attr: str, name: str, **fixed: Any) -> FitFunction:
    def run(
        table: CaptureTable, seed: int | None, confidence: float, opts: dict[str, Any]
    ) -> EstimateFit:
        cls = load_estimator(module, attr, name)
        ctor = {**fixed, "confidence": confidence, **opts}
        return _call(name, cls, table, ctor, {"seed": seed})

    return run


def _loglinear(
    table: CaptureTable, seed: int | None, confidence: float, opts: dict[str, Any]
) -> EstimateFit:
    try:
        cls = load_estimator("search", "LogLinearSearch", "loglinear")
    except EstimationError:
        return _loglinear_fallback(table, confidence, opts)
    ctor = {"criterion": "bic", "max_order": 2, "confidence": confidence, **opts}
    return _call("loglinear", cls, table, ctor, {"seed": seed})


def _loglinear_fallback(
    table: CaptureTable, confidence: float, opts: dict[str, Any]
) -> EstimateFit:
    """Until the model search lands: independence or all pairs, lower BIC."""
    from .loglinear import LogLinear

    if opts:
        raise EstimationError(
            f"method loglinear (fallback) takes no settings, got {sorted(opts)}"
        )
    fits, failed = [], []
    for interactions in ("none", "two-way"):
        try:
            fits.append(LogLinear(table, interactions, confidence).fit())
        except EstimationError as e:
            failed.append(f"{interactions}: {e}")
    if not fits:
        raise EstimationError(
            "loglinear: no model could be fitted: " + "; ".join(failed)
        )
    best = min(fits, key=lambda f: float(f.diagnostics["bic"]))
    candidates = [
        {"model": f.model, "estimate": f.estimate, "bic": f.diagnostics["bic"]}
        for f in fits
    ]
    diagnostics = {**best.diagnostics, "candidates": candidates, "failed": failed}
    settings = {**best.settings, "selection": "BIC among independence and all pairs"}
    return replace(best, diagnostics=diagnostics, settings=settings)


def _chapman(
    table: CaptureTable, _seed: int | None, confidence: float, opts: dict[str, Any]
) -> EstimateFit:
    from .two_list import Chapman

    return _call("chapman", Chapman, table, {"confidence": confidence, **opts}, {})


METHODS: dict[str, Method] = {
    "chapman": Method(
        "Chapman's two-list estimator (first list against the union of the others), "
        "log-normal interval",
        _chapman,
        "two_list",
    ),
    "loglinear": Method(
        "Poisson log-linear models with pairwise dependence, best model by BIC over "
        "all hierarchical models, profile-likelihood interval",
        _loglinear,
        "search",
    ),
    "stepwise": Method(
        "SparseMSE-style stepwise log-linear selection (p 0.02) with existence and "
        "identifiability checks; optional bootstrap (nboot)",
        _class_method("stepwise", "Stepwise", "stepwise", pthresh=0.02),
        "stepwise",
    ),
    "lcmcr": Method(
        "Bayesian latent-class model (Dirichlet-process mixture, K classes), "
        "posterior median and credible interval; models heterogeneity",
        _class_method("lcmcr", "LCMCR", "lcmcr", K=10),
        "lcmcr",
    ),
    "dga": Method(
        "Bayesian model averaging over decomposable graphical models "
        "(Madigan & York), at most 5 lists",
        _class_method("dga", "DGA", "dga"),
        "dga",
    ),
    "chao": Method(
        "Chao's lower bound from those seen once and twice (heterogeneity-robust "
        "lower bound, not an estimate of the total)",
        _class_method("chao", "ChaoLowerBound", "chao"),
        "chao",
    ),
    "mth-chao": Method(
        "Rcapture model Mth with Chao's lower-bound heterogeneity terms",
        _class_method("heterogeneity", "Heterogeneity", "mth-chao", model="Mth-Chao"),
        "heterogeneity",
    ),
    "mth-darroch": Method(
        "Rcapture model Mth with Darroch's quadratic heterogeneity term",
        _class_method(
            "heterogeneity", "Heterogeneity", "mth-darroch", model="Mth-Darroch"
        ),
        "heterogeneity",
    ),
    "mth-poisson": Method(
        "Rcapture model Mth with the Poisson2 heterogeneity term",
        _class_method(
            "heterogeneity", "Heterogeneity", "mth-poisson", model="Mth-Poisson"
        ),
        "heterogeneity",
    ),
}


def available_methods() -> dict[str, bool]:
    """Registry name -> whether its estimator module can be imported now."""
    out = {}
    for name, entry in METHODS.items():
        try:
            importlib.import_module(f"rightsledger.estimate.{entry.module}")
            out[name] = True
        except ModuleNotFoundError:
            out[name] = name == "loglinear"  # falls back on LogLinear
    return out


def fit_method(
    name: str,
    table: CaptureTable,
    *,
    seed: int | None = None,
    confidence: float = 0.95,
    **options: Any,
) -> EstimateFit:
    """Check ``table`` and fit the registry method ``name`` on it.

    Args:
        name: a key of :data:`METHODS` (case-insensitive).
        table: the capture table.
        seed: seed for the methods that draw random numbers (Bayesian samplers,
            bootstraps); the same seed gives the same result.
        confidence: nominal coverage of the interval.
        **options: settings of the estimator (e.g. ``K``, ``burnin``, ``nboot``).

    Returns:
        The fit, ``method`` set to ``name``; table warnings in its diagnostics.

    Raises:
        EstimationError: unknown or unavailable method, unknown setting, or an
            estimator that cannot give a finite result.
        InputErrors: a table with fewer than two lists, nobody seen, or an empty
            list.

    Examples:
        >>> t = CaptureTable(("A", "B"), {(1, 1): 50, (1, 0): 50, (0, 1): 50})
        >>> round(fit_method("chapman", t).estimate)
        199
    """
    key = name.strip().lower()
    if key not in METHODS:
        raise EstimationError(
            f"unknown method {name!r}; choose one of {', '.join(METHODS)}"
        )
    if not 0 < confidence < 1:
        raise EstimationError(f"confidence must be between 0 and 1, got {confidence}")
    check_table(table)
    fit = METHODS[key].fit(table, seed, confidence, dict(options))
    diagnostics = dict(fit.diagnostics)
    for message in table_warnings(table):
        diagnostics.setdefault("warnings", [])
        if message not in diagnostics["warnings"]:
            diagnostics["warnings"] = [*diagnostics["warnings"], message]
            warnings.warn(message, EstimationWarning, stacklevel=2)
    settings = {**fit.settings, "estimator": fit.method, "seed": seed}
    return replace(fit, method=key, diagnostics=diagnostics, settings=settings)


def compare_methods(
    table: CaptureTable,
    names: Sequence[str],
    seed: int | None = None,
    *,
    confidence: float = 0.95,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[EstimateFit | EstimationError]:
    """Fit each method on the same table; failures are kept in their place.

    Args:
        table: the capture table.
        names: registry names, in the order to report them.
        seed: passed to every method (each draws its own stream from it).
        confidence: nominal coverage for every interval.
        options: per-method settings, ``{"lcmcr": {"K": 5}}``.

    Returns:
        One entry per name: the fit, or the EstimationError that method raised.
    """
    check_table(table)
    out: list[EstimateFit | EstimationError] = []
    for name in names:
        opts = dict((options or {}).get(name, {}))
        try:
            out.append(
                fit_method(name, table, seed=seed, confidence=confidence, **opts)
            )
        except EstimationError as e:
            out.append(e)
    return out
