"""The scorecard report: one pure context, three renderers (HTML, Markdown, terminal).

``scorecard_context`` turns a catalogue, dated assessments, observations, sources and
estimates into a plain dict; ``render_html``, ``render_markdown`` and
``render_terminal`` show that dict. The scorecard never receives person-level records.

The negotiation brief and the public scorecard (``rightsledger report``) extend
that dict: :mod:`.brief_context`, :mod:`.brief_public` (the public rules),
:mod:`.brief` (render and write), :mod:`.charts` and :mod:`.pdf`. Import them
directly; this package does not, so that importing it does not load matplotlib.
"""

from .context import scorecard_context
from .render import render_html, render_markdown, render_terminal

__all__ = ["scorecard_context", "render_html", "render_markdown", "render_terminal"]
