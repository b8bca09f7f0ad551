"""Person records -> the columns the Korean comparisons read (pure, no Splink).

Every name is reduced once (names repeat, so the reduction is cached per
spelling): family and given skeletons (:func:`rightsledger.names.name_parts`),
the full key, the first two given syllables and the sorted syllables of the
whole name (for family/given order mistakes). Places become a province code and
a county skeleton; sex becomes ``M``/``F``. Columns are plain Python lists so
that this module needs neither pandas nor Splink; the engine builds its table.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from rightsledger.domain import PersonRecord
from rightsledger.names import name_parts
from rightsledger.names.syllables import name_syllables, split_syllables

from .places import split_place

__all__ = ["COLUMNS", "NameFeatures", "name_features", "record_columns", "tf_hash"]

NameFeatures = tuple[str, str, str, str | None, str | None, str]

#: Columns of the feature table, in order.
COLUMNS = (
    "unique_id",
    "src",
    "rep",
    "fam",
    "giv",
    "nkey",
    "g1",
    "g2",
    "nsorted",
    "byear",
    "sex",
    "prov",
    "county",
    "fac",
    "yarr",
)

_SEX = {"m": "M", "male": "M", "남": "M", "f": "F", "female": "F", "여": "F"}


@lru_cache(maxsize=1 << 18)
def name_features(full_name: str) -> NameFeatures:
    """``(family, given, key, syllable 1, syllable 2, sorted syllables)``.

    Examples:
        >>> name_features("Ch'ŏl-su Kim")
        ('kim', 'colsu', 'kim colsu', 'col', 'su', 'col kim su')
    """
    family, given = name_parts(full_name)
    syllables = split_syllables(given)
    first = syllables[0] if syllables else None
    second = syllables[1] if len(syllables) > 1 else None
    ordered = " ".join(sorted(name_syllables(family, given)))
    return family, given, f"{family} {given}".strip(), first, second, ordered


#: Distinct names above which names are reduced in worker processes.
_PARALLEL_FROM = 50_000


def _reduce_names(names: Sequence[str]) -> dict[str, NameFeatures]:
    """Name features of distinct names, on every core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(names) < _PARALLEL_FROM or workers < 2:
        return {n: name_features(n) for n in names}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        reduced = pool.map(name_features, names, chunksize=2_000)
        return dict(zip(names, reduced, strict=True))


def _sex(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _SEX.get(value.strip().lower(), value.strip().upper())


def _blank(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


def record_columns(
    records: Sequence[PersonRecord], repeating_lists: Collection[str] = ()
) -> dict[str, list[object]]:
    """The feature table of ``records`` as columns (name -> values, in order).

    Args:
        records: the records to link.
        repeating_lists: lists that may hold one person more than once.

    Returns:
        One list per name in :data:`COLUMNS`, each as long as ``records``.
    """
    repeating = set(repeating_lists)
    reduced = _reduce_names(sorted({r.full_name for r in records}))
    names = [reduced[r.full_name] for r in records]
    places = [split_place(r.province) for r in records]
    cols: dict[str, list[object]] = {
        "unique_id": [r.record_id for r in records],
        "src": [r.source_id for r in records],
        "rep": [int(r.source_id in repeating) for r in records],
        "fam": [n[0] or None for n in names],
        "giv": [n[1] or None for n in names],
        "nkey": [n[2] or None for n in names],
        "g1": [n[3] for n in names],
        "g2": [n[4] for n in names],
        "nsorted": [n[5] or None for n in names],
        "byear": [r.birth_year for r in records],
        "sex": [_sex(r.sex) for r in records],
        "prov": [p[0] for p in places],
        "county": [p[1] for p in places],
        "fac": [_blank(r.facility_id) for r in records],
        "yarr": [r.year_arrested for r in records],
    }
    return {c: cols[c] for c in COLUMNS}


def tf_hash(value: str) -> str:
    """Pseudonymous key of a name for stored term frequencies (no name on disk)."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]
