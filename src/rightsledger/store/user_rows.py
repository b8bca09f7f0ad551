"""The users table: names, roles, password and token hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import Role
from .tables import UserRow


def get(session: Session, name: str) -> UserRow | None:
    return session.get(UserRow, name)


def by_token_hash(session: Session, token_hash: str) -> UserRow | None:
    return session.scalars(
        select(UserRow).where(UserRow.token_hash == token_hash)
    ).first()


def add(
    session: Session,
    *,
    name: str,
    role: Role,
    password_hash: str | None,
    at: datetime,
    by: str,
) -> None:
    session.add(
        UserRow(
            name=name,
            role=role.value,
            password_hash=password_hash,
            token_hash=None,
            active=True,
            created_at=at,
            created_by=by,
        )
    )
    session.flush()


def all_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.name)))
