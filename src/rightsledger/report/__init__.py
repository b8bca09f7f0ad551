"""The scorecard report: one pure context, three renderers (HTML, Markdown, terminal).

``scorecard_context`` turns a catalogue, dated assessments, observations, sources and
estimates into a plain dict; ``render_html``, ``render_markdown`` and
``render_terminal`` show that dict. The scorecard never receives person-level records.
"""

from .context import scorecard_context
from .render import render_html, render_markdown, render_terminal

__all__ = ["scorecard_context", "render_html", "render_markdown", "render_terminal"]
