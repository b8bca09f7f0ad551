"""Person records reduced to counts: by list and year of arrest, by facility and
fate, by list and sex, suppressed together.

Only five fields of a record are read, each mapped to a closed set of published
values: the list (a label, see :mod:`._lists`), the year of arrest (a year or
"unknown"), the facility (a catalogue facility id, "other" or "unknown"), the fate
(a fixed vocabulary or "other") and sex ("M", "F", "other" or "unknown"). Names,
birth years, record ids, provinces and sighting dates are never read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rightsledger.domain import Catalogue, PersonRecord

from ._lists import ordered_labels
from ._tables import CrossTable
from .suppression import suppress_linked

UNKNOWN = "unknown"
OTHER = "other"
#: Fates published as they are; any other value is published as "other".
FATES = ("detained", "released", "transferred", "dead", "disappeared", UNKNOWN)
SEXES = ("M", "F")


@dataclass(frozen=True, slots=True)
class Facts:
    """The only parts of a record that reach the export, already generalised
    (``list`` is the source id until :func:`record_tables` labels it)."""

    list: str
    year: str
    facility: str
    fate: str
    sex: str


_Raw = tuple[str, int | None, str | None, str, str | None]


def _facts(raw: _Raw, facilities: set[str]) -> Facts:
    source_id, year, facility_id, raw_fate, raw_sex = raw
    fate = (raw_fate or "").strip().lower() or UNKNOWN
    sex = (raw_sex or "").strip().upper()
    return Facts(
        list=source_id,
        year=UNKNOWN if year is None else str(year),
        facility=(
            UNKNOWN
            if not facility_id
            else facility_id
            if facility_id in facilities
            else OTHER
        ),
        fate=fate if fate in FATES else OTHER,
        sex=sex if sex in SEXES else (UNKNOWN if not sex else OTHER),
    )


def _order(present: set[str], known: Sequence[str]) -> list[str]:
    """``known`` values present, in that order, then "other", then "unknown"."""
    head = [v for v in known if v in present and v not in (OTHER, UNKNOWN)]
    return head + [v for v in (OTHER, UNKNOWN) if v in present]


def _years(present: set[str]) -> list[str]:
    return sorted((y for y in present if y != UNKNOWN), key=int) + (
        [UNKNOWN] if UNKNOWN in present else []
    )


def _grid(
    facts: Counter[Facts],
    rows: Sequence[str],
    cols: Sequence[str],
    row_dim: str,
    col_dim: str,
) -> list[list[int]]:
    counts: Counter[tuple[str, str]] = Counter()
    for f, n in facts.items():
        counts[(getattr(f, row_dim), getattr(f, col_dim))] += n
    return [[counts[(r, c)] for c in cols] for r in rows]


def count_records(
    records: Iterable[PersonRecord], catalogue: Catalogue
) -> Counter[Facts]:
    """Generalised facts of the records, counted in one pass.

    Memory grows with the number of distinct combinations, not of records.
    """
    raw: Counter[_Raw] = Counter(
        (r.source_id, r.year_arrested, r.facility_id, r.fate, r.sex) for r in records
    )
    known = {f.id for f in catalogue.facilities}
    facts: Counter[Facts] = Counter()
    for values, n in raw.items():
        facts[_facts(values, known)] += n
    return facts


def record_tables(
    counted: Counter[Facts],
    catalogue: Catalogue,
    labels: Mapping[str, str],
    threshold: int,
) -> tuple[CrossTable, CrossTable, CrossTable]:
    """The three record tables, suppressed together (they share the number of
    records, and the first and last share each list's total).

    Args:
        counted: From :func:`count_records`.
        catalogue: Gives the facility order.
        labels: Published label of every list id in ``counted``.
        threshold: The small-cell threshold.
    """
    facility_ids = [f.id for f in catalogue.facilities]
    facts: Counter[Facts] = Counter()
    for f, n in counted.items():
        facts[replace(f, list=labels[f.list])] += n
    present = {f.list for f in facts}
    lists = [lab for lab in ordered_labels(labels) if lab in present]
    years = _years({f.year for f in facts})
    facilities = _order({f.facility for f in facts}, facility_ids)
    fates = _order({f.fate for f in facts}, FATES)
    sexes = _order({f.sex for f in facts}, SEXES)
    by_year, by_fate, by_sex = suppress_linked(
        [
            _grid(facts, lists, years, "list", "year"),
            _grid(facts, facilities, fates, "facility", "fate"),
            _grid(facts, lists, sexes, "list", "sex"),
        ],
        shared_rows=[(0, 2)],
        threshold=threshold,
    )
    return (
        CrossTable(
            "records_by_list_and_year",
            "Records by list and year of arrest",
            "list",
            "year of arrest",
            tuple(lists),
            tuple(years),
            by_year,
        ),
        CrossTable(
            "records_by_facility_and_fate",
            "Records by facility and fate",
            "facility",
            "fate",
            tuple(facilities),
            tuple(fates),
            by_fate,
        ),
        CrossTable(
            "records_by_list_and_sex",
            "Records by list and sex",
            "list",
            "sex",
            tuple(lists),
            tuple(sexes),
            by_sex,
        ),
    )
