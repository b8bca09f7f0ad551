"""Small builders shared by the assessment tests."""

from __future__ import annotations

from rightsledger.domain import Reliability, Source, SourceKind


def src(
    sid: str, kind: SourceKind, owner: str, rel: Reliability = Reliability.B
) -> Source:
    """A source whose title is its id, with no publication date."""
    return Source(sid, kind, sid, owner, rel, None)
