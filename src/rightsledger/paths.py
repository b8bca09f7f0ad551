"""Where a ledger's files are: its key file, and the YAML files of a catalogue."""

from __future__ import annotations

from datetime import UTC, datetime
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


def finish_rotation(key_path: Path, stored_fingerprint: str | None) -> None:
    """Complete or undo a key rotation that was interrupted (see
    ``Ledger.rotate_key``): if ``<key>.next`` is the key the database now names,
    it takes the key file's place (the old one is kept as ``<key>.old-<time>``);
    otherwise the rotation never committed and ``.next`` is removed."""
    from .vault.crypto import LedgerKey

    pending = key_path.with_name(key_path.name + ".next")
    if not pending.exists():
        return
    if LedgerKey.load(pending).fingerprint != stored_fingerprint:
        pending.unlink()
        return
    if key_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        key_path.rename(key_path.with_name(f"{key_path.name}.old-{stamp}"))
    pending.rename(key_path)
