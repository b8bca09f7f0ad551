"""Importing a (synthetic) Uwazi CSV export through a mapping, on both backends:
the happy path, and bad exports that must leave the ledger unchanged."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from rightsledger.domain import Reliability, Role, Source, SourceKind
from rightsledger.errors import Forbidden, InputErrors
from rightsledger.interop import read_mapping, uwazi_import, uwazi_rows

from . import ledger_state

DATA = Path(__file__).parents[1] / "data" / "uwazi"
EXPORT = DATA / "detainees.csv"
MAPPING = DATA / "detainees-mapping.yaml"
LIST_ID = "UWAZI-DETAINEES"


def _add_list(ledger) -> None:
    ledger.add_evidence(
        sources=[
            Source(
                LIST_ID,
                SourceKind.NGO_LIST,
                "Synthetic detainee list kept in Uwazi",
                "Synthetic NGO",
                Reliability.B,
                date(2024, 6, 11),
            )
        ]
    )


def _export_rows() -> list[dict[str, str]]:
    with EXPORT.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _uwazi_day(text: str) -> date:
    day, month, year = (int(p) for p in text.split("/"))
    return date(year, month, day)


def _rewrite(tmp_path: Path, change) -> Path:
    """A copy of the export with ``change(header, rows)`` applied."""
    with EXPORT.open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    header, rows = lines[0], lines[1:]
    change(header, rows)
    out = tmp_path / "export.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    return out


def test_uwazi_export_lands_with_mapped_values(ledger, open_as):
    _add_list(ledger)
    seen: list[tuple[int, int]] = []
    summary = uwazi_import(
        ledger, EXPORT, MAPPING, progress=lambda done, total: seen.append((done, total))
    )
    expected = _export_rows()
    assert (summary.kind, summary.rows, summary.added) == (
        "records",
        len(expected),
        len(expected),
    )
    assert seen[-1] == (EXPORT.stat().st_size, EXPORT.stat().st_size)

    mapping = read_mapping(MAPPING)
    by_id = {r.record_id: r for r in ledger.pseudonymous_records()}
    for row in expected:
        r = by_id[row["Case ID"]]
        assert r.source_id == LIST_ID
        assert r.sex == mapping.values["sex"][row["Sex"]]
        assert r.fate == mapping.values["fate"][row["Current status"]]
        assert r.province == row["Province of origin"]
        assert r.year_arrested == int(row["Year of arrest"])
        place = row["Place of detention"]
        assert r.facility_id == (
            mapping.values["facility_id"][place] if place else None
        )
        period = row["Period of detention"]
        if period:
            lo, hi = period.split("~")
            assert (r.seen_from, r.seen_to) == (_uwazi_day(lo), _uwazi_day(hi))
        else:
            assert r.seen_from is None and r.seen_to is None
        assert r.full_name != row["Title"]  # a pseudonym, not the name

    investigator = open_as(Role.INVESTIGATOR)
    named = {r.record_id: r for r in investigator.records(purpose="check uwazi import")}
    for row in expected:
        assert named[row["Case ID"]].full_name == row["Title"]
        assert named[row["Case ID"]].birth_year == int(row["Year of birth"])

    again = uwazi_import(ledger, EXPORT, MAPPING)
    assert again.already_imported and again.added == 0


def test_unmapped_columns_are_each_reported_and_nothing_lands(ledger, tmp_path):
    _add_list(ledger)

    def add_columns(header, rows):
        header[4:4] = ["Ethnicity", "Interviewer"]
        for row in rows:
            row[4:4] = ["-", "-"]

    export = _rewrite(tmp_path, add_columns)
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, export, MAPPING)
    assert [e.location for e in err.value.errors] == [
        ("export.csv", 1, "Ethnicity"),
        ("export.csv", 1, "Interviewer"),
    ]
    assert all("not in the mapping" in e.message for e in err.value.errors)
    assert ledger_state(ledger) == before


def test_a_mapped_column_missing_from_the_export(ledger, tmp_path):
    _add_list(ledger)

    def drop_sex(header, rows):
        at = header.index("Sex")
        for line in (header, *rows):
            del line[at]

    export = _rewrite(tmp_path, drop_sex)
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, export, MAPPING)
    assert [e.location for e in err.value.errors] == [("export.csv", 1, "Sex")]
    assert ledger_state(ledger) == before


def test_bad_rows_are_reported_together_with_row_and_column(ledger, tmp_path):
    _add_list(ledger)

    def spoil(header, rows):
        rows[2][header.index("Template")] = "Witness"
        rows[4][header.index("Period of detention")] = "1975-06-01~1980-12-27"
        rows[5][header.index("Current status")] = "Escaped"
        rows[6][header.index("Period of detention")] = "08/04/1981"

    export = _rewrite(tmp_path, spoil)
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, export, MAPPING)
    assert [e.location for e in err.value.errors] == [
        ("export.csv", 4, "Template"),
        ("export.csv", 6, "Period of detention"),
        ("export.csv", 6, "Period of detention"),
        ("export.csv", 7, "Current status"),
        ("export.csv", 8, "Period of detention"),
    ]
    assert "DD/MM/YYYY" in err.value.errors[1].message
    assert "'Escaped'" in err.value.errors[3].message
    assert ledger_state(ledger) == before


def test_the_kinds_own_checks_are_reported_with_the_mappings(ledger, tmp_path):
    """Without the list (source) in the ledger every row names an unknown source;
    a row with a value the mapping does not know is reported too, and a row of
    the wrong width."""
    export = tmp_path / "detainees.csv"
    shutil.copy(EXPORT, export)
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, export, MAPPING)
    assert {e.location[2] for e in err.value.errors} == {"source_id"}
    assert len(err.value.errors) == len(_export_rows())

    def spoil(header, rows):
        rows[0][header.index("Current status")] = "Escaped"
        rows[1].append("one too many")

    export = _rewrite(tmp_path, spoil)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, export, MAPPING)
    found = {e.location for e in err.value.errors}
    assert ("export.csv", 2, "Current status") in found
    assert ("export.csv", 3, None) in found
    n = len(_export_rows())
    assert {("export.csv", row, "source_id") for row in range(4, n + 2)} <= found
    assert ledger_state(ledger) == before


def test_a_bad_mapping_stops_before_the_export_is_read(ledger, tmp_path):
    _add_list(ledger)
    bad = tmp_path / "mapping.yaml"
    bad.write_text(
        MAPPING.read_text(encoding="utf-8").replace("Sex: sex", "Sex: gender"),
        encoding="utf-8",
    )
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        uwazi_import(ledger, EXPORT, bad)
    assert [e.location for e in err.value.errors] == [
        ("mapping.yaml", None, "fields.Sex"),  # gender is not a field of records
        ("mapping.yaml", None, "values.sex"),  # so no column is mapped to sex
    ]
    assert ledger_state(ledger) == before


def test_an_analyst_may_not_import(ledger, open_as):
    _add_list(ledger)
    analyst = open_as(Role.ANALYST)
    with pytest.raises(Forbidden):
        uwazi_import(analyst, EXPORT, MAPPING)


def test_rows_stream_without_a_ledger():
    mapping = read_mapping(MAPPING)
    rows = uwazi_rows(EXPORT, mapping)
    line, first = next(rows)
    assert line == 2
    assert first["source_id"] == LIST_ID
    assert (
        first["seen_from"]
        == _uwazi_day(
            _export_rows()[0]["Period of detention"].split("~")[0]
        ).isoformat()
    )
    assert set(first) == {
        "full_name",
        "record_id",
        "sex",
        "birth_year",
        "province",
        "facility_id",
        "year_arrested",
        "seen_from",
        "seen_to",
        "fate",
        "source_id",
    }
