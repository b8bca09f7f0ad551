"""Fixtures for backup tests: a ledger with evidence, attached files and a linkage
run, fresh empty targets of either database kind, and row snapshots to compare."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from rightsledger.config import Settings
from rightsledger.demo import store_scenario
from rightsledger.domain import Clustering
from rightsledger.ledger import Ledger
from rightsledger.paths import key_path_for, vault_path_for
from rightsledger.simulate import Scenario, ScenarioConfig, simulate
from rightsledger.store import make_engine, parse_url
from rightsledger.store.tables import Base

BACKUP_KEY = bytes(range(100, 132))
PUBLIC = {"key_source": "file", "note": "what a restore needs to find the key"}
# one file over a stream chunk, one small, one empty
FILES = {"statement.pdf": 70_000, "photo.jpg": 1_000, "empty.txt": 0}


@dataclass
class Target:
    """An empty place to restore into, and settings to open it afterwards."""

    engine: Engine
    vault: Path
    settings: Settings
    kind: str


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    """A small synthetic scenario (300 person records), simulated once."""
    full = simulate(replace(ScenarioConfig(), years=1), 5)
    return replace(full, records=full.records[:300])


def fill(ledger: Ledger, small_scenario: Scenario, tmp_path: Path) -> dict[str, bytes]:
    """Evidence, person records, attached files and a linkage run (autoincrement
    ids) in ``ledger``; returns the attached files' contents by name."""
    store_scenario(ledger, small_scenario)
    source = sorted(ledger.sources())[0]
    contents: dict[str, bytes] = {}
    folder = tmp_path / "incoming-files"
    folder.mkdir()
    for name, size in FILES.items():
        data = os.urandom(size) if size else b""
        (folder / name).write_bytes(data)
        ledger.attach(source, folder / name, collected_by="NGO A", method="upload")
        contents[name] = data
    records = [r.record_id for r in small_scenario.records[:50]]
    ledger.record_run(
        "link",
        {"method": "test"},
        records,
        clustering=Clustering({r: f"P{i // 2}" for i, r in enumerate(records)}, "test"),
    )
    return contents


@pytest.fixture
def filled(
    ledger: Ledger, small_scenario: Scenario, tmp_path: Path
) -> tuple[Ledger, dict[str, bytes]]:
    """The ``ledger`` fixture (SQLite and PostgreSQL), filled."""
    return ledger, fill(ledger, small_scenario, tmp_path)


@pytest.fixture
def sqlite_filled(
    small_scenario: Scenario, tmp_path: Path, clock: Any
) -> Iterator[tuple[Ledger, dict[str, bytes]]]:
    """A filled SQLite ledger, for tests that need only one database kind."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'one.sqlite'}", actor="test"
    )
    with Ledger.init(settings, clock=clock) as ledger:
        ledger.load_catalogue()
        yield ledger, fill(ledger, small_scenario, tmp_path)


def table_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as the driver returns it."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(query)]
    return out


def vault_files(vault: Path) -> dict[str, bytes]:
    if not vault.exists():
        return {}
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in sorted(vault.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.parts)
    }


def vault_of(ledger: Ledger) -> Path:
    return vault_path_for(ledger.settings)


@pytest.fixture
def new_target(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., Target]]:
    """Make empty restore targets: ``new_target("sqlite" | "postgres", key_file)``;
    ``timezone=`` sets a PostgreSQL session time zone (values then come back in
    that zone, which a restore into SQLite must turn back into UTC)."""
    made: list[tuple[Target, str | None]] = []
    admin: list[Engine] = []

    def _new(kind: str, key_file: Path, *, timezone: str = "UTC") -> Target:
        name = f"r{len(made)}-{uuid.uuid4().hex[:6]}"
        schema = None
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path / (name + '.sqlite')}"
        else:
            base = request.getfixturevalue("pg_server")
            if not admin:
                admin.append(create_engine(base, isolation_level="AUTOCOMMIT"))
            schema = f"t_{uuid.uuid4().hex[:16]}"
            with admin[0].connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{base}?options=-csearch_path%3D{schema}%20-ctimezone%3D{timezone}"
        vault = tmp_path / f"{name}.vault"
        settings = Settings(
            database_url=url, key_file=key_file, vault_dir=vault, actor="test"
        )
        target = Target(make_engine(parse_url(url)), vault, settings, kind)
        made.append((target, schema))
        return target

    yield _new
    for target, schema in made:
        target.engine.dispose()
        if schema is not None:
            with admin[0].connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    for engine in admin:
        engine.dispose()


def is_empty(target: Target) -> bool:
    return not inspect(target.engine).get_table_names() and not (
        target.vault.exists() and any(target.vault.iterdir())
    )


def key_file_of(ledger: Ledger) -> Path:
    return key_path_for(ledger.settings)


@dataclass(frozen=True)
class Built:
    """An archive of a filled SQLite ledger, written once per session (copy it
    before damaging it)."""

    archive: Path
    key_file: Path
    contents: dict[str, bytes]


@pytest.fixture(scope="session")
def built(small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Built:
    from datetime import UTC, datetime

    from tests.conftest import FixedClock

    folder = tmp_path_factory.mktemp("built")
    settings = Settings(database_url=f"sqlite:///{folder / 'one.sqlite'}", actor="test")
    clock = FixedClock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    with Ledger.init(settings, clock=clock) as ledger:
        ledger.load_catalogue()
        contents = fill(ledger, small_scenario, folder)
        out = folder / "ledger.rlbackup"
        from rightsledger.backup import write_backup

        write_backup(ledger.engine, vault_of(ledger), BACKUP_KEY, out, public=PUBLIC)
        return Built(out, key_file_of(ledger), contents)
