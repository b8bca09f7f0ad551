"""Reading person records from followthemoney entities (JSON Lines), as
OpenSanctions publishes them and Aleph exports them.

Each ``Person`` entity becomes one record of the given list (source): the
entity id is the record id, ``name[0]`` the full name, the year of
``birthDate[0]`` the birth year, ``gender[0]`` the sex (``male`` M, ``female``
F, ``other`` left empty), and a ``deathDate`` makes the fate ``dead``
(otherwise ``unknown``: an FtM file does not say whether someone is detained).
Further names and birth dates are not kept. Entities of the other FtM schemata
(organisations, sanctions, events: a whole OpenSanctions or rightsledger export)
are passed over and counted; a schema FtM does not know is an error. Every
problem of the file is reported with its line and property, together, once the
file is read; the records' own checks stay with the importer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import Origin
from ..intake.readers import Row, RowFile
from ._problems import Problems
from .ftm_schema import GENDER_TO_SEX, KNOWN_SCHEMATA

if TYPE_CHECKING:
    from ..intake.importer import ImportSummary, Progress
    from ..ledger import Ledger

_FTM_DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?([T ].*)?$")


@dataclass(frozen=True, slots=True)
class FtmImport:
    """What an import of FtM persons did: the import's summary, and how many
    entities of other schemata were passed over (by schema)."""

    summary: ImportSummary
    passed_over: dict[str, int] = field(default_factory=dict)


class FtmPersons:
    """One FtM JSON Lines file read as person records of one list."""

    def __init__(self, path: Path, source_id: str) -> None:
        self.file = RowFile(path, "jsonl", "records")
        self.name = path.name
        self.source_id = source_id
        self.passed_over: dict[str, int] = {}

    def rows(self) -> Iterator[Row]:
        """Rows of kind ``records``, one per Person entity.

        Raises:
            InputErrors: after the whole file is read, every entity without an
                id, with an unknown schema, or with a malformed property.
            InputError: a line that is not JSON, or a file that is not UTF-8.
        """
        problems = Problems(self.name)
        for line, item in self.file.rows():
            values = self._record(line, item, problems)
            if values is not None:
                yield line, values
        problems.raise_if_any(f"{self.name} (FtM persons)")

    def _record(
        self, line: int, item: dict[str, Any], problems: Problems
    ) -> dict[str, Any] | None:
        schema = item.get("schema")
        if not isinstance(schema, str) or schema not in KNOWN_SCHEMATA:
            problems.add(
                f"unsupported schema {schema!r}: not a followthemoney schema "
                "(Person entities are read, others passed over)",
                line,
                "schema",
            )
            return None
        if schema != "Person":
            self.passed_over[schema] = self.passed_over.get(schema, 0) + 1
            return None
        before = problems.count
        eid = item.get("id")
        if not isinstance(eid, str) or not eid.strip():
            problems.add("an entity needs an id (a non-empty text)", line, "id")
        props = item.get("properties")
        if not isinstance(props, dict):
            problems.add("expected an object {property: [values]}", line, "properties")
            return None
        read = _Properties(props, line, problems)
        names = read.texts("name")
        if not names and problems.count == before:
            problems.add("a Person needs a name", line, "properties.name")
        values = {
            "record_id": eid,
            "source_id": self.source_id,
            "full_name": names[0] if names else "",
            "birth_year": read.year("birthDate"),
            "sex": read.sex(),
            "fate": "dead" if read.texts("deathDate") else "unknown",
        }
        return values if problems.count == before else None


class _Properties:
    """Typed reads of an entity's properties, recording problems by property."""

    def __init__(self, props: dict[str, Any], line: int, problems: Problems) -> None:
        self.props = props
        self.line = line
        self.problems = problems

    def texts(self, name: str) -> list[str]:
        value = self.props.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.add(
                "expected a list of texts", self.line, f"properties.{name}"
            )
            return []
        return [v.strip() for v in value if v.strip()]

    def year(self, name: str) -> int | None:
        found = self.texts(name)
        if not found:
            return None
        match = _FTM_DATE.match(found[0])
        if match is None:
            self.problems.add(
                f"{found[0]!r} is not an FtM date (YYYY, YYYY-MM or YYYY-MM-DD)",
                self.line,
                f"properties.{name}",
            )
            return None
        return int(match.group(1))

    def sex(self) -> str | None:
        found = self.texts("gender")
        if not found:
            return None
        key = found[0].lower()
        if key not in GENDER_TO_SEX:
            self.problems.add(
                f"{found[0]!r} is not an FtM gender (male, female, other)",
                self.line,
                "properties.gender",
            )
            return None
        return GENDER_TO_SEX[key]


def ftm_person_rows(path: Path, *, source_id: str) -> Iterator[Row]:
    """Stream the Person entities of an FtM JSON Lines file as rows of kind
    ``records`` of the list ``source_id``. See :meth:`FtmPersons.rows`."""
    return FtmPersons(path, source_id).rows()


def ftm_import(
    ledger: Ledger,
    path: Path,
    *,
    source_id: str,
    origin: Origin = Origin.REAL,
    progress: Progress | None = None,
) -> FtmImport:
    """Import the Person entities of an FtM file as records of ``source_id``, in
    one transaction (the file is recognised by its content hash: the same file
    imported again changes nothing, whatever the source).

    Raises:
        InputErrors: any problem of the file or of the records; nothing lands.
        Forbidden: the actor may not write evidence.
    """
    persons = FtmPersons(path, source_id)

    def report(_done: int, _total: int) -> None:
        if progress is not None:
            progress(persons.file.consumed, persons.file.size)

    summary = ledger.import_file(
        path,
        "records",
        fmt="jsonl",
        origin=origin,
        rows=persons.rows(),
        progress=report,
    )
    return FtmImport(summary, dict(persons.passed_over))
