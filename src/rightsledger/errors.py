"""The exception tree of rightsledger.

    RightsLedgerError
    ├── InputError          bad user input; ``.location`` = (file, row, field)
    │   └── InputErrors     several InputError collected and raised together
    ├── CatalogueError      a catalogue file is invalid (an InputErrors)
    ├── ConfigError         settings, database URL or key file unusable
    ├── NotFound            an id that is not in the ledger
    ├── Forbidden           the actor's role may not do this
    ├── IntegrityError      custody chain or evidence hash mismatch
    └── EstimationError     an estimator cannot produce a finite result

Every message names what went wrong and where; the CLI prints it without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Location = tuple[str, int | None, str | None]


class RightsLedgerError(Exception):
    """Base class of every error rightsledger raises on purpose."""


class InputError(RightsLedgerError):
    """One problem in user input, with the file, row (or None) and field (or key)."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.location: Location = (file, row, field)
        super().__init__(self.describe())

    def describe(self) -> str:
        file, row, field = self.location
        parts = [p for p in (file, f"row {row}" if row is not None else "", field) if p]
        where = ": ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class InputErrors(InputError):
    """Several input problems found in one pass, reported together."""

    def __init__(self, errors: Sequence[InputError], *, what: str = "input") -> None:
        self.errors = list(errors)
        self.what = what
        first = self.errors[0].location if self.errors else ("", None, None)
        super().__init__(self._summary(), file=first[0])

    def _summary(self) -> str:
        n = len(self.errors)
        lines = [f"{n} problem{'s' if n != 1 else ''} in {self.what}:"]
        lines += [f"  - {e.describe()}" for e in self.errors]
        return "\n".join(lines)

    def describe(self) -> str:
        return self._summary()

    @classmethod
    def raise_if_any(cls, errors: Iterable[InputError], *, what: str = "input") -> None:
        collected = list(errors)
        if collected:
            raise cls(collected, what=what)


class CatalogueError(InputErrors):
    """A catalogue folder failed validation; ``errors`` lists every problem."""


class ConfigError(RightsLedgerError):
    """Settings, the database URL or the key file cannot be used."""


class NotFound(RightsLedgerError):
    """An id or a path that does not exist."""


class Forbidden(RightsLedgerError):
    """The actor's role does not allow the action."""


class IntegrityError(RightsLedgerError):
    """Stored evidence or the custody chain does not match its hashes."""


class EstimationError(RightsLedgerError):
    """An estimator cannot give a finite estimate on this input."""


class EstimationWarning(UserWarning):
    """Numerical trouble in an estimator; also recorded in the result's diagnostics."""


__all__ = [
    "CatalogueError",
    "ConfigError",
    "EstimationError",
    "EstimationWarning",
    "Forbidden",
    "InputError",
    "InputErrors",
    "IntegrityError",
    "Location",
    "NotFound",
    "RightsLedgerError",
]
