"""Reading a CSV export of an Uwazi collection through a mapping file.

Uwazi (HURIDOCS) writes one row per entity. Its columns are ``Title``, ``Date
added`` and ``Template``, then the labels of the templates' properties, then
``Documents``, ``Attachments`` and ``Published``. Dates follow the collection's
date format (``YYYY-MM-DD`` by default), a date range is ``from~to``, several
values in one cell (multi-select, multiple dates, relationships) are joined
with ``|``, a geolocation is ``lat|lon``. docs/interop.md gives the evidence.

:func:`uwazi_rows` streams the export through :class:`RowFile` (so encoding and
CSV problems are reported as for any intake file) and yields rows named with
the kind's fields, ready for :meth:`Ledger.import_file`. It checks what only
the mapping knows: every column is mapped or ignored (all unmapped columns are
reported at once, on row 1), each row is of the mapping's template, dates
follow the mapping's format, enumerated values are in the mapping's tables.
Rows with such a problem are held back and the problems raised together once
the file is read; the importer, which runs the kind's own checks (types,
references, duplicates) on the other rows, reports them with its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import Origin
from ..errors import InputError, InputErrors
from ..intake.fields import blank
from ..intake.readers import Row, RowFile
from ._problems import Problems
from .uwazi_mapping import ColumnTarget, UwaziMapping, read_mapping

if TYPE_CHECKING:
    from ..intake.importer import ImportSummary, Progress
    from ..ledger import Ledger


class UwaziExport:
    """One Uwazi CSV export read through one mapping; iterate :meth:`rows`."""

    def __init__(self, csv_path: Path, mapping: UwaziMapping) -> None:
        self.mapping = mapping
        self.file = RowFile(csv_path, "csv", mapping.kind)
        self.name = csv_path.name

    @property
    def consumed(self) -> int:
        return self.file.consumed

    @property
    def size(self) -> int:
        return self.file.size

    def rows(self) -> Iterator[Row]:
        """Rows with the kind's field names, in file order.

        Raises:
            InputErrors: unmapped or missing columns (before any row), or, once
                the whole file is read, rows of another template, dates not in
                the mapping's format, values missing from the mapping's tables.
            InputError: the file is not UTF-8 or not well-formed CSV.
        """
        problems = Problems(self.name)
        self.file.on_problem = problems.add  # rows of the wrong width, with ours
        header_checked = False
        for row, raw in self.file.rows():
            if not header_checked:
                self._check_header()
                header_checked = True
            values = self._translate(row, raw, problems)
            if values is not None:
                yield row, values
        if not header_checked:
            self._check_header()
        problems.raise_if_any(f"{self.name} (Uwazi export, {self.mapping.kind})")

    def _check_header(self) -> None:
        m, columns = self.mapping, self.file.columns or []
        used = m.mapped_columns | m.ignore
        if m.template is not None:
            used.add(m.template_column)
        errors = [
            InputError(
                f"Uwazi column is not in the mapping {m.file}: map it under fields "
                "or list it under ignore",
                file=self.name,
                row=1,
                field=column,
            )
            for column in columns
            if column not in used
        ]
        wanted = sorted(m.mapped_columns)
        if m.template is not None:
            wanted.append(m.template_column)
        errors += [
            InputError(
                f"the mapping {m.file} reads this column, but the export has no "
                "such column",
                file=self.name,
                row=1,
                field=column,
            )
            for column in wanted
            if column not in columns
        ]
        InputErrors.raise_if_any(errors, what=f"the columns of {self.name}")

    def _translate(
        self, row: int, raw: dict[str, Any], problems: Problems
    ) -> dict[str, Any] | None:
        m = self.mapping
        before = problems.count
        if m.template is not None:
            found = str(raw.get(m.template_column, "")).strip()
            if found != m.template:
                problems.add(
                    f"a row of template {found!r}; the mapping {m.file} reads "
                    f"{m.template!r} only (export one template at a time)",
                    row,
                    m.template_column,
                )
                return None
        out: dict[str, Any] = dict(m.constants)
        for target in m.columns:
            for name, value in self._cells(
                target, raw.get(target.column), row, problems
            ):
                out[name] = self._value(name, value, target.column, row, problems)
        return out if problems.count == before else None

    def _cells(
        self, target: ColumnTarget, cell: Any, row: int, problems: Problems
    ) -> list[tuple[str, str]]:
        text = "" if cell is None else str(cell).strip()
        separator = target.separator(self.mapping.schema)
        if separator is None:
            return [(target.fields[0], text)]
        if not text:
            return [(name, "") for name in target.fields]
        parts = [p.strip() for p in text.split(separator)]
        if len(parts) != len(target.fields):
            problems.add(
                f"{text!r}: expected {len(target.fields)} values separated by "
                f"{separator!r} (for {', '.join(target.fields)})",
                row,
                target.column,
            )
            return []
        return list(zip(target.fields, parts, strict=True))

    def _value(
        self, name: str, text: str, column: str, row: int, problems: Problems
    ) -> Any:
        if blank(text):
            return ""
        m = self.mapping
        table = m.values.get(name)
        if table is not None:
            if text not in table:
                problems.add(
                    f"{text!r} is not in the mapping's values for {name} (known: "
                    f"{', '.join(sorted(table))})",
                    row,
                    column,
                )
                return ""
            return table[text]
        if m.is_day(name):
            try:
                return datetime.strptime(text, m.strptime_format).date().isoformat()
            except ValueError:
                problems.add(
                    f"{text!r} is not a date in the mapping's format {m.date_format}",
                    row,
                    column,
                )
                return ""
        return text


def uwazi_rows(csv_path: Path, mapping: UwaziMapping) -> Iterator[Row]:
    """Stream an Uwazi CSV export as rows of ``mapping.kind``.

    See :meth:`UwaziExport.rows` for what is checked and raised.

    Examples:
        >>> ledger.import_file(path, m.kind, rows=uwazi_rows(path, m))  # doctest: +SKIP
    """
    return UwaziExport(csv_path, mapping).rows()


def uwazi_import(
    ledger: Ledger,
    csv_path: Path,
    mapping_path: Path,
    *,
    origin: Origin = Origin.REAL,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import an Uwazi CSV export into the ledger, in one transaction.

    The same export imported twice changes nothing (the ledger recognises the
    file by its content hash, whatever the mapping).

    Raises:
        InputErrors: a problem of the mapping file, of the export's columns or
            rows (see :meth:`UwaziExport.rows`), or of the kind's checks;
            nothing lands.
        Forbidden: the actor may not write evidence.
    """
    mapping = read_mapping(mapping_path)
    export = UwaziExport(csv_path, mapping)

    def report(_done: int, _total: int) -> None:
        if progress is not None:
            progress(export.consumed, export.size)

    return ledger.import_file(
        csv_path,
        mapping.kind,
        fmt="csv",
        origin=origin,
        rows=export.rows(),
        progress=report,
    )
