"""Trying to expose a person from what the ledger leaves behind.

Synthetic people (person records, witnesses with contacts and notes, testimonies,
a file whose name and content name someone) are imported and used the way a
documentation group would: investigators read them, an analyst links them, an
admin rotates the key and backs up. Then every byte the ledger wrote is searched
for every identifying string, in every form it could take (see
``tests/security``): the SQLite file and its journal, every column of every
PostgreSQL table read with raw SQL, the vault and every other file beside the
database, the custody log, and every log record (SQL statements with their
parameters included). Nothing may be found.

Controls prove the search can fail: the same search finds the secrets in the
intake files and in what an investigator is shown.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.types import LargeBinary

from rightsledger.chain import run_link
from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.paths import vault_path_for
from rightsledger.store.tables import CustodyRow

from . import (
    ADMIN,
    ATTACHMENT_CONTENT,
    ATTACHMENT_NAME,
    MINIMAL,
    PHRASES,
    RECORDS,
    REVIEW_NOTE,
    USERS,
    WITNESSES,
    Built,
    Haystack,
    capture_logs,
    contacts,
    found_in,
    later_clock,
    names,
    open_as,
    write_intake_files,
)

INVESTIGATOR, ANALYST = USERS[Role.INVESTIGATOR], USERS[Role.ANALYST]


def _use(settings: Settings, workdir: Path) -> dict[str, object]:
    """What people do with a ledger after intake; returns what an investigator
    was shown (the controls search it)."""
    clock = later_clock()
    with open_as(settings, INVESTIGATOR, clock) as inv:
        shown: dict[str, object] = {
            "records": inv.records(purpose="review"),
            "witnesses": inv.witnesses(purpose="review"),
            "testimonies": [
                inv.testimony(t, purpose="review") for t in ("tes-1", "tes-2")
            ],
            "attachments": inv.attachments(),
        }
        inv.decide_link("rec-a1", "rec-b1", accept=True, note=REVIEW_NOTE)
        shown["review"] = [d.note for d in inv.review_history()]
        sha = inv.attachments()[0].sha256
        out = io.BytesIO()
        inv.read_attachment(sha, out)
        shown["file"] = out.getvalue().decode()
    with open_as(settings, ANALYST, clock) as ana:
        ana.pseudonymous_records()
        ana.attachments()
        run_link(ana)
        ana.export_public(workdir / "export")
    with open_as(settings, ADMIN, clock) as admin:
        admin.rotate_key()
        admin.backup(workdir / "ledger.backup")
        assert admin.verify() == []
    return shown


def _sqlite_bytes(settings: Settings, hay: Haystack) -> None:
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    for suffix in ("", "-journal", "-wal", "-shm"):
        path = db.with_name(db.name + suffix)
        if path.exists():
            hay.add(f"sqlite {path.name}", path.read_bytes())
    hay.add_files(db.parent, "beside the database")


def _postgres_columns(settings: Settings, hay: Haystack) -> None:
    """Every column of every row as PostgreSQL renders it in text (column by
    column: a whole row's text doubles backslashes), and every binary column's
    raw bytes."""
    engine = create_engine(settings.database_url)
    try:
        found = inspect(engine)
        tables = found.get_table_names()
        assert "records" in tables and "witnesses" in tables
        with engine.connect() as conn:
            for table in tables:
                for col in found.get_columns(table):
                    name = col["name"]
                    values = conn.execute(
                        text(f'SELECT "{name}", "{name}"::text FROM "{table}"')  # noqa: S608
                    ).all()
                    hay.add(
                        f"pg {table}.{name}",
                        "\n".join(t for _, t in values if t is not None),
                    )
                    if isinstance(col["type"], LargeBinary):
                        hay.add(
                            f"pg {table}.{name} (bytes)",
                            b"\0".join(bytes(v) for v, _ in values if v is not None),
                        )
    finally:
        engine.dispose()


def _custody(settings: Settings) -> str:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(CustodyRow.__table__).order_by(CustodyRow.seq))
            return "\n".join(
                json.dumps(dict(r._mapping), ensure_ascii=False, default=str)
                for r in rows
            )
    finally:
        engine.dispose()


def test_nothing_the_ledger_writes_names_anyone(
    copy: Settings, built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    workdir = tmp_path / "work"
    workdir.mkdir()
    with capture_logs() as lines:
        shown = _use(copy, workdir)
    hay = Haystack()
    if built.kind == "sqlite":
        _sqlite_bytes(copy, hay)
    else:
        _postgres_columns(copy, hay)
        hay.add_files(vault_path_for(copy), "vault")
        hay.add_files(copy.key_file.parent, "beside the key file")  # type: ignore[union-attr]
    hay.add_files(workdir, "export and backup")
    hay.add("custody log", _custody(copy))
    hay.add("log records of the intake", built.log)
    hay.add("log records of the use", "\n".join(lines))
    captured = capsys.readouterr()
    hay.add("stdout and stderr", captured.out + captured.err)
    assert hay.leaks() == {}
    # the search looked at real data ...
    assert any(b"kwanliso-16" in data for data in hay.parts.values())
    assert any("vault" in name for name in hay.parts)
    assert sum(line.startswith("sqlalchemy.engine") for line in lines) > 20
    # ... and finds the secrets where they are in clear: what the investigator saw
    seen = json.dumps(shown, ensure_ascii=False, default=repr).encode()
    control = [
        s
        for s in MINIMAL
        if s in (*names(written_only=True), *contacts(variants=False), *PHRASES)
    ]
    assert len(control) > 20
    assert found_in(seen, control) == control
    assert found_in(seen, [REVIEW_NOTE]) == [REVIEW_NOTE]
    births = [f"birth_year={r[3]}" for r in RECORDS]
    assert found_in(seen, births) == births


def test_the_controls_find_every_form(tmp_path: Path):
    """The search finds a name however it is written down."""
    files = write_intake_files(tmp_path)
    intake = b"".join(p.read_bytes() for p in files.values())
    for _rid, _list, name, *_ in RECORDS:
        escaped = json.dumps({"full_name": name}).encode()  # \\uXXXX when not ASCII
        assert found_in(escaped) == [name], escaped
        assert found_in(name.encode("utf-16-le")) == [name]
        assert found_in(name.upper().encode()) == [name]
    assert found_in(intake) != []
    assert set(found_in(intake)) >= {w["contact"].split(" / ")[-1] for w in WITNESSES}
    assert set(found_in(ATTACHMENT_CONTENT)) >= {"탁솔휘", "Tak Sol-hwi"}
    assert found_in(ATTACHMENT_NAME.encode()) != []
    assert all(found_in(p.encode()) == [p] for p in PHRASES)


def test_an_import_file_named_after_someone_leaves_no_name(
    copy: Settings, built: Built, tmp_path: Path
):
    """Groups name files after people ("탁솔휘 family.csv"); the ledger keeps the
    content hash of an import, never its name."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = folder / "탁솔휘 Tak Sol-hwi family.csv"
    path.write_text(
        "id,kind,title,owner,reliability\n"
        "list-c,ngo-list,Family list (synthetic),NGO C,C\n",
        encoding="utf-8",
    )
    with open_as(copy, INVESTIGATOR, later_clock()) as inv:
        summary = inv.import_file(path, "sources")
        assert summary.added == 1
    hay = Haystack()
    if built.kind == "sqlite":
        _sqlite_bytes(copy, hay)
    else:
        _postgres_columns(copy, hay)
    hay.add("custody log", _custody(copy))
    assert hay.leaks() == {}
