"""Settings: one object, passed in, never a module global.

Every setting is read from the environment with the ``RIGHTSLEDGER_`` prefix (for
example ``RIGHTSLEDGER_DATABASE_URL``). ``docs/configuration.md`` lists them all and a
test checks that the list and this class agree.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
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
        default="admin",
        description=(
            "The user this process acts as: checked against the ledger's users and "
            "their roles, and written to the custody log. `init` makes it the first "
            "admin."
        ),
    )
    password: SecretStr | None = Field(
        default=None,
        description=(
            "Password of the acting user, when that user has one (else the CLI asks)."
        ),
    )
    passphrase: SecretStr | None = Field(
        default=None,
        description=(
            "Passphrase of a ledger whose key is derived from one (`init "
            "--passphrase`) instead of kept in a key file (else the CLI asks)."
        ),
    )
    small_cell_threshold: int = Field(
        default=5,
        ge=1,
        description=(
            "Counts below this are suppressed in views for viewers and the public."
        ),
    )
    web_cookie_secure: bool = Field(
        default=True,
        description=(
            "Mark the web app's cookies Secure (sent over HTTPS only; browsers also "
            "send them to http://localhost). Set to false only to serve plain HTTP "
            "on another address, e.g. behind a TLS proxy on a trusted network."
        ),
    )
