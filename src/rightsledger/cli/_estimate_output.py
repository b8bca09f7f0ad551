"""How `estimate table` prints a fit: text lines, or JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import click

from ..errors import EstimationError
from ..estimate import METHODS, EstimateFit, plain_summary, spread_summary
from ..estimate.explain import BAYESIAN, base_method

_BIG = 20  # lists longer than this are left out of --json unless --full


def num(x: float) -> str:
    return f"{x:,.0f}" if math.isfinite(x) else "unbounded"


def _jsonable(value: Any, full: bool) -> Any:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, Mapping):
        out = {str(k): _jsonable(v, full) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not _DROP}
    if isinstance(value, list | tuple):
        if len(value) > _BIG and not full:
            return _DROP
        return [_jsonable(v, full) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


_DROP = object()


def fit_json(fit: EstimateFit, *, full: bool = False) -> dict[str, Any]:
    """The JSON shape of one fit printed by ``estimate table --json``."""
    out = {
        "method": fit.method,
        "estimate": fit.estimate,
        "lower": fit.lower,
        "upper": fit.upper,
        "confidence": fit.confidence,
        "model": fit.model,
        "n_observed": fit.n_observed,
        "lists": list(fit.lists),
        "diagnostics": fit.diagnostics,
        "settings": fit.settings,
        "inputs_hash": fit.inputs_hash,
        "summary": plain_summary(fit),
    }
    result: dict[str, Any] = _jsonable(out, full)
    return result


def _diagnostic_lines(fit: EstimateFit) -> list[str]:
    lines = []
    for key, value in fit.diagnostics.items():
        if key == "warnings":
            continue
        if isinstance(value, float):
            lines.append(f"  {key}: {value:,.4g}")
        elif isinstance(value, int | str | bool) and len(str(value)) <= 60:
            lines.append(f"  {key}: {value}")
    return lines


def echo_fit(fit: EstimateFit) -> None:
    pct = round(fit.confidence * 100)
    base = base_method(fit.method)
    kind = "credible" if base in BAYESIAN else "confidence"
    entry = METHODS.get(base)
    click.echo(f"Method: {fit.method}" + (f" ({entry.description})" if entry else ""))
    click.echo(
        f"Estimate: {fit.estimate:,.0f}  ({pct}% {kind} interval "
        f"{fit.lower:,.0f} to {num(fit.upper)})"
    )
    click.echo(f"Model: {fit.model}")
    click.echo(
        f"Seen: {fit.n_observed:,} on {len(fit.lists)} lists ({', '.join(fit.lists)})"
    )
    click.echo("Diagnostics:")
    for line in _diagnostic_lines(fit):
        click.echo(line)
    click.echo("")
    click.echo(plain_summary(fit))


def echo_comparison(
    results: Sequence[EstimateFit | EstimationError], names: Sequence[str]
) -> None:
    click.echo(f"{'method':<12} {'estimate':>10} {'lower':>10} {'upper':>10}  model")
    for name, res in zip(names, results, strict=True):
        if isinstance(res, EstimateFit):
            click.echo(
                f"{name:<12} {res.estimate:>10,.0f} {res.lower:>10,.0f} "
                f"{num(res.upper):>10}  {res.model}"
            )
        else:
            click.echo(f"{name:<12} {'-':>10} {'-':>10} {'-':>10}  failed: {res}")
    click.echo("")
    click.echo(spread_summary(results))
