"""A capped list of input problems, so that a translation layer can report every
problem of a large file at once while its memory stays flat."""

from __future__ import annotations

from ..errors import InputError, InputErrors

#: Problems listed one by one before the rest are only counted (as the importer).
MAX_LISTED = 200


class Problems:
    """Input problems of one file: the first :data:`MAX_LISTED` kept, the rest
    counted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.listed: list[InputError] = []
        self.count = 0

    def add(self, message: str, row: int | None, field: str | None) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(
                InputError(message, file=self.file, row=row, field=field)
            )

    def raise_if_any(self, what: str) -> None:
        """Raise :class:`InputErrors` with every problem kept (and a line counting
        the rest), or do nothing when there is none."""
        if not self.count:
            return
        errors = list(self.listed)
        if self.count > len(errors):
            errors.append(
                InputError(
                    f"... and {self.count - len(errors)} more problems not listed",
                    file=self.file,
                )
            )
        raise InputErrors(errors, what=what)
