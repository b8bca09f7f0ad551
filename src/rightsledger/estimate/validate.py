"""Input checks for capture tables: bad input gets a clear error, never a number.

Two levels, both pure:

- :func:`check_row` reads one row of the aggregated CSV format (one 0/1 column per
  list and a ``count``) and returns every problem with its file, row and column:
  a flag that is not 0 or 1, a count that is missing, negative or not a whole
  number, and a positive count on the all-zero row (nobody can be observed on no
  list; that cell is what the estimators estimate). A zero count there is accepted,
  since some tables write the cell as a placeholder.
- :func:`check_table` looks at the whole table before any estimator runs: fewer than
  two lists, nobody seen, or a list that nobody is on (named) raise
  :class:`~rightsledger.errors.InputErrors`.

:func:`table_warnings` returns the softer problems (no overlap between a list and
the others, very sparse tables) that an estimator may still fit but whose result
must carry a warning. Non-identifiable models are caught by the estimators
themselves, which raise :class:`~rightsledger.errors.EstimationError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rightsledger.errors import InputError, InputErrors

if TYPE_CHECKING:  # histories imports this module to check its rows
    from .histories import CaptureTable, Pattern

__all__ = ["check_header", "check_row", "check_table", "table_warnings"]


def check_header(
    columns: Sequence[str], strata: Sequence[str], *, source: str = ""
) -> list[InputError]:
    """Problems with the column names: no ``count`` column, fewer than two lists."""
    errors: list[InputError] = []
    if "count" not in columns:
        errors.append(InputError("no 'count' column in the header", file=source, row=1))
    lists = [c for c in columns if c != "count" and c not in strata]
    if len(lists) < 2:
        errors.append(
            InputError(
                f"need at least two list columns to estimate, got {len(lists)}"
                + (f" ({', '.join(lists)})" if lists else ""),
                file=source,
                row=1,
            )
        )
    return errors


def check_row(
    row: Mapping[str, str | int], lists: Sequence[str], *, source: str, rownum: int
) -> tuple[Pattern, int, list[InputError]]:
    """Parse one row; return its pattern, count and every problem found in it.

    Args:
        row: column -> cell text (as ``csv.DictReader`` yields) or int.
        lists: the list columns, in order.
        source: file name for the error locations.
        rownum: the row's line number in the file (header = 1).

    Returns:
        ``(pattern, count, errors)``; pattern and count are only meaningful when
        errors is empty.
    """
    errors: list[InputError] = []
    flags: list[int] = []
    for col in lists:
        value = str(row.get(col, "")).strip()
        if value not in ("0", "1"):
            shown = repr(value) if value else "an empty cell"
            errors.append(
                InputError(
                    f"expected 0 or 1, got {shown}",
                    file=source,
                    row=rownum,
                    field=col,
                )
            )
        flags.append(1 if value == "1" else 0)
    count, problem = _parse_count(row.get("count", ""))
    if problem:
        errors.append(InputError(problem, file=source, row=rownum, field="count"))
    if not errors and not any(flags) and count > 0:
        errors.append(
            InputError(
                f"the all-zero row (on no list) has count {count}: that row is "
                "unobservable, nobody can be counted there; it is what the "
                "estimate is for. Leave it out or write 0",
                file=source,
                row=rownum,
                field="count",
            )
        )
    return tuple(flags), count, errors


def collapse_label_columns(
    errors: list[InputError], rows: int, *, source: str = ""
) -> list[InputError]:
    """One error for a column that holds no 0/1 flag in any row.

    Such a column is almost always a stratum (sex, region, period) that was not
    named as one; a line per row would bury that. Other errors are kept as they
    are.

    Args:
        errors: the problems found row by row.
        rows: how many rows were read.
        source: file name for the location.
    """
    bad_rows: dict[str | None, list[InputError]] = {}
    for e in errors:
        if e.message.startswith("expected 0 or 1"):
            bad_rows.setdefault(e.location[2], []).append(e)
    labels = {col for col, found in bad_rows.items() if rows and len(found) == rows}
    if not labels:
        return errors
    out = [
        e
        for e in errors
        if not (e.location[2] in labels and e in bad_rows[e.location[2]])
    ]
    notes = []
    for col in (c for c in bad_rows if c in labels and c):
        first = bad_rows[col][0].message.removeprefix("expected 0 or 1, got ")
        hint = f" ({first} in the first row)" if first != "expected 0 or 1" else ""
        notes.append(
            InputError(
                f"no row holds a 0/1 flag here{hint}, so this is not a list; if it "
                f"is a stratum, name it with --strata {col}",
                file=source,
                field=col,
            )
        )
    return notes + out


def _parse_count(raw: str | int | None) -> tuple[int, str]:
    if isinstance(raw, bool):
        return 0, f"expected a whole number of persons, got {raw!r}"
    if isinstance(raw, int):
        return (raw, "") if raw >= 0 else (0, f"negative count {raw}")
    text = str(raw if raw is not None else "").strip()
    if not text:
        return 0, "missing count"
    try:
        value = float(text)
    except ValueError:
        return 0, f"expected a whole number of persons, got {text!r}"
    if value != value or value in (float("inf"), float("-inf")):
        return 0, f"expected a whole number of persons, got {text!r}"
    if value < 0:
        return 0, f"negative count {text}: a count of persons is 0 or more"
    if value != int(value):
        return 0, f"non-integer count {text}: a count of persons is a whole number"
    return int(value), ""


def check_table(table: CaptureTable, *, source: str = "") -> None:
    """Refuse a table no estimator can use, naming every problem.

    Raises:
        InputErrors: fewer than two lists, nobody seen, or lists nobody is on
            (each named as the field of its error).
    """
    errors: list[InputError] = []
    where = source or "capture table"
    k = len(table.lists)
    if k < 2:
        errors.append(
            InputError(
                f"only {k} list ({', '.join(table.lists) or 'none'}): at least two "
                "overlapping lists are needed to estimate the unseen",
                file=source,
            )
        )
    if table.n_observed == 0:
        errors.append(InputError("the table is empty: nobody was seen", file=source))
    else:
        for name in table.lists:
            if table.list_total(name) == 0:
                errors.append(
                    InputError(
                        f"list {name!r} has nobody on it; drop it from the table",
                        file=source,
                        field=name,
                    )
                )
    InputErrors.raise_if_any(errors, what=where)


def table_warnings(table: CaptureTable) -> list[str]:
    """Problems an estimator may survive but a reader must be told about.

    Returns:
        One message per problem: a list that shares nobody with any other list
        (its overlap carries no information), or fewer than 20 persons in all.
    """
    messages: list[str] = []
    for i, name in enumerate(table.lists):
        shared = sum(n for p, n in table.counts.items() if p[i] and sum(p) > 1)
        if shared == 0 and len(table.lists) > 1:
            messages.append(
                f"list {name!r} shares nobody with the other lists: the data say "
                "little about how many it missed, so estimates lean on the model"
            )
    if 0 < table.n_observed < 20:
        messages.append(
            f"only {table.n_observed} persons seen: every estimate is very uncertain"
        )
    return messages
