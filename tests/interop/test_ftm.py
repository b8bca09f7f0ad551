"""followthemoney export and import, per role, on both backends. Every person is
synthetic (rightsledger.names.synthetic)."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rightsledger.domain import (
    Confidentiality,
    Credibility,
    Observation,
    PersonRecord,
    Reliability,
    Role,
    Source,
    SourceKind,
    Stance,
)
from rightsledger.errors import Forbidden, InputError, InputErrors
from rightsledger.interop import ftm_import, ftm_person_rows, write_ftm
from rightsledger.interop.ftm_schema import PROPERTIES
from rightsledger.names.synthetic import random_name
from rightsledger.store import custody_log

from . import ledger_state

LIST_ID = "SYN-LIST"
SECRET_ID = "SYN-CONFIDENTIAL"


def _records(n: int = 12) -> list[PersonRecord]:
    rng = random.Random(7)
    facilities = ["kwanliso-14", "kwanliso-15", None]
    out = []
    for i in range(n):
        sex = "M" if i % 2 else "F"
        out.append(
            PersonRecord(
                record_id=f"syn-{i:03d}",
                source_id=LIST_ID,
                full_name=random_name(rng, sex).hangul,
                sex=sex,
                birth_year=rng.randint(1935, 1990),
                province="North Hamgyong",
                facility_id=facilities[i % 3],
                year_arrested=2001 + i,
            )
        )
    return out


@pytest.fixture
def filled(ledger):
    """The ledger with a public list of synthetic records, and a confidential
    source with one observation."""
    records = _records()
    ledger.add_evidence(
        sources=[
            Source(
                LIST_ID,
                SourceKind.NGO_LIST,
                "Synthetic list",
                "Synthetic NGO",
                Reliability.B,
                date(2024, 1, 5),
                Confidentiality.PUBLIC,
            ),
            Source(
                SECRET_ID,
                SourceKind.TESTIMONY,
                "Synthetic confidential interview",
                "Synthetic Desk",
                Reliability.C,
                date(2024, 2, 1),
                Confidentiality.CONFIDENTIAL,
            ),
        ],
        observations=[
            Observation(
                SECRET_ID,
                _an_indicator(ledger),
                date(2024, 2, 1),
                Stance.CONTRADICTS,
                Credibility.PROBABLY_TRUE,
                "Synthetic statement: the camp still holds prisoners.",
                facility_id="kwanliso-15",
            )
        ],
        records=records,
    )
    return ledger, records


def _an_indicator(ledger) -> str:
    key: str = next(iter(ledger.catalogue().indicators())).key
    return key


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _persons(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entities if e["schema"] == "Person"]


def test_entities_use_only_ftm_properties_and_link_by_id(filled, open_as, tmp_path):
    ledger, records = filled
    analyst = open_as(Role.ANALYST)
    out = tmp_path / "ledger.ftm.json"
    counts = write_ftm(analyst, out)
    entities = _lines(out)
    assert sum(counts.values()) == len(entities)
    assert counts["Person"] == len(records)
    assert counts["Sanction"] == len(ledger.catalogue().conditions)
    assert counts["Event"] == len(analyst.observations())
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for e in entities:
        assert set(e) == {"id", "schema", "properties"}
        assert set(e["properties"]) <= PROPERTIES[e["schema"]]
        assert all(
            isinstance(v, list) and all(isinstance(x, str) and x for x in v)
            for v in e["properties"].values()
        )
    for e in entities:  # every link points at an entity of the file
        for prop in ("entity", "involved", "organizer"):
            assert set(e["properties"].get(prop, [])) <= ids
    twice = tmp_path / "again.ftm.json"
    write_ftm(analyst, twice)
    assert twice.read_bytes() == out.read_bytes()  # deterministic ids and order
    with pytest.raises(InputError, match="refusing to overwrite"):
        write_ftm(analyst, out)


def test_analyst_export_holds_no_name_and_no_birth_year(filled, open_as, tmp_path):
    _, records = filled
    analyst = open_as(Role.ANALYST)
    out = tmp_path / "pseudonymous.ftm.json"
    write_ftm(analyst, out)
    text = out.read_text(encoding="utf-8")
    for r in records:
        assert r.full_name not in text
    persons = _persons(_lines(out))
    assert all("birthDate" not in p["properties"] for p in persons)
    pseudonyms = {r.full_name for r in analyst.pseudonymous_records()}
    assert {p["properties"]["name"][0] for p in persons} == pseudonyms
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_investigator_export_with_identities(filled, open_as, tmp_path):
    _, records = filled
    investigator = open_as(Role.INVESTIGATOR)
    plain = tmp_path / "plain.ftm.json"
    write_ftm(investigator, plain)  # names only when asked for
    text = plain.read_text(encoding="utf-8")
    assert not any(r.full_name in text for r in records)
    assert all("birthDate" not in p["properties"] for p in _persons(_lines(plain)))
    out = tmp_path / "named.ftm.json"
    write_ftm(investigator, out, identities=True)
    persons = _persons(_lines(out))
    got = {
        (p["properties"]["name"][0], p["properties"]["birthDate"][0]) for p in persons
    }
    assert got == {(r.full_name, str(r.birth_year)) for r in records}
    with investigator.sessions.read() as s:
        last = list(custody_log.entries(s))[-1]
    assert (last.action, last.detail["purpose"]) == ("read-identities", "ftm export")


def test_identities_are_forbidden_to_other_roles(filled, open_as, tmp_path):
    for role in (Role.ANALYST, Role.ADMIN, Role.VIEWER):
        who = open_as(role)
        out = tmp_path / f"names-{role.value}.ftm.json"
        with pytest.raises(Forbidden):
            write_ftm(who, out, identities=True)
        assert not out.exists()
        assert not out.with_name(out.name + ".part").exists()
        with who.sessions.read() as s:
            last = list(custody_log.entries(s))[-1]
        assert (last.action, last.actor) == ("denied", who.actor.name)


def test_viewer_export_holds_public_evidence_only(filled, open_as, tmp_path):
    ledger, _ = filled
    viewer = open_as(Role.VIEWER)
    out = tmp_path / "public.ftm.json"
    counts = write_ftm(viewer, out)
    entities = _lines(out)
    assert counts["Person"] == 0
    text = out.read_text(encoding="utf-8")
    assert "Synthetic confidential interview" not in text
    assert "Synthetic Desk" not in text  # the confidential source's owner
    assert "Synthetic NGO" in text  # the public list's owner
    assert "the camp still holds prisoners" not in text
    public = [o for o in ledger.observations() if o.source_id != SECRET_ID]
    assert counts["Event"] == len(public) == len(viewer.observations())
    assert all(e["schema"] != "Person" for e in entities)


def test_round_trip_into_another_list(filled, open_as, tmp_path):
    ledger, records = filled
    investigator = open_as(Role.INVESTIGATOR)
    out = tmp_path / "named.ftm.json"
    counts = write_ftm(investigator, out, identities=True)
    ledger.add_evidence(
        sources=[
            Source(
                "FTM-COPY",
                SourceKind.NGO_LIST,
                "The same list, via followthemoney",
                "Synthetic partner",
                Reliability.C,
                date(2024, 3, 1),
            )
        ]
    )
    done = ftm_import(ledger, out, source_id="FTM-COPY")
    assert (done.summary.rows, done.summary.added) == (len(records), len(records))
    assert done.passed_over == {k: v for k, v in counts.items() if k != "Person" and v}
    persons = {p["id"]: p for p in _persons(_lines(out))}
    original = {r.record_id: r for r in records}
    by_name = {r.full_name: r for r in records}
    copies = [
        r
        for r in investigator.records(purpose="round-trip check")
        if r.source_id == "FTM-COPY"
    ]
    assert len(copies) == len(records)
    for copy in copies:
        assert copy.record_id in persons
        first = by_name[copy.full_name]
        assert (copy.birth_year, copy.sex) == (first.birth_year, first.sex)
        assert original[first.record_id].full_name == copy.full_name
    assert {c.full_name for c in copies} == {r.full_name for r in records}
    again = ftm_import(ledger, out, source_id="FTM-COPY")
    assert again.summary.already_imported


def _write_lines(path: Path, items: list[object]) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
            for x in items
        ),
        encoding="utf-8",
    )
    return path


def _person(eid: str, **props: object) -> dict[str, Any]:
    return {"id": eid, "schema": "Person", "properties": props}


def test_person_rows_from_an_opensanctions_style_file(tmp_path):
    rng = random.Random(3)
    a, b = random_name(rng, "F").hangul, random_name(rng, "M").hangul
    path = _write_lines(
        tmp_path / "os.ftm.json",
        [
            _person(
                "os-1", name=[a, "alias"], birthDate=["1961-04-02"], gender=["female"]
            ),
            {"id": "os-s", "schema": "Sanction", "properties": {"entity": ["os-1"]}},
            _person("os-2", name=[b], gender=["other"], deathDate=["2019"]),
        ],
    )
    rows = list(ftm_person_rows(path, source_id="OS"))
    assert rows == [
        (
            1,
            {
                "record_id": "os-1",
                "source_id": "OS",
                "full_name": a,
                "birth_year": 1961,
                "sex": "F",
                "fate": "unknown",
            },
        ),
        (
            3,
            {
                "record_id": "os-2",
                "source_id": "OS",
                "full_name": b,
                "birth_year": None,
                "sex": None,
                "fate": "dead",
            },
        ),
    ]


def test_bad_entities_are_reported_by_line_and_property(ledger, tmp_path):
    rng = random.Random(5)
    path = _write_lines(
        tmp_path / "bad.ftm.json",
        [
            _person("ok-1", name=[random_name(rng, "M").hangul]),
            {"id": "x", "schema": "Persn", "properties": {}},
            _person("no-name", birthDate=["1950"]),
            _person(
                "bad-date", name=[random_name(rng, "F").hangul], birthDate=["c. 1950"]
            ),
            _person("bad-gender", name=[random_name(rng, "F").hangul], gender=["f"]),
            _person("flat", name=random_name(rng, "M").hangul),
            {
                "schema": "Person",
                "properties": {"name": [random_name(rng, "M").hangul]},
            },
            {"id": "no-props", "schema": "Person"},
        ],
    )
    ledger.add_evidence(
        sources=[
            Source("OS", SourceKind.NGO_LIST, "t", "o", Reliability.C, date(2024, 1, 1))
        ]
    )
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        ftm_import(ledger, path, source_id="OS")
    assert [e.location for e in err.value.errors] == [
        ("bad.ftm.json", 2, "schema"),
        ("bad.ftm.json", 3, "properties.name"),
        ("bad.ftm.json", 4, "properties.birthDate"),
        ("bad.ftm.json", 5, "properties.gender"),
        ("bad.ftm.json", 6, "properties.name"),
        ("bad.ftm.json", 7, "id"),
        ("bad.ftm.json", 8, "properties"),
    ]
    assert ledger_state(ledger) == before


def test_truncated_line_is_named(ledger, tmp_path):
    rng = random.Random(9)
    good = json.dumps(_person("p-1", name=[random_name(rng, "M").hangul]))
    path = _write_lines(tmp_path / "cut.ftm.json", [good, good[:25]])
    before = ledger_state(ledger)
    with pytest.raises(InputErrors) as err:
        ftm_import(ledger, path, source_id=LIST_ID)
    # the list is not in this ledger: line 1's problem comes with line 2's
    assert [e.location for e in err.value.errors] == [
        ("cut.ftm.json", 1, "source_id"),
        ("cut.ftm.json", 2, None),
    ]
    assert "malformed JSON" in err.value.errors[1].message
    assert ledger_state(ledger) == before
