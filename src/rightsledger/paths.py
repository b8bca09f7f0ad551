"""Where a ledger's files are: its key file, and the YAML files of a catalogue."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .errors import ConfigError, NotFound
from .store.session import parse_url, sqlite_path


def read_catalogue_files(folder: Path) -> dict[str, str]:
    """The YAML files of a catalogue folder, by name.

    Raises:
        NotFound: the folder does not exist or holds no YAML file.
    """
    if not folder.is_dir():
        raise NotFound(f"catalogue folder {folder} does not exist")
    files = {
        p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))
    }
    if not files:
        raise NotFound(f"catalogue folder {folder} holds no .yaml file")
    return files


def key_path_for(settings: Settings) -> Path:
    """Where the key file is: the setting, else beside the SQLite file."""
    if settings.key_file is not None:
        return settings.key_file
    path = sqlite_path(parse_url(settings.database_url))
    if path is None:
        raise ConfigError(
            "a key file is required for this database: set RIGHTSLEDGER_KEY_FILE "
            "or pass --key-file"
        )
    return path.with_suffix(path.suffix + ".key")


def vault_path_for(settings: Settings) -> Path:
    """Where the evidence vault is: the setting, else beside the SQLite file."""
    if settings.vault_dir is not None:
        return settings.vault_dir
    path = sqlite_path(parse_url(settings.database_url))
    if path is None:
        raise ConfigError(
            "a vault folder is required for this database: set "
            "RIGHTSLEDGER_VAULT_DIR or pass --vault-dir"
        )
    return path.with_suffix(path.suffix + ".vault")
