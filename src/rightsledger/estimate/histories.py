"""Capture histories: how many persons were seen on which combination of lists."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rightsledger.domain import Clustering
from rightsledger.errors import InputError, InputErrors

from .validate import check_header, check_row, collapse_label_columns

__all__ = ["CaptureTable", "Pattern", "capture_histories"]

#: One 0/1 flag per list, in the order of ``CaptureTable.lists``.
Pattern = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CaptureTable:
    """Counts of persons per observed capture pattern.

    Attributes:
        lists: list ids, in the order of the pattern flags.
        counts: pattern -> number of persons; only observed patterns with a
            positive count are kept, never the all-zero pattern.
    """

    lists: tuple[str, ...]
    counts: dict[Pattern, int]

    def __post_init__(self) -> None:
        k = len(self.lists)
        if len(set(self.lists)) != k:
            raise InputError("list ids repeat", field="lists")
        for pattern, n in self.counts.items():
            if len(pattern) != k or any(x not in (0, 1) for x in pattern):
                raise InputError(f"pattern {pattern} is not {k} flags of 0/1")
            if not any(pattern):
                raise InputError("the all-zero pattern cannot be observed")
            if n < 0:
                raise InputError(f"negative count for pattern {pattern}")
        positive = {p: int(n) for p, n in sorted(self.counts.items()) if n > 0}
        object.__setattr__(self, "counts", positive)

    @property
    def n_observed(self) -> int:
        """Number of distinct persons seen on at least one list."""
        return sum(self.counts.values())

    def list_total(self, name: str) -> int:
        """Number of persons on list ``name``."""
        i = self.lists.index(name)
        return sum(n for p, n in self.counts.items() if p[i])

    def inputs_hash(self) -> str:
        """SHA-256 of the canonical JSON form (lists and sorted positive cells)."""
        cells = [["".join(map(str, p)), n] for p, n in sorted(self.counts.items())]
        raw = json.dumps({"lists": list(self.lists), "counts": cells})
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, str | int]],
        *,
        where: Mapping[str, str] | None = None,
        source: str = "",
    ) -> CaptureTable:
        """Build a table from rows of the aggregated CSV format of ``datasets/mse``.

        Every column except ``count`` and the stratum columns named in ``where``
        is a list (0/1). Rows with the same pattern are summed. Rows are checked by
        :mod:`rightsledger.estimate.validate`: flags 0/1, counts whole and not
        negative, and the unobservable all-zero row empty (count 0) or absent.

        Args:
            rows: mappings such as ``csv.DictReader`` yields.
            where: keep only rows whose stratum columns have these values.
            source: a file name used in error messages.

        Raises:
            InputErrors: every bad cell, with its row and column; a header with
                no ``count`` column or fewer than two lists.
        """
        strata = dict(where or {})
        counts: dict[Pattern, int] = defaultdict(int)
        errors: list[InputError] = []
        lists: tuple[str, ...] = ()
        rownum = 1
        for rownum, row in enumerate(rows, start=2):
            if not lists:
                columns = [str(c) for c in row]
                lists = tuple(c for c in columns if c != "count" and c not in strata)
                header = check_header(columns, list(strata), source=source)
                InputErrors.raise_if_any(header, what=source or "capture table")
            if any(str(row.get(c)) != v for c, v in strata.items()):
                continue
            pattern, count, bad = check_row(row, lists, source=source, rownum=rownum)
            errors += bad
            if not bad and any(pattern):
                counts[pattern] += count
        errors = collapse_label_columns(errors, rownum - 1, source=source)
        InputErrors.raise_if_any(errors, what=source or "capture table")
        if not lists:
            raise InputError("no rows", file=source)
        return cls(lists=lists, counts=dict(counts))

    @classmethod
    def from_csv_text(
        cls, text: str, *, where: Mapping[str, str] | None = None, source: str = ""
    ) -> CaptureTable:
        """Parse already-read CSV text; see :meth:`from_rows` for the format."""
        reader = csv.DictReader(io.StringIO(text))
        return cls.from_rows(reader, where=where, source=source)


def capture_histories(
    clustering: Clustering,
    record_lists: Mapping[str, str],
    lists: Sequence[str] | None = None,
) -> CaptureTable:
    """Count persons per combination of lists they were recorded on.

    Args:
        clustering: records grouped into persons.
        record_lists: record id -> id of the list (source) that holds it.
        lists: the lists to use, in order; default all lists seen, sorted. Records
            on other lists are ignored, so a person seen only there is not counted.

    Returns:
        The capture table.

    Raises:
        InputError: if a clustered record has no list.
    """
    missing = sorted(set(clustering.assignment) - set(record_lists))
    if missing:
        raise InputError(
            f"{len(missing)} records have no list, e.g. {missing[0]}", field="record_id"
        )
    chosen = (
        tuple(lists) if lists is not None else tuple(sorted(set(record_lists.values())))
    )
    index = {name: i for i, name in enumerate(chosen)}
    seen: dict[str, set[int]] = defaultdict(set)
    for record_id, person in clustering.assignment.items():
        position = index.get(record_lists[record_id])
        if position is not None:
            seen[person].add(position)
    patterns = Counter(
        tuple(int(i in on) for i in range(len(chosen))) for on in seen.values()
    )
    return CaptureTable(lists=chosen, counts=dict(patterns))
