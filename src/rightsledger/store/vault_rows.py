"""Vault files and attachments, and the imports table."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import AttachmentRow, ImportRow, VaultFileRow


def wrapped_key(session: Session, sha256: str) -> bytes | None:
    row = session.get(VaultFileRow, sha256)
    return None if row is None else row.wrapped_key


def add_file(
    session: Session,
    *,
    sha256: str,
    size: int,
    media_type: str,
    wrapped: bytes,
    at: datetime,
) -> None:
    session.add(
        VaultFileRow(
            sha256=sha256,
            size=size,
            media_type=media_type,
            wrapped_key=wrapped,
            stored_at=at,
        )
    )
    session.flush()


def attachment(session: Session, source_id: str, sha256: str) -> AttachmentRow | None:
    return session.scalars(
        select(AttachmentRow).where(
            AttachmentRow.source_id == source_id, AttachmentRow.sha256 == sha256
        )
    ).first()


def add_attachment(
    session: Session,
    *,
    source_id: str,
    sha256: str,
    original_name: bytes,
    collected_by: str,
    collected_on: date | None,
    method: str,
    at: datetime,
    by: str,
) -> None:
    session.add(
        AttachmentRow(
            source_id=source_id,
            sha256=sha256,
            original_name=original_name,
            collected_by=collected_by,
            collected_on=collected_on,
            method=method,
            added_at=at,
            added_by=by,
        )
    )
    session.flush()


def attachments(
    session: Session, source_id: str | None = None
) -> list[tuple[AttachmentRow, VaultFileRow]]:
    query = select(AttachmentRow, VaultFileRow).join(
        VaultFileRow, VaultFileRow.sha256 == AttachmentRow.sha256
    )
    if source_id is not None:
        query = query.where(AttachmentRow.source_id == source_id)
    return [(a, v) for a, v in session.execute(query.order_by(AttachmentRow.id))]


def files(session: Session) -> list[VaultFileRow]:
    return list(session.scalars(select(VaultFileRow).order_by(VaultFileRow.sha256)))


def already_imported(session: Session, content_hash: str) -> ImportRow | None:
    return session.get(ImportRow, content_hash)


def record_import(
    session: Session,
    *,
    content_hash: str,
    kind: str,
    file_name: str,
    rows: int,
    at: datetime,
    by: str,
) -> None:
    session.add(
        ImportRow(
            content_hash=content_hash,
            kind=kind,
            file_name=file_name,
            rows=rows,
            imported_at=at,
            imported_by=by,
        )
    )
    session.flush()
