"""Population definitions: which records count towards a hidden total.

A population is a set of facilities and a period; a record belongs to it when its
facility is in the set and the time its list saw the person overlaps the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain import PersonRecord


@dataclass(frozen=True, slots=True)
class PopulationSpec:
    """Who is being counted: ``id`` names the population in estimates and rules."""

    id: str
    facilities: tuple[str, ...]
    start: date
    end: date

    def includes(self, record: PersonRecord) -> bool:
        if self.facilities and record.facility_id not in self.facilities:
            return False
        seen_from = record.seen_from or date.min
        seen_to = record.seen_to or date.max
        return seen_from <= self.end and seen_to >= self.start

    @property
    def label(self) -> str:
        where = ", ".join(self.facilities) if self.facilities else "all facilities"
        return f"{self.id}: {where}, {self.start.isoformat()} to {self.end.isoformat()}"
