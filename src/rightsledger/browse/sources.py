"""Sources for the web: the list, one source with its observations and files,
and the intake forms (a source, an observation) of investigators.

The forms read their fields with the intake schemas of
:mod:`rightsledger.intake.kinds` (the same parsers and messages as a file
import) and write through :meth:`Ledger.add_evidence`, so a form and a file
are checked alike and land in one transaction, or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from ..access import Permission
from ..domain import (
    Confidentiality,
    Credibility,
    Observation,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from ..errors import InputError, InputErrors, NotFound
from ..intake import fields as f
from ..intake.kinds import OBSERVATIONS, SOURCES, Kind
from ..ledger import Ledger
from ..store import browse_rows
from .records import PAGE_SIZE, paging

__all__ = [
    "add_observation",
    "add_source",
    "form_fields",
    "observation_choices",
    "source_detail",
    "source_list",
]

#: Choices of the select fields, by field name.
_CHOICES: dict[str, type[Enum]] = {
    "kind": SourceKind,
    "reliability": Reliability,
    "confidentiality": Confidentiality,
    "stance": Stance,
    "credibility": Credibility,
}
_LONG = {"summary", "citation"}
_LABELS = {
    "id": "Id",
    "kind": "Kind",
    "title": "Title",
    "owner": "Owner",
    "reliability": "Reliability",
    "published_on": "Published on",
    "confidentiality": "Confidentiality",
    "citation": "Citation",
    "source_id": "Source",
    "indicator_key": "Indicator",
    "observed_on": "Observed on",
    "stance": "Stance",
    "credibility": "Credibility",
    "summary": "Summary",
    "facility_id": "Facility",
    "value": "Value",
}


def _source_row(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind.value,
        "reliability": s.reliability.value,
        "owner": s.owner,
        "published_on": s.published_on.isoformat() if s.published_on else None,
        "confidentiality": s.confidentiality.value,
        "simulated": s.origin.value == "simulated",
        "citation": s.citation,
    }


def source_list(ledger: Ledger, page: int) -> dict[str, Any]:
    """One page of the sources the actor may see (a viewer: public ones), the
    most recent first."""
    found = sorted(
        ledger.sources().values(),
        key=lambda s: (s.published_on or date.min, s.id),
        reverse=True,
    )
    pages = paging(page, len(found))
    start = (pages["page"] - 1) * PAGE_SIZE
    rows = [_source_row(s) for s in found[start : start + PAGE_SIZE]]
    return {
        "sources": rows,
        "may_write": ledger.actor.may(Permission.WRITE_EVIDENCE),
        **pages,
    }


def source_detail(
    ledger: Ledger,
    source_id: str,
    page: int,
) -> dict[str, Any]:
    """One source with a page of its observations and, for analysts and up, its
    attached files (original names only for investigators).

    Raises:
        NotFound: no such source, or one the actor may not see.
    """
    source = ledger.sources().get(source_id)
    if source is None:
        raise NotFound(f"no source {source_id!r}")
    listed = _observation_page(ledger, source_id, page)
    files = None
    if ledger.actor.may(Permission.READ_EVIDENCE):
        files = [
            {
                "sha256": a.sha256,
                "size": a.size,
                "media_type": a.media_type,
                "original_name": a.original_name,
                "collected_by": a.collected_by,
                "collected_on": a.collected_on.isoformat() if a.collected_on else None,
                "method": a.method,
            }
            for a in ledger.attachments(source_id)
        ]
    return {
        "source": _source_row(source),
        **listed,
        "files": files,
        "may_download": ledger.actor.may(Permission.READ_IDENTITIES),
    }


def _observation_page(ledger: Ledger, source_id: str, page: int) -> dict[str, Any]:
    with ledger.sessions.read() as s:
        pages = paging(page, browse_rows.count_observations_of(s, source_id))
        observations = browse_rows.observations_of(
            s, source_id, offset=(pages["page"] - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return {"observations": observations, **pages}


def form_fields(kind: Kind) -> list[dict[str, Any]]:
    """The fields of an intake kind, described for a form."""
    out = []
    for field in kind.fields:
        choices = _CHOICES.get(field.name)
        widget = "text"
        if choices is not None:
            widget = "select"
        elif field.parse is f.day:
            widget = "date"
        elif field.name in _LONG:
            widget = "textarea"
        out.append(
            {
                "name": field.name,
                "label": _LABELS.get(field.name, field.name),
                "required": field.required,
                "doc": field.doc,
                "accepts": field.accepts,
                "widget": widget,
                "choices": [str(m.value) for m in choices] if choices else [],
            }
        )
    return out


def observation_choices(ledger: Ledger) -> dict[str, Any]:
    """What the observation form offers: sources, indicators and facilities."""
    ledger.require(Permission.WRITE_EVIDENCE, "observation form")
    catalogue = ledger.catalogue()
    return {
        "source_ids": sorted(ledger.sources()),
        "indicator_keys": [i.key for i in catalogue.indicators()],
        "facility_ids": [x.id for x in catalogue.facilities],
    }


def parse_form(kind: Kind, form: Mapping[str, str]) -> dict[str, Any]:
    """Parse a form's fields with the intake schema of ``kind``.

    Raises:
        InputErrors: every problem, each with its field.
    """
    values: dict[str, Any] = {}
    problems: list[InputError] = []
    for field in kind.fields:
        raw = form.get(field.name, "")
        if f.blank(raw):
            if field.required:
                problems.append(InputError("required", field=field.name))
            continue
        try:
            values[field.name] = field.parse(raw)
        except ValueError as e:
            problems.append(InputError(str(e), field=field.name))
    InputErrors.raise_if_any(problems, what="the form")
    return values


def _not_future(ledger: Ledger, value: date | None, field: str) -> list[InputError]:
    today = ledger.now().date()
    if value is not None and value > today:
        return [InputError(f"{value.isoformat()} is after today", field=field)]
    return []


def add_source(ledger: Ledger, form: Mapping[str, str]) -> dict[str, Any]:
    """Add one source from the form (investigators). An existing id is refused,
    never overwritten.

    Raises:
        InputErrors: each problem with its field; nothing is written.
    """
    ledger.require(Permission.WRITE_EVIDENCE, "add a source")
    v = parse_form(SOURCES, form)
    problems = _not_future(ledger, v.get("published_on"), "published_on")
    if v["id"] in ledger.sources():
        problems.append(InputError("a source with this id exists", field="id"))
    InputErrors.raise_if_any(problems, what="the form")
    source = Source(
        id=v["id"],
        kind=v["kind"],
        title=v["title"],
        owner=v["owner"],
        reliability=v["reliability"],
        published_on=v.get("published_on"),
        confidentiality=v.get("confidentiality", Confidentiality.RESTRICTED),
        citation=v.get("citation", ""),
    )
    counts = ledger.add_evidence(
        sources=[source], label=f"web form: source {source.id}"
    )
    return {"source_id": source.id, "counts": counts}


def add_observation(ledger: Ledger, form: Mapping[str, str]) -> dict[str, Any]:
    """Add one observation from the form (investigators). The same statement
    twice (same content, same id) is stored once.

    Raises:
        InputErrors: each problem with its field; nothing is written.
    """
    ledger.require(Permission.WRITE_EVIDENCE, "add an observation")
    v = parse_form(OBSERVATIONS, form)
    obs = Observation(
        source_id=v["source_id"],
        indicator_key=v["indicator_key"],
        observed_on=v["observed_on"],
        stance=v["stance"],
        credibility=v["credibility"],
        summary=v["summary"],
        facility_id=v.get("facility_id"),
        value=v.get("value"),
    )
    try:
        counts = ledger.add_evidence(
            observations=[obs], label=f"web form: observation of {obs.source_id}"
        )
    except InputErrors as e:
        raise InputErrors([_by_field(x) for x in e.errors], what="the form") from e
    return {"observation_id": obs.id, "source_id": obs.source_id, "counts": counts}


def _by_field(error: InputError) -> InputError:
    """``observations[0].source_id`` -> ``source_id``."""
    field = (error.location[2] or "").rsplit(".", 1)[-1]
    return InputError(error.message, field=field or None)


def problems_by_field(error: InputError) -> dict[str, str]:
    """Each field's problem, for showing it beside the field (``""``: the form)."""
    errors = error.errors if isinstance(error, InputErrors) else [error]
    out: dict[str, str] = {}
    for e in errors:
        key = e.location[2] or ""
        out[key] = f"{out[key]}; {e.message}" if key in out else e.message
    return out
