"""Writing a loaded catalogue into the ledger, and reading its snapshot back."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import Agreement, Catalogue, Origin
from .tables import (
    AgreementRow,
    Base,
    BenchmarkRow,
    CatalogueSnapshot,
    ConditionRow,
    FacilityRow,
    IndicatorRow,
)


def plain(value: Any) -> Any:
    """Dataclasses, enums, dates, tuples and numpy values as strict JSON values.

    Non-finite floats become the strings "nan", "inf" and "-inf": PostgreSQL's JSON
    type (rightly) refuses the bare NaN and Infinity that Python would write.
    """
    raw = json.dumps(_to_builtin(value), default=_fallback, allow_nan=False)
    return json.loads(raw)


def _fallback(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and getattr(value, "shape", None) == ():
        return _to_builtin(item())
    tolist = getattr(value, "tolist", None)  # numpy arrays
    if callable(tolist):
        return _to_builtin(tolist())
    return str(value)


def _to_builtin(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _to_builtin(getattr(value, f.name))
            for f in dataclasses.fields(value)
        }
    if isinstance(value, tuple | list):
        return [_to_builtin(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_builtin(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def snapshot_id(files: dict[str, str]) -> str:
    raw = json.dumps(files, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()


def save_catalogue(
    session: Session,
    catalogue: Catalogue,
    files: dict[str, str],
    *,
    at: datetime,
    actor: str,
) -> str:
    """Store the snapshot and upsert its benchmarks, indicators, facilities,
    agreements and conditions. Returns the snapshot id."""
    sid = snapshot_id(files)
    if session.get(CatalogueSnapshot, sid) is None:
        session.add(
            CatalogueSnapshot(
                id=sid, name=catalogue.name, files=files, loaded_at=at, loaded_by=actor
            )
        )
    for row in _catalogue_rows(catalogue):
        session.merge(row)
    for a in catalogue.agreements:
        save_agreement(session, a, Origin.REAL)
    session.flush()
    return sid


def _catalogue_rows(catalogue: Catalogue) -> Iterator[Base]:
    """Benchmark, indicator, facility and condition rows of a catalogue, parents
    before children."""
    for pos, b in enumerate(catalogue.benchmarks):
        yield BenchmarkRow(
            id=b.id,
            position=pos,
            title=b.title,
            title_ko=b.title_ko,
            statement=b.statement,
            demanded_by=list(b.demanded_by),
            baseline=plain(b.baseline),
        )
        for ind in b.indicators:
            yield IndicatorRow(
                key=ind.key,
                benchmark_id=b.id,
                id=ind.id,
                kind=ind.kind.value,
                target=ind.target,
                rule=plain(ind.rule),
            )
    for f in catalogue.facilities:
        yield FacilityRow(
            id=f.id,
            name=f.name,
            type=f.type.value,
            location=f.location,
            latitude=f.latitude,
            longitude=f.longitude,
            operator=f.operator,
            history=plain(f.history),
        )
    for c in catalogue.conditions:
        yield ConditionRow(
            id=c.id,
            statute=c.statute,
            effect=c.effect,
            text=c.text,
            benchmarks=list(c.benchmarks),
            binding=c.binding,
        )


def save_agreement(session: Session, agreement: Agreement, origin: Origin) -> None:
    session.merge(
        AgreementRow(
            id=agreement.id,
            title=agreement.title,
            signed_on=agreement.signed_on,
            parties=list(agreement.parties),
            mentions_human_rights=agreement.mentions_human_rights,
            origin=origin.value,
            clauses=plain(agreement.clauses),
        )
    )


def latest_snapshot(session: Session) -> CatalogueSnapshot | None:
    return session.scalars(
        select(CatalogueSnapshot).order_by(CatalogueSnapshot.loaded_at.desc()).limit(1)
    ).first()


def facility_ids(session: Session) -> set[str]:
    """Ids of every facility in the ledger (the catalogue's and imported ones)."""
    return set(session.scalars(select(FacilityRow.id)))
