"""The row codec carries every column type the schema uses, exactly, on SQLite and
PostgreSQL; it refuses types it cannot carry and lines that do not fit."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    PickleType,
    String,
    Table,
    Text,
    Time,
    Uuid,
    create_engine,
    null,
    select,
)

from rightsledger.backup.codec import TableCodec, column_tag, decode_row, read_header
from rightsledger.errors import ConfigError, IntegrityError
from rightsledger.store.tables import Base


class Colour(enum.Enum):
    RED = "r"
    BLUE = "b"


def _table() -> Table:
    return Table(
        "everything",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("big", BigInteger),
        Column("f", Float),
        Column("flag", Boolean),
        Column("s", String(50)),
        Column("t", Text),
        Column("e", Enum(Colour)),
        Column("n", Numeric(14, 4)),
        Column("d", Date),
        Column("tm", Time),
        Column("dt", DateTime),
        Column("dtz", DateTime(timezone=True)),
        Column("b", LargeBinary),
        Column("u", Uuid),
        Column("j", JSON, nullable=True),
        Column("p", PickleType),
    )


DTZ = datetime(2026, 11, 27, 12, 0, 0, 123456, tzinfo=UTC)
FULL: dict[str, Any] = {
    "id": 1,
    "big": 2**40 + 1,
    "f": 0.1,
    "flag": True,
    "s": "ünïcode ✓ 조선",
    "t": 'line\nbreak "quoted" \\ back',
    "e": Colour.RED,
    "n": Decimal("12345678.1234"),
    "d": date(1950, 1, 2),
    "tm": time(23, 59, 59, 999999),
    "dt": datetime(2000, 1, 1, 0, 0, 0, 1),
    "dtz": DTZ,
    "b": bytes(range(256)),
    "u": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "j": {"a": [1, 2.5, None, "x", 1e-300], "b": {"c": True}},
    "p": {"any": ("python", "object")},
}
JSON_NULL = {**dict.fromkeys(FULL), "id": 2, "j": JSON.NULL, "f": float("inf")}
SQL_NULL = {**dict.fromkeys(FULL), "id": 3, "j": null()}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'codec.sqlite'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    eng = create_engine(url)
    yield eng
    eng.dispose()


def _dump(engine, table: Table) -> list[bytes]:
    codec = TableCodec(table)
    with engine.connect() as conn:
        return [codec.encode(r) for r in conn.execute(codec.query())]


def _state(engine, table: Table) -> list[tuple[Any, ...]]:
    query = select(table, table.c.j.is_(None)).order_by(table.c.id)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_every_type_round_trips(engine):
    table = _table()
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [FULL, JSON_NULL, SQL_NULL])
    before, lines = _state(engine, table), _dump(engine, table)
    expected = dict(FULL)
    if engine.dialect.name == "sqlite":  # SQLite keeps no time zone
        expected["dtz"] = DTZ.replace(tzinfo=None)
    assert before[0][:-1] == tuple(expected.values())
    assert [row[-1] for row in before] == [False, False, True]  # SQL NULL apart

    table.metadata.drop_all(engine)
    table.metadata.create_all(engine)
    codec = TableCodec(table)
    _name, columns = read_header(codec.header(), where="test")
    assert columns == codec.columns
    with engine.begin() as conn:
        rows = [decode_row(columns, line, where="test") for line in lines]
        conn.execute(codec.table.insert(), rows)
    assert _state(engine, table) == before
    assert _dump(engine, table) == lines
    table.metadata.drop_all(engine)


def test_a_decorated_column_is_copied_as_stored():
    codec = TableCodec(_table())
    assert dict(codec.columns)["p"] == "bytes"  # PickleType: the pickled bytes
    assert dict(codec.columns)["e"] == "str"


def test_every_column_of_the_ledger_has_a_tag():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            assert column_tag(column)
    assert column_tag(Base.metadata.tables["custody_log"].c.at) == "datetime-tz"


@pytest.mark.parametrize("type_", [Interval(), ARRAY(Integer)])
def test_types_without_an_exact_tag_are_refused(type_):
    table = Table("odd", MetaData(), Column("id", Integer, primary_key=True))
    table.append_column(Column("x", type_))
    with pytest.raises(ConfigError, match=r"odd\.x .* backups cannot carry"):
        TableCodec(table)


COLUMNS = [("n", "int"), ("at", "datetime-tz"), ("b", "bytes"), ("j", "json")]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b"[1, null, null]", "expected a list of 4"),
        (b'{"n": 1}', "expected a list of 4"),
        (b"[1, null, null", "not a JSON line"),
        (b'["1", null, null, null]', "column n"),
        (b"[true, null, null, null]", "column n"),
        (b'[1, "2026-01-01T00:00:00", null, null]', "column at .*no time zone"),
        (b'[1, null, "not base64!", null]', "column b"),
        (b'[1, null, null, {"a": 1}]', "column j .*one-element list"),
    ],
)
def test_lines_that_do_not_fit_are_refused(line, words):
    with pytest.raises(IntegrityError, match=words):
        decode_row(COLUMNS, line, where="tables/x.jsonl row 3")


def test_headers_with_unknown_tags_are_refused():
    with pytest.raises(IntegrityError, match="unknown column types"):
        read_header(b'{"table": "x", "columns": [["a", "complex"]]}', where="x")
    with pytest.raises(IntegrityError, match="header line is not valid"):
        read_header(b'["x"]', where="x")
