"""The custody chain records every write and identity read, and names tampering;
identity fields never reach the database in clear."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from rightsledger.domain import (
    Origin,
    PersonRecord,
    Reliability,
    Source,
    SourceKind,
)
from rightsledger.errors import InputErrors
from rightsledger.store.tables import CustodyRow, RecordRow

NAME = "Pak Synthetic-Testname"


def _records() -> list[PersonRecord]:
    return [
        PersonRecord(
            "r1", "list-a", NAME, "M", 1961, "North Hamgyong", "kwanliso-16", 2009
        ),
        PersonRecord(
            "r2", "list-a", "Ri Fictional-Person", "F", 1970, None, None, None
        ),
    ]


def _source() -> Source:
    return Source(
        "list-a",
        SourceKind.NGO_LIST,
        "Test list",
        "NGO A",
        Reliability.B,
        date(2027, 1, 1),
        origin=Origin.SIMULATED,
    )


def _actions(ledger) -> list[str]:
    with ledger.sessions.read() as s:
        return [
            r.action for r in s.scalars(select(CustodyRow).order_by(CustodyRow.seq))
        ]


def test_writes_and_identity_reads_are_logged(ledger):
    ledger.add_evidence(
        sources=[_source()], records=_records(), origin=Origin.SIMULATED
    )
    ledger.records_for_analysis("linkage")
    assert _actions(ledger) == [
        "init",
        "load-catalogue",
        "add-evidence",
        "read-identities",
    ]
    assert ledger.verify() == []


def test_verify_names_an_altered_entry(ledger):
    ledger.add_evidence(sources=[_source()])
    with ledger.sessions.transaction() as s:
        s.execute(update(CustodyRow).where(CustodyRow.seq == 2).values(actor="mallory"))
    assert ledger.verify() == ["entry 2: content does not match its hash (altered)"]


def test_verify_names_a_removed_entry(ledger):
    ledger.add_evidence(sources=[_source()])
    with ledger.sessions.transaction() as s:
        s.execute(text("DELETE FROM custody_log WHERE seq = 2"))
    assert ledger.verify() == [
        "entry 2 is missing (removed): entry 3 does not follow entry 1"
    ]


def test_identity_fields_are_encrypted_at_rest(ledger, settings):
    ledger.add_evidence(
        sources=[_source()], records=_records(), origin=Origin.SIMULATED
    )
    with ledger.sessions.read() as s:
        rows = list(s.scalars(select(RecordRow)))
    blob = b"".join(r.identity for r in rows)
    assert NAME.encode() not in blob
    assert all(r.pseudonym.startswith("R-") for r in rows)
    if settings.database_url.startswith("sqlite"):
        path = settings.database_url.removeprefix("sqlite:///")
        ledger.close()
        raw = Path(path).read_bytes()
        assert NAME.encode() not in raw
        assert b"Fictional-Person" not in raw


def test_records_round_trip_with_the_key(ledger):
    ledger.add_evidence(
        sources=[_source()], records=_records(), origin=Origin.SIMULATED
    )
    back = {r.record_id: r for r in ledger.records_for_analysis("linkage")}
    assert back["r1"].full_name == NAME
    assert back["r1"].birth_year == 1961
    assert back["r2"].facility_id is None


def test_a_failed_write_leaves_the_ledger_as_it_was(ledger):
    before = _actions(ledger)
    bad = PersonRecord("r9", "no-such-list", "X", None, None, None, None, None)
    with pytest.raises(InputErrors) as err:
        ledger.add_evidence(sources=[_source()], records=[bad], label="batch.csv")
    assert "batch.csv: records[0] (r9).source_id: unknown source 'no-such-list'" in str(
        err.value
    )
    assert _actions(ledger) == before
    assert "list-a" not in ledger.sources()


def test_real_observations_from_the_future_are_refused(ledger):
    from rightsledger.domain import Credibility, Observation, Stance

    future = Observation(
        "list-a",
        "icrc-detention-access/icrc-visit",
        date(2030, 1, 1),
        Stance.SUPPORTS,
        Credibility.CONFIRMED,
        "A visit that has not happened.",
    )
    before = _actions(ledger)
    with pytest.raises(InputErrors) as err:
        ledger.add_evidence(sources=[_source()], observations=[future], label="obs.csv")
    message = str(err.value)
    assert (
        "obs.csv: observations[0].observed_on: dated 2030-01-01, after today" in message
    )
    assert _actions(ledger) == before
    simulated = Observation(
        "list-a",
        "icrc-detention-access/icrc-visit",
        date(2030, 1, 1),
        Stance.SUPPORTS,
        Credibility.CONFIRMED,
        "Scenario event.",
        origin=Origin.SIMULATED,
    )
    assert (
        ledger.add_evidence(sources=[_source()], observations=[simulated])[
            "observations"
        ]
        == 1
    )
