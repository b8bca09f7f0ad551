"""Rows of a records table (already read, e.g. by ``csv.DictReader``) -> records.

Pure: the caller opens the file. Every problem is collected (row and field) and
raised together, so a bad file is rejected whole with one message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rightsledger.domain import PersonRecord
from rightsledger.errors import InputError, InputErrors

__all__ = ["DEFAULT_COLUMNS", "REQUIRED", "UNNAMED_LIST", "parse_mapping", "parse_rows"]

#: Our field -> default column name.
DEFAULT_COLUMNS: dict[str, str] = {
    f: f
    for f in (
        "record_id", "list", "full_name", "sex", "birth_year", "province",
        "facility", "year_arrested",
    )
}  # fmt: skip
#: Fields whose column must be present.
REQUIRED = ("record_id", "full_name")
#: List id of rows with no list: may hold one person more than once.
UNNAMED_LIST = ""


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"full_name=name,record_id=id"`` -> field -> column, over the defaults.

    Raises:
        InputError: for an unknown field or a malformed item.
    """
    columns = dict(DEFAULT_COLUMNS)
    for item in (text or "").split(","):
        if not item.strip():
            continue
        field, sep, column = item.partition("=")
        field = field.strip()
        if not sep or not column.strip():
            raise InputError(f"{item!r} is not FIELD=COLUMN", field="--columns")
        if field not in DEFAULT_COLUMNS:
            known = ", ".join(DEFAULT_COLUMNS)
            raise InputError(
                f"unknown field {field!r} (one of {known})", field="--columns"
            )
        columns[field] = column.strip()
    return columns


def _year(
    value: str, errors: list[InputError], file: str, row: int, field: str
) -> int | None:
    if not value:
        return None
    try:
        year = int(value)
    except ValueError:
        errors.append(
            InputError(f"{value!r} is not a year", file=file, row=row, field=field)
        )
        return None
    if not 1850 <= year <= 2100:
        errors.append(
            InputError(
                f"{year} is not a plausible year", file=file, row=row, field=field
            )
        )
        return None
    return year


def parse_rows(
    header: Sequence[str],
    rows: Iterable[Mapping[str, str | None]],
    columns: Mapping[str, str],
    *,
    file: str = "",
) -> list[PersonRecord]:
    """Validate rows and build records.

    Args:
        header: the table's column names.
        rows: one mapping per data row (column -> text).
        columns: field -> column name (see :func:`parse_mapping`).
        file: the file name, for messages.

    Returns:
        One record per row, in order. Rows without a list get
        :data:`UNNAMED_LIST`.

    Raises:
        InputErrors: every missing column, empty name or id, bad year and
            repeated id, with row numbers (the header is row 1).
    """
    missing = [columns[f] for f in REQUIRED if columns[f] not in header]
    if missing:
        raise InputErrors(
            [
                InputError("required column is missing", file=file, field=c)
                for c in missing
            ],
            what=file or "records table",
        )
    errors: list[InputError] = []
    seen: dict[str, int] = {}
    records: list[PersonRecord] = []
    for row_no, row in enumerate(rows, start=2):

        def get(field: str, row: Mapping[str, str | None] = row) -> str:
            column = columns[field]
            return (row.get(column) or "").strip() if column in header else ""

        rid, name = get("record_id"), get("full_name")
        if not rid:
            errors.append(
                InputError(
                    "empty record id", file=file, row=row_no, field=columns["record_id"]
                )
            )
        elif rid in seen:
            errors.append(InputError(
                f"record id {rid!r} repeats row {seen[rid]}", file=file, row=row_no,
                field=columns["record_id"],
            ))  # fmt: skip
        else:
            seen[rid] = row_no
        if not name:
            errors.append(
                InputError(
                    "empty name", file=file, row=row_no, field=columns["full_name"]
                )
            )
        birth = _year(get("birth_year"), errors, file, row_no, columns["birth_year"])
        arrested = _year(
            get("year_arrested"), errors, file, row_no, columns["year_arrested"]
        )
        records.append(PersonRecord(
            rid, get("list") or UNNAMED_LIST, name, get("sex") or None, birth,
            get("province") or None, get("facility") or None, arrested,
        ))  # fmt: skip
    InputErrors.raise_if_any(errors, what=file or "records table")
    return records
