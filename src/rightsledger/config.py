"""Settings: one object, passed in, never a module global.

Every setting is read from the environment with the ``RIGHTSLEDGER_`` prefix (for
example ``RIGHTSLEDGER_DATABASE_URL``). ``docs/configuration.md`` lists them all and a
test checks that the list and this class agree.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE = "rightsledger.sqlite"


class Settings(BaseSettings):
    """Configuration of one ledger."""

    model_config = SettingsConfigDict(env_prefix="RIGHTSLEDGER_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE}",
        description=(
            "Where the ledger lives: a SQLite URL (sqlite:///path/to/file.sqlite) or a "
            "PostgreSQL URL (postgresql+psycopg://user@host:5432/dbname)."
        ),
    )
    key_file: Path | None = Field(
        default=None,
        description=(
            "File holding the ledger's encryption key. Default: beside a SQLite file "
            "(<file>.key); required for PostgreSQL. Never stored in the database."
        ),
    )
    vault_dir: Path | None = Field(
        default=None,
        description=(
            "Folder of the evidence vault (attached files, encrypted). Default: beside "
            "a SQLite file (<file>.vault); required for PostgreSQL."
        ),
    )
    catalogue: Path | None = Field(
        default=None,
        description=(
            "Catalogue folder to load. Default: the packaged North Korea catalogue."
        ),
    )
    actor: str = Field(
        default="cli",
        description="Name written to the custody log for actions of this process.",
    )
    small_cell_threshold: int = Field(
        default=5,
        ge=1,
        description=(
            "Counts below this are suppressed in views for viewers and the public."
        ),
    )
