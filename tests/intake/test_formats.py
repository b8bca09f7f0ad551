"""Every kind imports from CSV, JSON (an array, or an object holding the kind's
array), JSON Lines and YAML, on SQLite and PostgreSQL; what lands is what the
file says; the same file imported again changes nothing at all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from rightsledger.domain import Role
from rightsledger.store import tables
from rightsledger.store.tables import (
    CustodyRow,
    FacilityRow,
    ImportRow,
    ObservationRow,
    SourceRow,
    WitnessRow,
)

from . import FORMATS, ORDER, ROWS, ledger_state, write_rows


def _count(ledger, table) -> int:
    with ledger.sessions.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_kind_imports_from_every_format(ledger, open_as, tmp_path, fmt):
    before = {t: _count(ledger, t) for t in (SourceRow, FacilityRow, ObservationRow)}
    files = {}
    for kind in ORDER:
        files[kind] = write_rows(tmp_path, kind, fmt, ROWS[kind])
        summary = ledger.import_file(files[kind], kind)
        assert (summary.rows, summary.added, summary.skipped) == (
            len(ROWS[kind]),
            len(ROWS[kind]),
            0,
        ), kind
        assert not summary.already_imported

    assert _count(ledger, SourceRow) == before[SourceRow] + 2
    assert _count(ledger, FacilityRow) == before[FacilityRow] + 1
    assert _count(ledger, ObservationRow) == before[ObservationRow] + 2
    assert _count(ledger, WitnessRow) == 1
    assert _count(ledger, tables.TestimonyRow) == 1
    assert _count(ledger, ImportRow) == len(ORDER)

    reader = open_as(Role.INVESTIGATOR)
    records = {r.record_id: r for r in reader.records(purpose="test")}
    assert set(records) == {"t-r1", "t-r2"}
    first = records["t-r1"]
    assert (first.full_name, first.birth_year, first.sex) == ("홍길남", 1961, "M")
    assert (first.seen_from, first.seen_to) == (date(1999, 4, 1), date(2010, 12, 31))
    assert (first.facility_id, first.fate) == ("t-centre", "detained")
    assert (records["t-r2"].fate, records["t-r2"].birth_year) == ("released", None)
    (witness,) = reader.witnesses(purpose="test")
    assert witness["full_name"] == "박시험"
    assert witness["family_inside"] is True
    testimony = reader.testimony("t-t1", purpose="test")
    assert testimony["text"] == ROWS["testimonies"][0]["text"]

    with ledger.sessions.read() as s:
        talks = s.get(SourceRow, "t-talks")
        assert talks is not None
        assert (talks.reliability, talks.confidentiality) == ("C", "confidential")
        centre = s.get(FacilityRow, "t-centre")
        assert centre is not None and centre.latitude == pytest.approx(41.5)
        values = {
            o.source_id: (o.value, o.facility_id)
            for o in s.scalars(
                select(ObservationRow).where(
                    ObservationRow.source_id.in_(["t-list", "t-talks"])
                )
            )
        }
    assert values == {"t-list": (0.0, None), "t-talks": (None, "t-centre")}

    # The same files again: recognised by their content, nothing changes,
    # not even the custody log.
    state = ledger_state(ledger)
    for kind in ORDER:
        again = ledger.import_file(files[kind], kind)
        assert again.already_imported and again.added == 0, kind
    assert ledger_state(ledger) == state


def test_reimport_writes_no_custody_entry(ledger, tmp_path):
    path = write_rows(tmp_path, "sources", "csv", ROWS["sources"])
    ledger.import_file(path, "sources")
    entries = _count(ledger, CustodyRow)
    assert ledger.import_file(path, "sources").already_imported
    assert _count(ledger, CustodyRow) == entries


def test_an_import_writes_one_custody_entry(ledger, tmp_path):
    entries = _count(ledger, CustodyRow)
    ledger.import_file(
        write_rows(tmp_path, "sources", "yaml", ROWS["sources"]), "sources"
    )
    with ledger.sessions.read() as s:
        last = s.scalars(select(CustodyRow).order_by(CustodyRow.seq.desc())).first()
    assert _count(ledger, CustodyRow) == entries + 1
    assert last is not None and last.action == "import-sources"
    assert last.detail["rows"] == 2 and last.detail["added"] == 2


def test_repeated_observations_are_the_same_fact(ledger, tmp_path):
    """Observations are content-addressed: a row already stored is skipped."""
    ledger.import_file(
        write_rows(tmp_path, "sources", "csv", ROWS["sources"]), "sources"
    )
    ledger.import_file(
        write_rows(tmp_path, "facilities", "csv", ROWS["facilities"]), "facilities"
    )
    first = write_rows(tmp_path, "observations", "csv", ROWS["observations"][:1], "a")
    ledger.import_file(first, "observations")
    both = write_rows(tmp_path, "observations", "jsonl", ROWS["observations"], "b")
    summary = ledger.import_file(both, "observations")
    assert (summary.rows, summary.added, summary.skipped) == (2, 1, 1)


def test_yaml_mapping_with_the_kinds_list(ledger, tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        "# exported by hand\nnote: synthetic\nsources:\n"
        "  - {id: y-1, kind: media, title: A, owner: B, reliability: D,"
        " published_on: 2020-01-02}\n",
        encoding="utf-8",
    )
    summary = ledger.import_file(path, "sources")
    assert summary.added == 1
    with ledger.sessions.read() as s:
        row = s.get(SourceRow, "y-1")
    assert row is not None and row.published_on == date(2020, 1, 2)


def test_csv_with_a_byte_order_mark_and_crlf(ledger, tmp_path):
    path = tmp_path / "sources.csv"
    body = "id,kind,title,owner,reliability\r\nb-1,media,Title,Owner,A\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert ledger.import_file(path, "sources").added == 1


def test_tab_separated_and_an_explicit_format(ledger, tmp_path):
    tsv = tmp_path / "sources.tsv"
    tsv.write_text(
        "id\tkind\ttitle\towner\treliability\nt-1\tmedia\tT, with a comma\tO\tA\n"
    )
    assert ledger.import_file(tsv, "sources").added == 1
    odd = tmp_path / "sources.export"
    odd.write_text(
        '[{"id": "t-2", "kind": "media", "title": "T", "owner": "O",'
        ' "reliability": "A"}]'
    )
    assert ledger.import_file(odd, "sources", fmt="json").added == 1
    with ledger.sessions.read() as s:
        row = s.get(SourceRow, "t-1")
    assert row is not None and row.title == "T, with a comma"
