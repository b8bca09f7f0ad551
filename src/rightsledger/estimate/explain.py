"""Plain-language summaries of a fit, for negotiators rather than statisticians.

:func:`plain_summary` says what the number is, what its interval means (a
credible interval for the Bayesian methods, a confidence interval for the others,
a lower bound for Chao's), and which assumptions it rests on, in plain words.
:func:`spread_summary` says how far several methods disagree on the same lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from rightsledger.errors import EstimationError

from .results import EstimateFit

__all__ = [
    "BAYESIAN",
    "LOWER_BOUND",
    "base_method",
    "plain_summary",
    "spread_summary",
]

#: Methods whose interval is a Bayesian credible interval.
BAYESIAN = frozenset({"lcmcr", "dga"})
#: Methods that give a lower bound rather than an estimate of the total.
LOWER_BOUND = frozenset({"chao"})

_CLOSED = (
    "Nobody joined or left the group during the period the lists cover (a closed "
    "population); if people came and went, the number counts everyone who was "
    "ever in it during the period."
)
_LINKAGE = (
    "Records of the same person on different lists were matched correctly. "
    "Missed matches make the total too high; false matches make it too low."
)
_ASSUME: dict[str, tuple[str, ...]] = {
    "chapman": (
        "Being on the first list does not change a person's chance of being on the "
        "others (independent lists).",
        "Everyone has the same chance of being listed (no hard-to-reach group).",
    ),
    "loglinear": (
        "Lists may depend on each other, but only in the pairs the chosen model "
        "includes; the model was picked by BIC from many, and other good models "
        "can give other numbers.",
        "Differences between people in how easily they are listed are only "
        "captured as far as the list pairs in the model reflect them.",
    ),
    "stepwise": (
        "Lists may depend on each other in the pairs the stepwise search added; "
        "pairs it left out are assumed independent.",
        "Differences between people are only captured through those pairs.",
    ),
    "lcmcr": (
        "People fall into a few hidden groups that differ in how likely each list "
        "is to record them (modelled heterogeneity); within a group, lists are "
        "independent. This also absorbs much of the dependence between lists.",
        "The result depends on the sampler having settled: check that the chains "
        "agree (R-hat close to 1).",
    ),
    "dga": (
        "Lists may depend on each other in any pattern a decomposable graph can "
        "describe; the answer averages over all such patterns, weighted by how "
        "well each fits.",
        "Differences between people are captured only through list dependence.",
    ),
    "chao": (
        "It uses mainly the people seen on one or two lists. It is a floor, not a "
        "best guess: the true number is probably higher, not lower.",
    ),
    "mth": (
        "Lists differ in coverage and people differ in how easily they are listed "
        "(modelled heterogeneity), in the particular form the model assumes; lists "
        "are otherwise independent.",
    ),
}


def base_method(method: str) -> str:
    """The registry name under a composite one: ``"stratified lcmcr"`` -> lcmcr."""
    return method.removeprefix("stratified ").split("+")[0].strip()


def _assumptions(method: str) -> tuple[str, ...]:
    base = base_method(method)
    key = "mth" if base.startswith("mth") else base
    extra = (
        (
            "Each stratum was estimated on its own and the totals added up; people "
            "are assumed to belong to exactly one stratum.",
        )
        if method.startswith("stratified")
        else ()
    )
    return (_CLOSED, *extra, *_ASSUME.get(key, ()), _LINKAGE)


def _interval_sentence(fit: EstimateFit) -> str:
    pct = round(fit.confidence * 100)
    lo, hi = f"{fit.lower:,.0f}", f"{fit.upper:,.0f}"
    if base_method(fit.method) in BAYESIAN:
        return (
            f"The {pct}% credible interval, {lo} to {hi}, means: given the lists and "
            f"the model, there is a {pct}% probability that the true number lies in "
            "this range."
        )
    return (
        f"The {pct}% confidence interval, {lo} to {hi}, means: if the model is "
        f"right, ranges computed this way contain the true number {pct} times in "
        "100. It is not a guarantee for this one range."
    )


def plain_summary(fit: EstimateFit) -> str:
    """What the estimate says, what its interval means and what it assumes.

    Args:
        fit: any fit from :func:`~rightsledger.estimate.methods.fit_method`.

    Returns:
        A few short paragraphs of plain text.
    """
    unseen = fit.estimate - fit.n_observed
    if base_method(fit.method) in LOWER_BOUND:
        head = (
            f"At least about {fit.estimate:,.0f} people: {fit.n_observed:,} were "
            f"seen on {len(fit.lists)} lists, and the pattern of who was seen once "
            f"or twice suggests at least {unseen:,.0f} more were never recorded."
        )
    else:
        head = (
            f"About {fit.estimate:,.0f} people in all: {fit.n_observed:,} were seen "
            f"on {len(fit.lists)} lists, and an estimated {unseen:,.0f} were never "
            "recorded on any of them."
        )
    lines = [head, _interval_sentence(fit)]
    if fit.upper == float("inf"):
        lines.append(
            "The upper end is unbounded: the lists overlap too little to rule out "
            "a much larger number."
        )
    lines.append(
        "The range covers only the chance in who got listed. It does not cover "
        "the error from wrong assumptions, which can be larger; other methods "
        "on the same lists can give quite different numbers, so compare them."
    )
    lines.append("This rests on these assumptions:")
    lines += [f"- {a}" for a in _assumptions(fit.method)]
    lines += [f"Caution: {w}" for w in fit.warnings]
    return "\n".join(lines)


def spread_summary(results: Sequence[EstimateFit | EstimationError]) -> str:
    """One paragraph on how far the methods disagree, naming the extremes."""
    fits = [r for r in results if isinstance(r, EstimateFit)]
    failed = len(results) - len(fits)
    tail = f" {failed} method(s) gave no result." if failed else ""
    totals = [f for f in fits if f.method not in LOWER_BOUND]
    if len(totals) < 2:
        return "Fewer than two methods gave an estimate of the total." + tail
    low = min(totals, key=lambda f: f.estimate)
    high = max(totals, key=lambda f: f.estimate)
    ratio = high.estimate / low.estimate if low.estimate else float("inf")
    return (
        f"The methods range from {low.estimate:,.0f} ({low.method}) to "
        f"{high.estimate:,.0f} ({high.method}), a factor of {ratio:.1f}. This "
        "spread is itself a finding: the lists alone do not settle the number, "
        "and which method is right depends on assumptions that the data cannot "
        "check." + tail
    )
