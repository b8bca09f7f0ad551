"""Figures of fits, written as image files (this module is estimate's I/O edge).

- :func:`plot_estimate`: for a Bayesian fit, the posterior of the total (histogram
  of ``diagnostics["posterior_sample"]``, or the grid ``diagnostics["posterior"]``)
  with the interval shaded; for any other fit, the estimate and its interval.
- :func:`plot_comparison`: a forest plot of several methods or models on the same
  lists, with the number seen marked, so the spread is visible at a glance.

Figures are built on :class:`matplotlib.figure.Figure` with the Agg canvas: no
pyplot, no global figure state, no display needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rightsledger.errors import EstimationError

from .results import EstimateFit

__all__ = ["plot_comparison", "plot_estimate", "posterior_of"]

_Posterior = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]


def posterior_of(fit: EstimateFit) -> _Posterior | None:
    """The posterior of N as ``(values, weights)``, or None if the fit has none.

    Reads ``diagnostics["posterior_sample"]`` (draws, equal weights) or
    ``diagnostics["posterior"]`` (a grid: a mapping with values and probabilities,
    or an array of ``(N, probability)`` pairs).
    """
    sample = fit.diagnostics.get("posterior_sample")
    if sample is not None and len(sample):
        values = np.asarray(sample, dtype=float).ravel()
        return values, np.full(values.size, 1.0 / values.size)
    grid = fit.diagnostics.get("posterior")
    if grid is None:
        return None
    if isinstance(grid, Mapping):
        keys = list(grid)
        vkey = next(
            (k for k in keys if str(k).lower() in ("n", "values", "grid")), None
        )
        pkey = next((k for k in keys if k != vkey), None)
        if vkey is None or pkey is None:
            return None
        values, probs = np.asarray(grid[vkey], float), np.asarray(grid[pkey], float)
    else:
        arr = np.asarray(grid, dtype=float)
        if arr.ndim != 2 or 2 not in arr.shape:
            return None
        pairs = arr if arr.shape[1] == 2 else arr.T
        values, probs = pairs[:, 0], pairs[:, 1]
    total = probs.sum()
    return (values, probs / total) if total > 0 else None


def _save(fig: Figure, path: Path | str) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    return out


def plot_estimate(fit: EstimateFit, path: Path | str) -> Path:
    """Draw one fit: the posterior with its interval shaded, or estimate and interval.

    Args:
        fit: the fit to draw.
        path: image file to write (the suffix picks the format, e.g. ``.png``).

    Returns:
        The path written.
    """
    fig = Figure(figsize=(7, 3.6))
    ax = fig.add_subplot()
    posterior = posterior_of(fit)
    pct = round(fit.confidence * 100)
    kind = "credible" if posterior is not None else "confidence"
    if posterior is not None:
        values, weights = posterior
        if "posterior_sample" in fit.diagnostics:
            ax.hist(values, bins=60, weights=weights, color="#5b7fa6")
        else:
            ax.plot(values, weights, color="#5b7fa6")
        ax.set_ylabel("posterior probability")
    else:
        ax.errorbar([fit.estimate], [0.5], xerr=_xerr(fit), fmt="o", capsize=6)
        ax.set_yticks([])
    if math.isfinite(fit.upper):
        ax.axvspan(
            fit.lower,
            fit.upper,
            color="#f0b050",
            alpha=0.3,
            label=f"{pct}% {kind} interval",
        )
    ax.axvline(fit.estimate, color="#333333", label=f"estimate {fit.estimate:,.0f}")
    ax.axvline(
        fit.n_observed, color="#a33", linestyle=":", label=f"seen {fit.n_observed:,}"
    )
    ax.set_xlabel("total number of people (seen and unseen)")
    ax.set_title(f"{fit.method}: {fit.model}", fontsize=9)
    ax.legend(fontsize=8, loc="upper right")
    return _save(fig, path)


def _xerr(fit: EstimateFit) -> list[list[float]]:
    upper = fit.upper if math.isfinite(fit.upper) else fit.estimate * 3
    return [[fit.estimate - fit.lower], [upper - fit.estimate]]


def plot_comparison(
    results: Sequence[EstimateFit | EstimationError],
    path: Path | str,
    *,
    labels: Sequence[str] | None = None,
) -> Path:
    """Forest plot: each method's (or model's) estimate and interval on one axis.

    Args:
        results: fits, or the errors of the methods that failed (shown as such).
        path: image file to write.
        labels: one label per result; default the method name.

    Returns:
        The path written.

    Raises:
        EstimationError: if no result is a fit.
    """
    fits = [r for r in results if isinstance(r, EstimateFit)]
    if not fits:
        raise EstimationError("nothing to plot: every method failed")
    names = (
        list(labels)
        if labels
        else [
            r.method if isinstance(r, EstimateFit) else f"failed #{i + 1}"
            for i, r in enumerate(results)
        ]
    )
    fig = Figure(figsize=(7, 0.5 * len(results) + 1.4))
    ax = fig.add_subplot()
    cap = max(f.upper if math.isfinite(f.upper) else f.estimate for f in fits) * 1.1
    for row, res in enumerate(results):
        y = len(results) - row
        if isinstance(res, EstimateFit):
            hi = res.upper if math.isfinite(res.upper) else cap
            ax.plot([res.lower, hi], [y, y], color="#5b7fa6", linewidth=2)
            ax.plot([res.estimate], [y], "o", color="#333333")
            ax.annotate(
                f"{res.estimate:,.0f}",
                (res.estimate, y),
                textcoords="offset points",
                xytext=(0, 5),
                fontsize=7,
            )
        else:
            ax.annotate(
                "no result",
                (fits[0].n_observed, y),
                fontsize=7,
                color="#a33",
                va="center",
            )
    ax.set_yticks(range(len(results), 0, -1), names)
    ax.axvline(
        fits[0].n_observed,
        color="#a33",
        linestyle=":",
        label=f"seen {fits[0].n_observed:,}",
    )
    ax.set_xlabel("total number of people (estimate and interval)")
    ax.legend(fontsize=8, loc="lower right")
    return _save(fig, path)
