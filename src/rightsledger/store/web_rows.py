"""Browser sessions of the web app (only hashes of their cookies are kept)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from .custody_log import changes_data
from .tables import CustodyRow, Meta, UserRow, WebSessionRow


def add(
    session: Session,
    *,
    token_hash: str,
    user: str,
    csrf: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        WebSessionRow(
            token_hash=token_hash,
            user_name=user,
            csrf=csrf,
            created_at=at,
            expires_at=expires_at,
        )
    )


def get(session: Session, token_hash: str) -> tuple[WebSessionRow, UserRow] | None:
    row = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.name == WebSessionRow.user_name)
        .where(WebSessionRow.token_hash == token_hash)
    ).first()
    return None if row is None else (row[0], row[1])


def remove(session: Session, token_hash: str) -> bool:
    result = session.execute(
        delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash)
    )
    return bool(getattr(result, "rowcount", 0))


def remove_expired(session: Session, now: datetime) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))


def remove_for_user(session: Session, user: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_name == user))


def stored_data_version(connection: Connection) -> int | None:
    """``meta.data_version`` read with one Core query, or None when the ledger
    does not keep it yet (then :func:`data_version` reads it from the log). A
    page cache asks on every request, so it skips the ORM session."""
    value = connection.execute(
        select(Meta.value).where(Meta.key == "data_version")
    ).scalar()
    return None if value is None else int(value)


def data_version(session: Session) -> int:
    """The custody entry of the last change of data (``meta.data_version``, kept by
    the ledger). A ledger made before it was kept has no such row until its next
    change of data: then the log is read backwards to its last change of data."""
    stored = session.get(Meta, "data_version")
    if stored is not None:
        return int(stored.value)
    rows = session.execute(
        select(CustodyRow.seq, CustodyRow.action).order_by(CustodyRow.seq.desc())
    )
    return next((seq for seq, action in rows if changes_data(action)), 0)
