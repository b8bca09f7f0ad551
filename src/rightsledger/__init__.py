"""rightsledger: verifiable human-rights benchmarks for diplomacy.

The public surface is small: :class:`Ledger` (the façade the CLI, the web app and
the tests drive), :class:`Settings`, and the error tree in :mod:`rightsledger.errors`.
Both are imported lazily so that ``import rightsledger`` stays light.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("rightsledger")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from .config import Settings
    from .ledger import Ledger

__all__ = ["Ledger", "Settings", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Ledger":
        from .ledger import Ledger

        return Ledger
    if name == "Settings":
        from .config import Settings

        return Settings
    raise AttributeError(f"module 'rightsledger' has no attribute {name!r}")
