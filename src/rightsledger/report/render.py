"""Render a scorecard context (see :mod:`rightsledger.report.context`) as HTML,
Markdown or a rich terminal table.

The HTML page is one self-contained file: inline CSS, no scripts, no network assets,
printable. Every user-supplied string is escaped (Jinja2 autoescape for HTML, a
Markdown escape filter for Markdown, :class:`rich.text.Text` for the terminal).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Terminal styles per status; the status text is always printed too.
_TERMINAL_STYLES: dict[str, str] = {
    "no-progress": "bold white on grey35",
    "claimed": "bold black on yellow",
    "partial": "bold white on blue",
    "verified": "bold white on green4",
    "contested": "bold white on magenta",
    "regressed": "bold white on red3",
}

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|])")


def _md_escape(value: object) -> str:
    """Escape text for a Markdown table cell or paragraph (one line, no raw HTML)."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_code(value: object) -> str:
    """Wrap text in a Markdown code span (backticks inside are replaced)."""
    text = " ".join(("" if value is None else str(value)).split())
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


@cache
def _environment() -> Environment:
    """The Jinja2 environment: autoescape on for ``*.html.j2``, off for Markdown."""
    env = Environment(
        loader=PackageLoader("rightsledger.report", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html.j2", "html"), default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    env.filters["mdcode"] = _md_code
    return env


def render_html(context: Mapping[str, Any]) -> str:
    """Render the scorecard as one self-contained, printable HTML page.

    Args:
        context: The dict returned by :func:`scorecard_context`.

    Returns:
        The page as a string (UTF-8 text, inline CSS, no external assets).

    Examples:
        >>> Path("scorecard.html").write_text(render_html(ctx), encoding="utf-8")
    """
    return _environment().get_template("scorecard.html.j2").render(**context)


def render_markdown(context: Mapping[str, Any]) -> str:
    """Render the scorecard as Markdown, for briefs and terminals.

    Args:
        context: The dict returned by :func:`scorecard_context`.

    Returns:
        Markdown text; user-supplied strings are escaped so they cannot inject HTML
        or break a table.
    """
    return _environment().get_template("scorecard.md.j2").render(**context)


def _status_text(status: str | None, *, simulated: bool = False) -> Text:
    if status is None:
        return Text("not assessed", style="dim")
    text = Text(f" {status} ", style=_TERMINAL_STYLES.get(status, "bold"))
    if simulated:
        text.append(" SIM", style="bold magenta")
    return text


def _trend_text(trend: list[dict[str, Any]]) -> str:
    """Trend as short codes, simulated dates marked with ``*`` (e.g. ``NP NP CL*``)."""
    return " ".join(f"{c['code']}{'*' if c['simulated'] else ''}" for c in trend)


def _change_text(change: Mapping[str, Any] | None) -> str:
    if change is None:
        return "no change"
    return f"{change['date']}\n{change['from']} -> {change['to']}"


def _sim_marker(row: Mapping[str, Any]) -> Text:
    """``SIM`` when the status rests on simulated evidence, ``date*`` when only its
    date lies in the simulated period, ``real`` otherwise."""
    if row["simulated"]:
        return Text("SIM", style="bold magenta")
    return Text("date*", style="magenta") if row["simulated_date"] else Text("real")


def _benchmark_table(context: Mapping[str, Any], width: int) -> Table:
    """The benchmark table; on consoles narrower than 140 columns the sources and
    the last-change column are left out (they are in the HTML and Markdown)."""
    wide, narrow = width >= 140, width < 110
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        title=Text(str(context["title"])),
        caption=Text(
            f"as of {context['as_of']} · real until {context['real_until']} "
            "· trend: one code per date, the first is the real status, * = simulated · "
            "sim: SIM = rests on simulated evidence"
        ),
        show_lines=False,
    )
    bench_width = 30 if narrow else 44
    table.add_column(
        "benchmark", no_wrap=True, overflow="ellipsis", max_width=bench_width
    )
    table.add_column("status", no_wrap=True, min_width=13)
    if not narrow:
        table.add_column("standard", no_wrap=not wide, max_width=20)
    if not narrow:  # on narrow consoles the first trend code is the real status
        table.add_column(f"real {context['real_until']}", no_wrap=True, min_width=13)
    trend_width = max(
        (len(_trend_text(b["trend"])) for b in context["benchmarks"]), default=5
    )
    table.add_column("trend", no_wrap=True, min_width=trend_width)
    if wide:
        table.add_column("last change")
    table.add_column("sim", justify="center", no_wrap=True, min_width=5)
    for b in context["benchmarks"]:
        real = _status_text(b["real_status"])
        if wide and b["real_sources"]:
            real.append(" " + ", ".join(b["real_sources"]), style="dim")
        cells = [
            Text(b["id"] if not wide else f"{b['id']}\n{b['title']}"),
            _status_text(b["status"]),
            *([] if narrow else [Text(b["standard"] or "-"), real]),
            Text(_trend_text(b["trend"])),
        ]
        if wide:
            cells.append(Text(_change_text(b["last_change"])))
        table.add_row(*cells, _sim_marker(b))
    return table


def render_terminal(context: Mapping[str, Any], console: Console) -> None:
    """Print the scorecard to a rich console: a benchmark table and status counts.

    Args:
        context: The dict returned by :func:`scorecard_context`.
        console: Where to print, e.g. ``Console()`` or ``Console(record=True)``.
    """
    if context["has_simulated"]:
        console.print(
            Text(
                f"Statuses up to {context['real_until']} come from the real, sourced "
                "catalogue; later ones (marked SIM / *) come from a simulated "
                "scenario.",
                style="bold magenta",
            )
        )
        if context["scenario_note"]:
            console.print(Text(str(context["scenario_note"]), style="magenta"))
    console.print(_benchmark_table(context, console.width))
    counts = Text("Counts at the current date: ")
    for c in context["counts"]:
        counts.append(
            f"{c['status']} {c['count']}", style=_TERMINAL_STYLES[c["status"]]
        )
        counts.append("  ")
    if context["unassessed"]:
        counts.append(f"not assessed {context['unassessed']}")
    console.print(counts)
    codes = ", ".join(
        f"{s['code']} = {s['value']}" for s in context["legend"]["statuses"]
    )
    console.print(Text(f"Trend codes: {codes}", style="dim"))
