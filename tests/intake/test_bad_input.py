"""Bad input: each problem is reported with its file, row and field, all of them
together, and the ledger is left exactly as it was (the SQLite file byte for byte;
every table's rows on PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rightsledger.errors import InputError, InputErrors
from rightsledger.intake import importer

from . import ROWS, database_file, ledger_state, write_csv, write_rows

RECORD_HEADER = ["record_id", "source_id", "full_name", "birth_year", "seen_from"]


@pytest.fixture
def listed(ledger, tmp_path):
    """A ledger holding the test sources, facility and witness (and the catalogue)."""
    for kind in ("sources", "facilities", "witnesses"):
        ledger.import_file(write_rows(tmp_path, kind, "csv", ROWS[kind]), kind)
    return ledger


def rejected(ledger, path: Path, kind: str, **kw) -> list[InputError]:
    """Import ``path``; it must fail, name the file in every error, and change
    nothing. Returns the errors."""
    before = ledger_state(ledger)
    with pytest.raises(InputError) as caught:
        ledger.import_file(path, kind, **kw)
    after = ledger_state(ledger)
    assert after == before
    err = caught.value
    errors = err.errors if isinstance(err, InputErrors) else [err]
    assert errors
    for e in errors:
        assert e.location[0] == path.name, e
        assert path.name in str(err)
    return errors


def places(errors: list[InputError]) -> list[tuple[int | None, str | None]]:
    return [(e.location[1], e.location[2]) for e in errors]


# -- columns -----------------------------------------------------------------------
def test_missing_and_unknown_columns_are_reported_together(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv",
        ["record_id", "source_id", "fullname", "nickname"],
        [["r-1", "t-list", "홍길남", "x"]],
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [(1, "full_name"), (1, "fullname"), (1, "nickname")]
    assert "required column is missing" in errors[0].message
    assert "unknown column for records" in errors[1].message


def test_a_header_only_file_with_wrong_columns(listed, tmp_path):
    path = write_csv(tmp_path / "records.csv", ["record_id", "wrong"], [])
    errors = rejected(listed, path, "records")
    assert places(errors) == [(1, "source_id"), (1, "full_name"), (1, "wrong")]


def test_unknown_and_missing_fields_in_json_rows(listed, tmp_path):
    rows = [
        {"record_id": "r-1", "source_id": "t-list", "full_name": "A", "alias": "B"},
        {"record_id": "r-2", "source_id": "t-list"},
    ]
    path = write_rows(tmp_path, "records", "json-array", rows)
    errors = rejected(listed, path, "records")
    assert places(errors) == [(1, "alias"), (2, "full_name")]
    assert "unknown field" in errors[0].message
    assert "required value is empty" in errors[1].message


def test_a_repeated_header_column(listed, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["record_id", "record_id"], [["a", "b"]])
    assert places(rejected(listed, path, "records")) == [(1, "record_id")]


# -- encoding ------------------------------------------------------------------------
def _latin1_file(folder: Path, suffix: str) -> Path:
    good = b"Kim Chol"
    bad = "Ri Sun-hŭi Müller".encode("latin-1", errors="replace")
    path = folder / f"records.{suffix}"
    if suffix == "csv":
        path.write_bytes(
            b"record_id,source_id,full_name\n"
            b"r-1,t-list," + good + b"\n"
            b"r-2,t-list," + bad + b"\n"
        )
    elif suffix == "jsonl":
        path.write_bytes(
            b'{"record_id": "r-1", "source_id": "t-list", "full_name": "'
            + good
            + b'"}\n{"record_id": "r-2", "source_id": "t-list", "full_name": "'
            + bad
            + b'"}\n'
        )
    elif suffix == "json":
        path.write_bytes(b'[{"record_id": "r-2", "full_name": "' + bad + b'"}]')
    else:
        path.write_bytes(b"- record_id: r-2\n  full_name: " + bad + b"\n")
    return path


def test_latin1_bytes_are_named_with_their_line(listed, tmp_path):
    for suffix, line in [("csv", 3), ("jsonl", 2), ("json", 1), ("yaml", 2)]:
        (error,) = rejected(listed, _latin1_file(tmp_path, suffix), "records")
        assert "not UTF-8 text" in error.message, suffix
        assert f"(line {line}, byte " in error.message, suffix
        if suffix in ("csv", "jsonl"):
            assert error.location[1] == line, suffix


# -- values --------------------------------------------------------------------------
def test_bad_dates_each_named(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv",
        RECORD_HEADER,
        [
            ["r-1", "t-list", "A", "1960", "2020-02-30"],  # no such day
            ["r-2", "t-list", "B", "1960", "01/02/2020"],  # not YYYY-MM-DD
            ["r-3", "t-list", "C", "1960", "2031-01-01"],  # after today (2026)
            ["r-4", "t-list", "D", "1960", "20200102"],  # ISO basic: refused
            ["r-5", "t-list", "E", "1960", "2001-05-06"],  # fine
        ],
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [
        (2, "seen_from"),
        (3, "seen_from"),
        (4, "seen_from"),
        (5, "seen_from"),
    ]
    assert "not a date of the calendar" in errors[0].message
    assert "use YYYY-MM-DD" in errors[1].message
    assert "after today" in errors[2].message


def test_simulated_rows_may_lie_in_the_future(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv",
        RECORD_HEADER,
        [["r-1", "t-list", "A", "", "2031-01-01"]],
    )
    from rightsledger.domain import Origin

    assert listed.import_file(path, "records", origin=Origin.SIMULATED).added == 1


def test_every_bad_value_is_reported_with_row_and_field(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv",
        ["record_id", "source_id", "full_name", "sex", "birth_year", "fate"],
        [
            ["r 1", "t-list", "A", "X", "nineteen", "gone"],
            ["r-2", "t-list", "  ", "M", "1700", "dead"],
        ],
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [
        (2, "record_id"),
        (2, "sex"),
        (2, "birth_year"),
        (2, "fate"),
        (3, "full_name"),
        (3, "birth_year"),
    ]


# -- duplicate ids -------------------------------------------------------------------
def _records(ids: list[str]) -> list[list[str]]:
    return [[rid, "t-list", f"Name {i}", "", ""] for i, rid in enumerate(ids)]


def test_duplicate_ids_within_a_batch(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv", RECORD_HEADER, _records(["a", "b", "a", "c", "b"])
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [(4, "record_id"), (6, "record_id")]
    assert errors[0].message == "duplicate id 'a' (earlier in this file)"


def test_duplicate_ids_across_batches(listed, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)
    path = write_csv(
        tmp_path / "records.csv",
        RECORD_HEADER,
        _records(["a", "b", "c", "d", "a", "e", "d"]),
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [(6, "record_id"), (8, "record_id")]
    assert all("earlier in this file" in e.message for e in errors)


def test_duplicate_source_ids_across_batches(listed, tmp_path, monkeypatch):
    """Sources keep no import hash: the ids the ledger held before tell apart a
    repeat within the file from an id already in the ledger."""
    monkeypatch.setattr(importer, "BATCH", 2)
    header = ["id", "kind", "title", "owner", "reliability"]
    rows = [[sid, "media", "T", "O", "A"] for sid in ("s-1", "s-2", "t-list", "s-1")]
    errors = rejected(listed, write_csv(tmp_path / "s.csv", header, rows), "sources")
    assert places(errors) == [(4, "id"), (5, "id")]
    assert "already in the ledger" in errors[0].message
    assert "earlier in this file" in errors[1].message


def test_duplicate_ids_against_the_ledger(listed, tmp_path):
    first = write_csv(tmp_path / "one.csv", RECORD_HEADER, _records(["a", "b"]))
    listed.import_file(first, "records")
    second = write_csv(tmp_path / "two.csv", RECORD_HEADER, _records(["c", "b"]))
    errors = rejected(listed, second, "records")
    assert places(errors) == [(3, "record_id")]
    assert "already in the ledger" in errors[0].message


# -- references ----------------------------------------------------------------------
def test_unknown_references_are_named(listed, tmp_path):
    records = write_csv(
        tmp_path / "records.csv",
        ["record_id", "source_id", "full_name", "facility_id"],
        [["r-1", "no-such-list", "A", ""], ["r-2", "t-list", "B", "no-such-camp"]],
    )
    errors = rejected(listed, records, "records")
    assert places(errors) == [(2, "source_id"), (3, "facility_id")]
    assert "unknown source 'no-such-list'" in errors[0].message

    observation = dict(ROWS["observations"][0], indicator_key="no/such-indicator")
    obs = write_rows(tmp_path, "observations", "jsonl", [observation])
    (error,) = rejected(listed, obs, "observations")
    assert (error.location[1], error.location[2]) == (1, "indicator_key")
    assert "unknown indicator" in error.message

    testimonies = [
        dict(ROWS["testimonies"][0], witness_id="no-such-witness"),
        dict(ROWS["testimonies"][0], testimony_id="t-t2", source_id="t-list"),
    ]
    path = write_rows(tmp_path, "testimonies", "yaml", testimonies)
    errors = rejected(listed, path, "testimonies")
    assert places(errors) == [(1, "witness_id"), (2, "source_id")]
    assert "unknown witness" in errors[0].message
    assert "not a testimony" in errors[1].message


# -- sizes -----------------------------------------------------------------------------
def test_fields_over_their_limits(listed, tmp_path):
    path = write_csv(
        tmp_path / "records.csv",
        ["record_id", "source_id", "full_name", "province"],
        [["r-1", "t-list", "가" * 201, "p"], ["x" * 121, "t-list", "A", "p" * 121]],
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [(2, "full_name"), (3, "record_id"), (3, "province")]
    assert "201 characters; at most 200 allowed" in errors[0].message

    long_text = dict(ROWS["testimonies"][0], text="말" * 1_000_001)
    path = write_rows(tmp_path, "testimonies", "jsonl", [long_text])
    (error,) = rejected(listed, path, "testimonies")
    assert (error.location[1], error.location[2]) == (1, "text")
    assert "1000001 characters; at most 1000000 allowed" in error.message


def test_a_csv_field_beyond_what_is_read_at_all(listed, tmp_path):
    path = tmp_path / "testimonies.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("testimony_id,source_id,text\n")
        fh.write("t-1,t-talks,short\n")
        fh.write("t-2,t-talks," + "x" * 4_000_001 + "\n")
    (error,) = rejected(listed, path, "testimonies")
    assert error.location[1] == 3
    assert "longer than 4,000,000 characters" in error.message


# -- broken files ----------------------------------------------------------------------
def test_truncated_json(listed, tmp_path):
    rows = json.dumps(ROWS["records"], ensure_ascii=False)
    path = tmp_path / "records.json"
    path.write_text(rows[: rows.index("t-r2") + 2], encoding="utf-8")
    (error,) = rejected(listed, path, "records")
    assert error.location[1] == 2
    assert "truncated or malformed JSON after item 1" in error.message

    body = json.dumps({"records": ROWS["records"]}, ensure_ascii=False)
    path = tmp_path / "records-object.json"
    path.write_text(body[:-3], encoding="utf-8")
    (error,) = rejected(listed, path, "records")
    assert "truncated" in error.message

    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps(ROWS["records"][0]) + "\n" + json.dumps(ROWS["records"][1])[:20]
    )
    (error,) = rejected(listed, lines, "records")
    assert error.location[1] == 2 and "malformed JSON" in error.message


def test_json_of_the_wrong_shape(listed, tmp_path):
    path = tmp_path / "records.json"
    path.write_text('{"people": []}')
    (error,) = rejected(listed, path, "records")
    assert "an object with a 'records' array" in error.message
    path = tmp_path / "scalars.json"
    path.write_text("[1, 2]")
    (error,) = rejected(listed, path, "records")
    assert error.location[1] == 1 and "expected an object, found int" in error.message


def test_malformed_yaml(listed, tmp_path):
    path = tmp_path / "records.yaml"
    path.write_text("- record_id: r-1\n  full_name: [unclosed\n- record_id: r-2\n")
    (error,) = rejected(listed, path, "records")
    assert "malformed YAML (line" in error.message


def test_an_empty_file(listed, tmp_path):
    for suffix in ("csv", "json", "jsonl", "yaml"):
        path = tmp_path / f"records.{suffix}"
        path.write_bytes(b"")
        (error,) = rejected(listed, path, "records")
        assert "the file is empty" in error.message, suffix


def test_a_file_without_rows(listed, tmp_path):
    for suffix, body in [
        ("csv", "record_id,source_id,full_name\n\n"),
        ("json", "[]"),
        ("yaml", "[]\n"),
        ("jsonl", "\n\n"),
    ]:
        path = tmp_path / f"records.{suffix}"
        path.write_text(body)
        (error,) = rejected(listed, path, "records")
        assert "holds no rows" in error.message, suffix


def test_rows_with_too_many_or_too_few_fields(listed, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(
        "record_id,source_id,full_name\n"
        "r-1,t-list,A\n"
        "r-2,t-list,B,surplus\n"
        "r-3,t-list\n"
        "r-4,no-such-list,D\n",
        encoding="utf-8",
    )
    errors = rejected(listed, path, "records")
    assert places(errors) == [(3, None), (4, None), (5, "source_id")]
    assert "4 fields where the header has 3" in errors[0].message
    assert "2 fields where the header has 3" in errors[1].message


def test_problems_beyond_the_listed_ones_are_counted(listed, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_LISTED", 3)
    path = write_csv(
        tmp_path / "records.csv",
        RECORD_HEADER,
        [[f"r-{i}", "nowhere", "A", "", ""] for i in range(10)],
    )
    errors = rejected(listed, path, "records")
    assert len(errors) == 4
    assert errors[-1].message == "... and 7 more problems not listed"


def test_a_large_import_that_fails_at_its_end_leaves_no_trace(listed, tmp_path):
    """Thousands of rows are written (on SQLite, beyond the page cache, so into
    the database file itself) before the last row's problem is found; the
    rollback must still restore every byte."""
    n = 40_000
    rows = _records([f"big-{i}" for i in range(n)])
    rows.append(["big-last", "no-such-list", "Z", "", ""])
    path = write_csv(tmp_path / "big.csv", RECORD_HEADER, rows)
    errors = rejected(listed, path, "records")
    assert places(errors) == [(n + 2, "source_id")]
    # the comparison can see a change: the same rows, fixed, do land
    before = ledger_state(listed)
    rows[-1][1] = "t-list"
    fixed = write_csv(tmp_path / "fixed.csv", RECORD_HEADER, rows)
    assert listed.import_file(fixed, "records").added == n + 1
    after = ledger_state(listed)
    assert after[1] != before[1]
    if database_file(listed) is not None:
        assert after[0] != before[0]
