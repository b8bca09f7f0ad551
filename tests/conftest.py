"""Shared fixtures: every ledger test runs on SQLite and on the real PostgreSQL.

PostgreSQL tests get a fresh schema each (dropped afterwards); the server URL comes
from RIGHTSLEDGER_TEST_POSTGRES (default: the local server, trust auth, database
`test`). If the server does not answer, those tests fail: CI must test both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.ledger import Ledger

PG_URL = os.environ.get(
    "RIGHTSLEDGER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class FixedClock:
    """A clock that starts at a fixed instant and ticks one second per call."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def pg_server() -> str:
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure means no server
        pytest.fail(f"PostgreSQL at {PG_URL} does not answer ({e}); .ci/run starts it")
    finally:
        engine.dispose()
    return PG_URL


@pytest.fixture
def pg_schema_url(request: pytest.FixtureRequest) -> Iterator[str]:
    base = request.getfixturevalue("pg_server")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty database of each kind."""
    if request.param == "sqlite":
        return Settings(
            database_url=f"sqlite:///{tmp_path / 'ledger.sqlite'}", actor="test"
        )
    url = request.getfixturevalue("pg_schema_url")
    return Settings(
        database_url=url,
        key_file=tmp_path / "ledger.key",
        vault_dir=tmp_path / "vault",
        actor="test",
    )


@pytest.fixture
def ledger(settings: Settings, clock: FixedClock) -> Iterator[Ledger]:
    """A new ledger with the packaged catalogue loaded."""
    with Ledger.init(settings, clock=clock) as led:
        led.load_catalogue()
        yield led


@pytest.fixture
def open_as(
    ledger: Ledger, settings: Settings, clock: FixedClock
) -> Iterator[Callable[..., Ledger]]:
    """Open the ``ledger`` fixture's database as a new user of a given role."""
    opened: list[Ledger] = []

    def _open(
        role: Role, name: str | None = None, password: str | None = None
    ) -> Ledger:
        user = name or f"{role.value}-user"
        ledger.add_user(user, role, password=password)
        values: dict[str, object] = {"actor": user}
        if password is not None:
            values["password"] = SecretStr(password)
        led = Ledger.open(settings.model_copy(update=values), clock=clock)
        opened.append(led)
        return led

    yield _open
    for led in opened:
        led.close()
