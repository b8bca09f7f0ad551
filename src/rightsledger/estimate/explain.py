"""Plain-language summaries of a fit, for negotiators rather than statisticians.

:func:`plain_summary` says what the number is, what its interval means (a
credible interval for the Bayesian methods, a confidence interval for the others,
a lower bound for Chao's), and which assumptions it rests on, in plain words.
:func:`spread_summary` says how far several methods disagree on the same lists.
Both speak English or Korean; the sentences live in :mod:`.wording`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rightsledger.errors import EstimationError

from .results import EstimateFit
from .wording import Wording, wording

__all__ = [
    "BAYESIAN",
    "LOWER_BOUND",
    "base_method",
    "plain_summary",
    "spread_summary",
    "suppressed_head",
]

#: Methods whose interval is a Bayesian credible interval.
BAYESIAN = frozenset({"lcmcr", "dga"})
#: Methods that give a lower bound rather than an estimate of the total.
LOWER_BOUND = frozenset({"chao"})


def base_method(method: str) -> str:
    """The registry name under a composite one: ``"stratified lcmcr"`` -> lcmcr."""
    return method.removeprefix("stratified ").split("+")[0].strip()


def _assumptions(method: str, words: Wording) -> tuple[str, ...]:
    base = base_method(method)
    key = "mth" if base.startswith("mth") else base
    extra = (words.stratified,) if method.startswith("stratified") else ()
    return (words.closed, *extra, *words.assume.get(key, ()), words.linkage)


def _interval_sentence(fit: EstimateFit, words: Wording) -> str:
    template = (
        words.credible if base_method(fit.method) in BAYESIAN else words.confidence
    )
    return template.format(
        pct=round(fit.confidence * 100),
        lower=f"{fit.lower:,.0f}",
        upper=f"{fit.upper:,.0f}",
    )


def plain_summary(fit: EstimateFit, lang: str = "en") -> str:
    """What the estimate says, what its interval means and what it assumes.

    Args:
        fit: any fit from :func:`~rightsledger.estimate.methods.fit_method`.
        lang: ``"en"`` or ``"ko"`` (see :mod:`.wording`); the fit's own warnings
            are quoted as they are.

    Returns:
        A few short paragraphs of plain text, one per line; assumptions start
        with ``"- "``.
    """
    words = wording(lang)
    lower_bound = base_method(fit.method) in LOWER_BOUND
    head = words.head_lower_bound if lower_bound else words.head_total
    lines = [
        head.format(
            estimate=f"{fit.estimate:,.0f}",
            observed=f"{fit.n_observed:,}",
            lists=len(fit.lists),
            unseen=f"{fit.estimate - fit.n_observed:,.0f}",
        ),
        _interval_sentence(fit, words),
    ]
    if fit.upper == float("inf"):
        lines.append(words.unbounded)
    lines.append(words.range_covers)
    lines.append(words.rests_on)
    lines += [f"- {a}" for a in _assumptions(fit.method, words)]
    lines += [words.caution.format(warning=w) for w in fit.warnings]
    return "\n".join(lines)


def suppressed_head(fit: EstimateFit, threshold: str, lang: str = "en") -> str:
    """The summary's first sentence when the number seen is below the small-cell
    threshold and must not be shown (``threshold`` as it is shown)."""
    return wording(lang).head_suppressed.format(
        estimate=f"{fit.estimate:,.0f}", lists=len(fit.lists), threshold=threshold
    )


def spread_summary(
    results: Sequence[EstimateFit | EstimationError], lang: str = "en"
) -> str:
    """One paragraph on how far the methods disagree, naming the extremes."""
    words = wording(lang)
    fits = [r for r in results if isinstance(r, EstimateFit)]
    failed = len(results) - len(fits)
    tail = words.spread_failed.format(failed=failed) if failed else ""
    totals = [f for f in fits if f.method not in LOWER_BOUND]
    if len(totals) < 2:
        return words.spread_too_few + tail
    low = min(totals, key=lambda f: f.estimate)
    high = max(totals, key=lambda f: f.estimate)
    ratio = high.estimate / low.estimate if low.estimate else float("inf")
    return (
        words.spread.format(
            low=f"{low.estimate:,.0f}",
            low_method=low.method,
            high=f"{high.estimate:,.0f}",
            high_method=high.method,
            ratio=f"{ratio:.1f}",
        )
        + tail
    )
