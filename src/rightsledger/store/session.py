"""Engines per database URL, and the dialect differences in one place.

SQLite is the default (one analyst, a laptop, a file); PostgreSQL is chosen by URL.
Errors about the URL or the server are turned into :class:`ConfigError` messages that
say which URL and what went wrong, without the password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigError

SUPPORTED = ("sqlite", "postgresql")


def parse_url(url: str) -> URL:
    """Parse and check a database URL; a bare path means a SQLite file.

    Raises:
        ConfigError: the URL cannot be parsed or names an unsupported database.
    """
    if "://" not in url:
        return make_url(f"sqlite:///{Path(url).expanduser()}")
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise ConfigError(f"database URL {url!r} cannot be parsed: {e}") from e
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise ConfigError(
            f"database URL {safe_url(parsed)!r}: {backend!r} is not supported; "
            "use sqlite:///path/file.sqlite or postgresql+psycopg://user@host/db"
        )
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: URL) -> str:
    """The URL as text with any password hidden."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "")


def make_engine(url: URL) -> Engine:
    """Create an engine and prove it answers.

    Raises:
        ConfigError: the driver is missing, the SQLite folder does not exist, or the
            server does not answer.
    """
    path = sqlite_path(url)
    if path is not None and not path.parent.exists():
        raise ConfigError(f"database folder {path.parent} does not exist")
    kwargs: dict[str, Any] = {"future": True}
    if url.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except NoSuchModuleError as e:
        raise ConfigError(f"database URL {safe_url(url)!r}: no driver ({e})") from e
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as e:
        engine.dispose()
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise ConfigError(
            f"cannot reach the database at {safe_url(url)!r}: {reason}"
        ) from e
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver would start a transaction only at the first write, so that the
    # reads before it (the custody log's last entry, say) ran outside it and two
    # writers could both append entry n+1. We emit BEGIN ourselves instead.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


#: Execution option that marks a connection's transaction as a write: on SQLite it
#: begins with BEGIN IMMEDIATE, taking the write lock before its first read.
WRITE_OPTION = "rightsledger_write"


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Sessions:
    """A session factory; ``transaction()`` is one unit of work, all or nothing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction. On SQLite it holds the write lock from its start
        (BEGIN IMMEDIATE), so concurrent writers (web requests, a job thread) take
        turns instead of reading the same state and colliding."""
        with self._factory() as session, session.begin():
            session.connection(execution_options={WRITE_OPTION: True})
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._factory() as session:
            yield session
