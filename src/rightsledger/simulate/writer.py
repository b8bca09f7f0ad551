"""Write a scenario to a folder of CSV and JSON files (the only I/O of simulate).

Output bytes depend only on the scenario: rows keep the scenario's order, CSV lines
end in ``\\n``, JSON keys are sorted, and nothing records the time of writing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from .scenario import Scenario

__all__ = ["write_scenario"]

_README = """\
Truth of a simulated rightsledger scenario (seed {seed}).

Everything here is synthetic: the people, their names and their fates were drawn
by rightsledger.simulate and are not real persons. No real victim or witness is
named in these files.

persons.csv      record_id -> true person id, and which noise the list added
people.csv       each synthetic person: name (Hangul), sex, birth year, province
populations.csv  true population per facility at the start and at each year end
events.csv       arrests, transfers, releases and deaths inside the scenario
indicators.csv   the true outcome of every indicator the story touches
progressed.txt   benchmark ids that truly progressed

Use these files to score later steps: linkage against persons.csv, estimates
against populations.csv, assessments against indicators.csv and progressed.txt.
"""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


_SOURCE_COLS = (
    "id",
    "kind",
    "title",
    "owner",
    "reliability",
    "published_on",
    "confidentiality",
    "origin",
    "citation",
)
_RECORD_COLS = (
    "record_id",
    "list",
    "full_name",
    "sex",
    "birth_year",
    "province",
    "facility",
    "year_arrested",
    "seen_from",
    "seen_to",
    "fate",
)
_OBS_COLS = (
    "id",
    "source_id",
    "indicator_key",
    "observed_on",
    "stance",
    "credibility",
    "summary",
    "facility_id",
    "value",
    "status",
    "origin",
)
_TRUTH_RECORD_COLS = (
    "record_id",
    "person_id",
    "script",
    "family_last",
    "north_form",
    "conventional_family",
    "birth_year_noise",
)
_PEOPLE_COLS = ("person_id", "name", "sex", "birth_year", "province", "arrested_on")
_EVENT_COLS = ("on", "person_id", "kind", "from_facility", "to_facility")


def _evidence(s: Scenario, folder: Path) -> dict[str, Path]:
    sources = ([getattr(x, c) for c in _SOURCE_COLS] for x in s.sources)
    records = (
        (r.record_id, r.source_id, r.full_name, r.sex, r.birth_year, r.province)
        + (r.facility_id, r.year_arrested, r.seen_from, r.seen_to, r.fate)
        for r in s.records
    )
    observations = (
        (o.id, o.source_id, o.indicator_key, o.observed_on, o.stance)
        + (int(o.credibility), o.summary, o.facility_id, o.value, o.status, o.origin)
        for o in s.observations
    )
    return {
        "sources": _csv(folder / "sources.csv", _SOURCE_COLS, sources),
        "records": _csv(folder / "records.csv", _RECORD_COLS, records),
        "observations": _csv(folder / "observations.csv", _OBS_COLS, observations),
    }


def _deal(s: Scenario, folder: Path) -> Path:
    data = asdict(s.deal)
    data["signed_on"] = s.deal.signed_on.isoformat()
    data["origin"] = "simulated"
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path = folder / "deal.json"
    path.write_bytes(text.encode("utf-8"))
    return path


def _truth(s: Scenario, folder: Path) -> dict[str, Path]:
    t, out = s.truth, folder / "truth"
    out.mkdir(exist_ok=True)
    (out / "README.txt").write_bytes(_README.format(seed=s.seed).encode("utf-8"))
    progressed = "".join(b + "\n" for b in t.progressed)
    (out / "progressed.txt").write_bytes(progressed.encode("utf-8"))
    records = ([getattr(r, c) for c in _TRUTH_RECORD_COLS] for r in t.records)
    people = (
        (p.id, p.name, p.sex, p.birth_year, p.province, p.arrested_on)
        for p in t.persons
    )
    counts = ((c.facility_id, c.on, c.count) for c in t.populations)
    events = (
        (e.on, e.person_id, e.kind, e.from_facility, e.to_facility) for e in t.events
    )
    indicators = ((i.key, i.outcome, i.note) for i in t.indicators)
    return {
        "truth/README.txt": out / "README.txt",
        "truth/progressed.txt": out / "progressed.txt",
        "truth/persons": _csv(out / "persons.csv", _TRUTH_RECORD_COLS, records),
        "truth/people": _csv(out / "people.csv", _PEOPLE_COLS, people),
        "truth/populations": _csv(
            out / "populations.csv", ("facility_id", "on", "count"), counts
        ),
        "truth/events": _csv(out / "events.csv", _EVENT_COLS, events),
        "truth/indicators": _csv(
            out / "indicators.csv", ("indicator_key", "outcome", "note"), indicators
        ),
    }


def write_scenario(scenario: Scenario, folder: Path) -> dict[str, Path]:
    """Write ``scenario`` into ``folder`` (created if missing).

    Files: ``sources.csv``, ``records.csv`` (columns record_id, list, full_name,
    sex, birth_year, province, facility, year_arrested, seen_from, seen_to, fate;
    ``list`` is the list's source id), ``observations.csv``, ``deal.json`` and
    ``truth/`` (README.txt, persons.csv, people.csv, populations.csv, events.csv,
    indicators.csv, progressed.txt).

    Args:
        scenario: what :func:`~rightsledger.simulate.simulate` returned.
        folder: where to write; existing files of the same names are replaced.

    Returns:
        Name -> path of every file written (``"records"``, ``"truth/events"`` ...).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = _evidence(scenario, folder)
    paths["deal"] = _deal(scenario, folder)
    paths.update(_truth(scenario, folder))
    return paths
