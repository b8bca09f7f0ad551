"""Writing the ledger as followthemoney entities (JSON Lines), for OpenSanctions-
and Aleph-style tools.

What is written follows what the actor may see (docs/interop.md, per role):

* ``Organization``: the state the catalogue is about (the party whose steps the
  benchmarks ask for), the agencies that run the catalogue's facilities, and the
  owners of the sources the actor may see.
* ``Sanction``: one per sanctions condition of the catalogue, on the state: the
  statute as program, the effect (suspension, termination) as provisions, the
  condition's text as reason, its benchmarks in the summary.
* ``Event``: one per observation the actor may see (a viewer: those of public
  sources), dated, with the source as publisher, the state and the facility's
  operator as involved, the facility as location.
* ``Person``: one per person record, for actors who may read evidence. By
  pseudonym, with no birth date, unless ``identities`` is asked; then the names
  and birth years come through :meth:`Ledger.records`, which needs the
  investigator role and writes the read to the custody log.

Ids are ``rl-<kind>-`` and a hash of the ledger's own key for the thing, so the
same ledger writes the same ids each time. The file is written line by line to
``<out>.part`` (owner-only permissions) and renamed when complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..access import Permission
from ..domain import Catalogue, Facility, Observation, PersonRecord, Source
from ..errors import InputError
from .ftm_schema import SEX_TO_GENDER, entity, entity_id

if TYPE_CHECKING:
    from ..ledger import Ledger

#: The purpose written to the custody log when identities are exported.
PURPOSE = "ftm export"

Entity = dict[str, Any]


def write_ftm(
    ledger: Ledger, out_path: Path, *, identities: bool = False
) -> dict[str, int]:
    """Write FtM entities for what the ledger's actor may see to ``out_path``.

    Args:
        ledger: the open ledger; its actor decides what is written.
        out_path: a new file (an existing one is not overwritten).
        identities: write names and birth years of person records (investigators
            only; the read is logged with purpose ``ftm export``).

    Returns:
        The number of entities written per schema.

    Raises:
        Forbidden: ``identities`` asked by an actor who may not read them; the
            attempt is logged and no file is written.
        InputError: ``out_path`` exists.
    """
    if out_path.exists():
        raise InputError(
            f"{out_path} exists; refusing to overwrite", file=out_path.name
        )
    records = _records(ledger, identities)
    catalogue = ledger.catalogue()
    sources = ledger.sources()
    observations = ledger.observations()
    counts = {"Organization": 0, "Sanction": 0, "Person": 0, "Event": 0}
    entities = _entities(catalogue, sources, observations, records, identities)
    _write_lines(out_path, entities, counts)
    return counts


def _records(ledger: Ledger, identities: bool) -> list[PersonRecord]:
    if identities:
        return ledger.records(purpose=PURPOSE)
    if not ledger.actor.may(Permission.READ_EVIDENCE):
        return []  # a viewer sees aggregates only: no person at all
    return ledger.pseudonymous_records()


def _write_lines(
    out_path: Path, entities: Iterator[Entity], counts: dict[str, int]
) -> None:
    part = out_path.with_name(out_path.name + ".part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            _dump(fh, entities, counts)
        os.replace(part, out_path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _dump(fh: IO[str], entities: Iterator[Entity], counts: dict[str, int]) -> None:
    for item in entities:
        fh.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
        fh.write("\n")
        counts[item["schema"]] += 1


def _entities(
    catalogue: Catalogue,
    sources: dict[str, Source],
    observations: list[Observation],
    records: list[PersonRecord],
    identities: bool,
) -> Iterator[Entity]:
    state = entity_id("org", "state", catalogue.country)
    facilities = {x.id: x for x in catalogue.facilities}
    yield from _organizations(catalogue, sources, state)
    yield from _sanctions(catalogue, state)
    yield from _persons(records, sources, facilities, identities)
    yield from _events(observations, sources, facilities, state)


def _org_id(name: str) -> str:
    return entity_id("org", "name", name)


def _organizations(
    catalogue: Catalogue, sources: dict[str, Source], state: str
) -> Iterator[Entity]:
    yield entity(
        "Organization",
        state,
        {
            "name": f"Government of {catalogue.country}",
            "description": "The state whose steps the benchmarks of the "
            f"catalogue {catalogue.name!r} ask for.",
        },
    )
    runs: dict[str, list[str]] = {}
    for facility in catalogue.facilities:
        runs.setdefault(facility.operator, []).append(facility.name)
    owns: dict[str, int] = {}
    for source in sources.values():
        owns[source.owner] = owns.get(source.owner, 0) + 1
    for name in sorted(set(runs) | set(owns)):
        about = []
        if name in runs:
            about.append("Runs " + "; ".join(sorted(runs[name])) + ".")
        if name in owns:
            about.append(f"Stands behind {owns[name]} source(s) in the ledger.")
        yield entity(
            "Organization",
            _org_id(name),
            {"name": name, "description": " ".join(about)},
        )


def _sanctions(catalogue: Catalogue, state: str) -> Iterator[Entity]:
    for c in sorted(catalogue.conditions, key=lambda c: c.id):
        benchmarks = ", ".join(c.benchmarks) or "none in the catalogue"
        binding = "" if c.binding else " Not binding: an expression of intent."
        yield entity(
            "Sanction",
            entity_id("sanction", catalogue.name, c.id),
            {
                "entity": state,
                "program": c.statute,
                "authorityId": c.id,
                "provisions": c.effect,
                "reason": c.text,
                "summary": f"Condition for {c.effect} of sanctions; benchmarks: "
                f"{benchmarks}.{binding}",
            },
        )


def _person_id(record: PersonRecord) -> str:
    return entity_id("person", record.source_id, record.record_id)


def _persons(
    records: list[PersonRecord],
    sources: dict[str, Source],
    facilities: dict[str, Facility],
    identities: bool,
) -> Iterator[Entity]:
    for r in sorted(records, key=lambda r: (r.source_id, r.record_id)):
        source = sources.get(r.source_id)
        props: dict[str, Any] = {
            "name": r.full_name,
            "gender": SEX_TO_GENDER.get(r.sex or ""),
            "publisher": source.title if source else r.source_id,
            "description": _record_text(r, facilities, identities),
        }
        if identities and r.birth_year is not None:
            props["birthDate"] = str(r.birth_year)
        yield entity("Person", _person_id(r), props)


def _record_text(
    r: PersonRecord, facilities: dict[str, Facility], identities: bool
) -> str:
    parts = [] if identities else ["Pseudonym; the name is withheld."]
    parts.append(f"Record {r.record_id} of list {r.source_id}; fate: {r.fate}.")
    if r.facility_id:
        where = facilities.get(r.facility_id)
        parts.append(f"Held in {where.name if where else r.facility_id}.")
    if r.year_arrested is not None:
        parts.append(f"Arrested in {r.year_arrested}.")
    return " ".join(parts)


def _events(
    observations: list[Observation],
    sources: dict[str, Source],
    facilities: dict[str, Facility],
    state: str,
) -> Iterator[Entity]:
    for o in sorted(observations, key=lambda o: (o.observed_on, o.id)):
        source = sources.get(o.source_id)
        facility = facilities.get(o.facility_id or "")
        involved = [state]
        if facility is not None:
            involved.append(_org_id(facility.operator))
        detail = f"Stance: {o.stance.value}; credibility: {int(o.credibility)}"
        if o.value is not None:
            detail += f"; value: {o.value:g}"
        yield entity(
            "Event",
            entity_id("event", o.id),
            {
                "name": f"{o.indicator_key} ({o.stance.value})",
                "date": o.observed_on.isoformat(),
                "summary": o.summary,
                "description": detail + ".",
                "publisher": source.title if source else o.source_id,
                "recordId": o.id,
                "involved": involved,
                "location": _location(o, facility),
                "keywords": [o.indicator_key, o.stance.value],
            },
        )


def _location(o: Observation, facility: Facility | None) -> str | None:
    if facility is not None:
        return f"{facility.name}, {facility.location}"
    return o.facility_id
