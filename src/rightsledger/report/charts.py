"""Charts for the reports and the web app, as SVG text.

Two charts, each a pure function from plain rows (the dicts of
:func:`rightsledger.report.scorecard_context`) to an SVG string:

- :func:`status_timeline_svg`: one benchmark's status at each timeline date, real
  dates drawn as filled markers, simulated dates as hollow ones on a hatched band;
- :func:`estimates_svg`: each estimate's point and interval (a forest plot), real
  estimates solid, simulated ones hollow and dashed.

Text is drawn as glyph outlines (``svg.fonttype = "path"``), so an SVG needs no font
where it is shown: Korean labels look the same in a browser, in WeasyPrint's PDF
and in an image viewer. The glyphs come from "Noto Sans CJK KR" when it is
installed (Debian: ``fonts-noto-cjk``), else from matplotlib's DejaVu Sans (which
has no Hangul). Output is deterministic: a fixed ``svg.hashsalt``, no date or
creator in the metadata, no global pyplot state.

Data strings reach the SVG only as glyph outlines and as XML comments, which
matplotlib escapes; the SVG holds no script. The HTML reports embed it with
:func:`svg_data_uri` in an ``<img>``, where a browser would not run a script anyway.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

from rightsledger.domain import Status

from .brief_text import status_name

__all__ = [
    "STATUS_COLOURS",
    "STATUS_ORDER",
    "estimates_svg",
    "status_timeline_svg",
    "svg_data_uri",
]

#: Statuses from worst to best: the y axis of the status timeline.
STATUS_ORDER: tuple[Status, ...] = (
    Status.REGRESSED,
    Status.NO_PROGRESS,
    Status.CLAIMED,
    Status.CONTESTED,
    Status.PARTIAL,
    Status.VERIFIED,
)

#: Marker colours per status (the darker tone of the HTML badges).
STATUS_COLOURS: dict[str, str] = {
    "no-progress": "#4b5563",
    "claimed": "#b45309",
    "partial": "#1d4ed8",
    "verified": "#15803d",
    "contested": "#7e22ce",
    "regressed": "#b91c1c",
}

_SIM = "#8a1c7c"
_REAL = "#0b5d2a"
_INK = "#1b1f24"

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "simulated": "simulated",
        "real": "real",
        "no-data": "not assessed",
        "estimate": "estimated total (interval)",
        "none": "no estimates",
    },
    "ko": {
        "simulated": "모의",
        "real": "실제",
        "no-data": "평가 없음",
        "estimate": "추정 총계 (구간)",
        "none": "추정치 없음",
    },
}


@cache
def _families() -> tuple[str, ...]:
    """Installed font families to draw with: CJK first when present."""
    installed = {f.name for f in fontManager.ttflist}
    wanted = ("Noto Sans CJK KR", "DejaVu Sans")
    return tuple(f for f in wanted if f in installed) or ("sans-serif",)


@contextmanager
def _style() -> Iterator[None]:
    """Deterministic SVG output with text as outlines, without touching the
    process-wide rcParams outside the block."""
    with mpl.rc_context(
        {
            "svg.fonttype": "path",
            "svg.hashsalt": "rightsledger",
            "font.family": list(_families()),
            "font.size": 8,
            "axes.edgecolor": "#57606a",
            "axes.linewidth": 0.6,
            "xtick.color": _INK,
            "ytick.color": _INK,
        }
    ):
        yield


def _svg(fig: Figure) -> str:
    """The figure as SVG text, without metadata that changes between runs."""
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        metadata={"Date": None, "Creator": None},
        bbox_inches="tight",
        pad_inches=0.04,
    )
    return buf.getvalue()


def _status_label(status: Status | str, lang: str) -> str:
    value = Status(status).value
    return status_name(value, lang) if lang == "ko" else value


def status_timeline_svg(
    benchmark_row: Mapping[str, Any],
    dates: Sequence[Mapping[str, Any]],
    *,
    lang: str = "en",
) -> str:
    """One benchmark's status over the timeline dates, as an SVG string.

    Args:
        benchmark_row: One entry of the scorecard context's ``benchmarks``; only its
            ``trend`` is read (a list of ``{"date", "status", "simulated"}``, where
            ``status`` may be None for "not assessed").
        dates: The scorecard context's ``dates`` (``{"date", "simulated"}`` each),
            the x axis; simulated dates lie on a hatched band.
        lang: ``"en"`` or ``"ko"`` for the axis labels.

    Returns:
        An SVG document (text drawn as outlines; no fonts needed to show it).

    Examples:
        >>> svg = status_timeline_svg(ctx["benchmarks"][0], ctx["dates"])
        >>> svg.startswith("<?xml")
        True
    """
    words = _WORDS.get(lang, _WORDS["en"])
    xs = list(range(len(dates)))
    level = {s.value: n for n, s in enumerate(STATUS_ORDER)}
    cells = {c["date"]: c for c in benchmark_row.get("trend", ())}
    with _style():
        fig = Figure(figsize=(5.6, 1.9))
        ax = fig.add_subplot()
        _simulated_band(ax, dates, words["simulated"])
        points = [(x, cells.get(d["date"])) for x, d in zip(xs, dates, strict=True)]
        known = [(x, c) for x, c in points if c and c.get("status")]
        if known:
            ax.step(
                [x for x, _ in known],
                [level[c["status"]] for _, c in known],
                where="post",
                color="#9ca3af",
                linewidth=1,
                zorder=1,
            )
        for x, c in known:
            simulated = bool(c.get("simulated"))
            colour = STATUS_COLOURS.get(c["status"], _INK)
            ax.scatter(
                [x],
                [level[c["status"]]],
                s=46,
                marker="o",
                facecolors="white" if simulated else colour,
                edgecolors=colour,
                linewidths=1.6,
                zorder=3,
            )
        ax.set_yticks(range(len(STATUS_ORDER)))
        ax.set_yticklabels([_status_label(s, lang) for s in STATUS_ORDER])
        ax.set_ylim(-0.6, len(STATUS_ORDER) - 0.4)
        ax.set_xticks(xs)
        ax.set_xticklabels([d["date"] for d in dates], rotation=0, fontsize=6.5)
        ax.set_xlim(-0.5, max(len(dates) - 0.5, 0.5))
        ax.grid(axis="y", color="#e5e7eb", linewidth=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        if not known:
            ax.text(0.5, 0.5, words["no-data"], transform=ax.transAxes, ha="center")
        return _svg(fig)


def _simulated_band(ax: Any, dates: Sequence[Mapping[str, Any]], label: str) -> None:
    """Hatch the part of the x axis where the dates are simulated."""
    first = next((n for n, d in enumerate(dates) if d.get("simulated")), None)
    if first is None:
        return
    ax.axvspan(
        first - 0.5,
        len(dates) - 0.5,
        facecolor="#fbf1fa",
        edgecolor=_SIM,
        hatch="///",
        linewidth=0,
        alpha=0.45,
        zorder=0,
    )
    ax.text(
        first - 0.45,
        len(STATUS_ORDER) - 0.55,
        label,
        color=_SIM,
        fontsize=7,
        va="top",
        fontweight="bold",
    )


def estimates_svg(
    estimate_rows: Sequence[Mapping[str, Any]], *, lang: str = "en"
) -> str:
    """Each estimate's point and interval, one row per estimate, as an SVG string.

    Args:
        estimate_rows: The scorecard context's ``estimates``: dicts with
            ``population``, ``method``, ``estimate``, ``lower``, ``upper``,
            ``confidence`` (percent), ``as_of`` (ISO date or None) and
            ``simulated``. Rows whose numbers are None are skipped.
        lang: ``"en"`` or ``"ko"`` for the axis label.

    Returns:
        An SVG document; with no drawable row, a small chart saying so.

    Examples:
        >>> estimates_svg([{"population": "camp-15", "method": "loglinear",
        ...     "estimate": 120, "lower": 90, "upper": 200, "confidence": 95,
        ...     "as_of": "2024-12-31", "simulated": False}])[:5]
        '<?xml'
    """
    words = _WORDS.get(lang, _WORDS["en"])
    rows = [r for r in estimate_rows if _drawable(r)]
    with _style():
        fig = Figure(figsize=(5.6, 0.7 + 0.32 * max(len(rows), 1)))
        ax = fig.add_subplot()
        if not rows:
            ax.set_axis_off()
            ax.text(0.5, 0.5, words["none"], transform=ax.transAxes, ha="center")
            return _svg(fig)
        ys = list(range(len(rows)))[::-1]
        for y, r in zip(ys, rows, strict=True):
            _interval(ax, y, r)
        ax.set_yticks(ys)
        ax.set_yticklabels([_row_label(r) for r in rows], fontsize=6.5)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(left=0)
        ax.set_xlabel(words["estimate"])
        ax.xaxis.set_major_formatter(
            mpl.ticker.FuncFormatter(lambda v, _pos: f"{v:,.0f}")
        )
        ax.grid(axis="x", color="#e5e7eb", linewidth=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig)


def _drawable(row: Mapping[str, Any]) -> bool:
    return all(
        isinstance(row.get(k), int | float) for k in ("estimate", "lower", "upper")
    )


def _row_label(row: Mapping[str, Any]) -> str:
    when = f" {row['as_of']}" if row.get("as_of") else ""
    return f"{row['population']}{when} ({row['method']}, {row.get('confidence', '')}%)"


def _interval(ax: Any, y: int, row: Mapping[str, Any]) -> None:
    simulated = bool(row.get("simulated"))
    colour = _SIM if simulated else _REAL
    ax.hlines(
        y,
        row["lower"],
        row["upper"],
        colors=colour,
        linewidth=2.2,
        linestyles="dashed" if simulated else "solid",
    )
    ax.scatter(
        [row["estimate"]],
        [y],
        s=40,
        marker="D",
        facecolors="white" if simulated else colour,
        edgecolors=colour,
        linewidths=1.5,
        zorder=3,
    )


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img src>`` (base64, so no escaping is
    needed and the image cannot run a script)."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
