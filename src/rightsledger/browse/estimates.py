"""The stored population estimates, as the estimates page shows them to a role.

Each estimate comes with its interval, model, diagnostics and warnings, and the
plain-language summary of :func:`rightsledger.estimate.plain_summary` (what the
number is, what its interval means, which assumptions it rests on). What a role
may not see is left out or masked:

- the number of people seen is shown only as ``<N`` below the small-cell
  threshold to anyone but an investigator, and the summary's first sentence
  (which states it, and lets it be worked out from the unseen count) is
  replaced by one that does not;
- the lists an estimate was built from are named only when the reader may see
  the source (viewers: public sources); the others are counted.

:func:`posterior_svg` draws the posterior of a Bayesian estimate as SVG text in
memory, for the page to embed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

from ..access import Permission
from ..domain import EstimateResult, Origin
from ..estimate import EstimateFit, plain_summary
from ..estimate.explain import BAYESIAN, LOWER_BOUND, base_method, suppressed_head
from ..estimate.plot import posterior_of
from ..ledger import Ledger
from ..report.brief_context import masked

__all__ = ["as_fit", "estimates_view", "find", "posterior_svg"]

#: Diagnostics shown as such (the rest are structured, or shown elsewhere).
_SKIP = frozenset(
    {"warnings", "model", "settings", "inputs_hash", "software_version", "origin"}
)


def as_fit(e: EstimateResult) -> EstimateFit:
    """A stored estimate as the fit it came from (for the summary and the plot)."""
    d = e.diagnostics
    settings = d.get("settings")
    return EstimateFit(
        estimate=e.estimate,
        lower=e.lower,
        upper=e.upper,
        confidence=e.confidence,
        method=e.method,
        model=str(d.get("model", "")),
        n_observed=e.observed,
        lists=e.lists,
        diagnostics=dict(d),
        inputs_hash=str(d.get("inputs_hash", "")),
        settings=dict(settings) if isinstance(settings, Mapping) else {},
    )


def _number(x: float) -> int | None:
    """A rounded number for the page, None when unbounded (JSON has no infinity)."""
    return round(x) if math.isfinite(x) else None


def _interval_kind(method: str) -> str:
    base = base_method(method)
    if base in LOWER_BOUND:
        return "lower bound"
    return "credible" if base in BAYESIAN else "confidence"


def _diagnostics(d: Mapping[str, Any]) -> list[dict[str, str]]:
    """The scalar diagnostics (numbers, flags, short words), formatted."""
    out = []
    for key, value in d.items():
        if key in _SKIP:
            continue
        if isinstance(value, bool) or (isinstance(value, str) and len(value) <= 80):
            out.append({"name": key, "value": str(value)})
        elif isinstance(value, int | float) and math.isfinite(value):
            out.append({"name": key, "value": f"{value:,.4g}"})
    return out


def _summary(
    fit: EstimateFit, shown_observed: str, suppressed: bool, lang: str
) -> list[str]:
    """The plain summary as lines; its first sentence rewritten when suppressed."""
    lines = plain_summary(fit, lang).split("\n")
    if suppressed:
        lines[0] = suppressed_head(fit, shown_observed.lstrip("<"), lang)
    return lines


def _is_simulated(e: EstimateResult, real_until: date) -> bool:
    flagged = e.diagnostics.get("origin") == Origin.SIMULATED.value or bool(
        e.diagnostics.get("simulated", False)
    )
    return flagged or (e.as_of is not None and e.as_of > real_until)


def _row(
    n: int,
    e: EstimateResult,
    *,
    small_cell: int,
    visible: frozenset[str],
    real_until: date,
    lang: str,
) -> dict[str, Any]:
    fit = as_fit(e)
    suppressed = small_cell > 0 and e.observed < small_cell
    observed = masked(e.observed, small_cell) if suppressed else f"{e.observed:,}"
    named = [s for s in e.lists if s in visible]
    return {
        "n": n,
        "population": e.population,
        "method": e.method,
        "model": fit.model,
        "estimate": _number(e.estimate),
        "lower": _number(e.lower),
        "upper": _number(e.upper),
        "unbounded": not math.isfinite(e.upper),
        "confidence": round(e.confidence * 100),
        "interval_kind": _interval_kind(e.method),
        "observed": observed,
        "observed_suppressed": suppressed,
        "lists": named,
        "lists_withheld": len(e.lists) - len(named),
        "as_of": e.as_of.isoformat() if e.as_of else None,
        "simulated": _is_simulated(e, real_until),
        "warnings": [str(w) for w in fit.warnings],
        "diagnostics": _diagnostics(e.diagnostics),
        "summary": _summary(fit, observed, suppressed, lang),
        # a posterior starts near the number seen: not drawn when that is masked
        "has_posterior": not suppressed and posterior_of(fit) is not None,
    }


def estimates_view(ledger: Ledger, lang: str = "en") -> dict[str, Any]:
    """Every estimate of the latest estimation run, as the acting user may see it.

    Args:
        ledger: The ledger acting as the reader.
        lang: Language of the plain-language summaries (``"en"``, ``"ko"``).

    Returns:
        ``{"estimates": [...], "small_cell": N, "masked": bool, "real_until":
        date}``; each estimate with ``population``, ``method``, ``model``,
        ``estimate``, ``lower``, ``upper`` (None when unbounded), ``observed``
        (a string, ``<N`` when masked), ``lists`` (visible ones),
        ``lists_withheld``, ``warnings``, ``diagnostics``, ``summary`` (lines)
        and ``has_posterior``.

    Raises:
        Forbidden: the actor may not read public results.
    """
    ledger.require(Permission.READ_PUBLIC, "estimates")
    results = ledger.estimates()
    sees_all = ledger.actor.may(Permission.READ_IDENTITIES)
    small_cell = 0 if sees_all else ledger.settings.small_cell_threshold
    visible = frozenset(ledger.sources())
    real_until = ledger.now().date()
    rows = [
        _row(
            n,
            e,
            small_cell=small_cell,
            visible=visible,
            real_until=real_until,
            lang=lang,
        )
        for n, e in enumerate(results, start=1)
    ]
    return {
        "estimates": rows,
        "small_cell": ledger.settings.small_cell_threshold,
        "masked": not sees_all,
        "real_until": real_until.isoformat(),
        "has_simulated": any(r["simulated"] for r in rows),
    }


_WORDS = {
    "en": ("posterior probability", "total number of people (seen and unseen)"),
    "ko": ("사후 확률", "전체 인원 (확인된 사람과 확인되지 않은 사람)"),
}


@contextmanager
def _style() -> Iterator[None]:
    """Deterministic SVG with text as outlines (CJK glyphs when installed)."""
    installed = {f.name for f in fontManager.ttflist}
    families = [f for f in ("Noto Sans CJK KR", "DejaVu Sans") if f in installed]
    with mpl.rc_context(
        {
            "svg.fonttype": "path",
            "svg.hashsalt": "rightsledger",
            "font.family": families or ["sans-serif"],
            "font.size": 8,
        }
    ):
        yield


def posterior_svg(e: EstimateResult, *, lang: str = "en") -> str | None:
    """The posterior of the total with its interval shaded, as SVG text.

    Args:
        e: A stored estimate; only Bayesian ones carry a posterior.
        lang: ``"en"`` or ``"ko"`` for the axis labels.

    Returns:
        An SVG document, or None when the estimate has no posterior. No count of
        people seen is drawn, so the plot is safe to show to every role.
    """
    fit = as_fit(e)
    posterior = posterior_of(fit)
    if posterior is None:
        return None
    values, weights = posterior
    ylabel, xlabel = _WORDS.get(lang, _WORDS["en"])
    with _style():
        fig = Figure(figsize=(5.6, 2.4))
        ax = fig.add_subplot()
        if "posterior_sample" in fit.diagnostics:
            ax.hist(values, bins=50, weights=weights, color="#5b7fa6")
        else:
            ax.plot(values, weights, color="#5b7fa6")
        if math.isfinite(fit.upper):
            ax.axvspan(fit.lower, fit.upper, color="#f0b050", alpha=0.3)
        ax.axvline(fit.estimate, color="#1b1f24", linewidth=1.2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig)


def _svg(fig: Figure) -> str:
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def find(results: Sequence[EstimateResult], n: int) -> EstimateResult | None:
    """The ``n``-th estimate (1-based, the order of :func:`estimates_view`)."""
    return results[n - 1] if 1 <= n <= len(results) else None
