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
