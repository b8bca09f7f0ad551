"""Migrations create the schema on both databases, match the tables, and go back."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from rightsledger.store import make_engine, parse_url
from rightsledger.store import migrations_runner as migrations
from rightsledger.store.tables import Base


def test_upgrade_creates_every_table_and_matches_metadata(settings):
    engine = make_engine(parse_url(settings.database_url))
    try:
        migrations.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert migrations.current_revision(engine) == migrations.head_revision()
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_removes_every_table(settings):
    engine = make_engine(parse_url(settings.database_url))
    try:
        migrations.upgrade(engine)
        migrations.downgrade(engine)
        left = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        migrations.upgrade(engine)  # and up again
        assert migrations.current_revision(engine) == migrations.head_revision()
    finally:
        engine.dispose()


def test_json_values_are_strict_json():
    import math

    import numpy as np

    from rightsledger.store.catalogue_rows import plain

    value = {
        "a": math.inf,
        "b": [math.nan, -math.inf],
        "c": np.int64(3),
        "d": np.arange(3),
        "e": np.float64(math.nan),
        "f": (1.5, "x"),
    }
    assert plain(value) == {
        "a": "inf",
        "b": ["nan", "-inf"],
        "c": 3,
        "d": [0, 1, 2],
        "e": "nan",
        "f": [1.5, "x"],
    }


def test_notes_written_before_sealing_keep_their_place(settings):
    """0006 marks where sealed review notes begin: decisions already stored keep
    their note in clear and are not taken for tampered ones; with no decision
    yet, no boundary is written (every note is sealed)."""
    from sqlalchemy import text

    engine = make_engine(parse_url(settings.database_url))

    def boundary() -> list[str]:
        with engine.connect() as conn:
            query = text("select value from ledger_meta where key = :k")
            found = conn.execute(query, {"k": "review_notes_sealed_from"})
            return [str(v) for v in found.scalars()]

    try:
        migrations.upgrade(engine, "0005")
        with engine.begin() as conn:
            for left in ("a", "b"):
                conn.execute(
                    text(
                        'insert into link_decisions ("left", "right", accept, '
                        "decided_at, decided_by, note) values (:l, 'z', true, "
                        "'2026-01-01 00:00:00+00', 'inv', 'an old note')"
                    ),
                    {"l": left},
                )
        migrations.upgrade(engine)
        with engine.connect() as conn:
            kept = conn.execute(text("select note, note_sealed from link_decisions"))
            assert [tuple(r) for r in kept] == [("an old note", None)] * 2
        assert boundary() == ["3"]
        migrations.downgrade(engine)
        migrations.upgrade(engine)
        assert boundary() == []
    finally:
        engine.dispose()
