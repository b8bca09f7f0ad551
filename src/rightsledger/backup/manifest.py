"""The manifest of a backup archive: what it holds, and the hash of every member.

It is the archive's last member (``manifest.json``), written once every other
member's SHA-256 is known. Checking and restoring recompute each member's hash
and size and compare them with it; any difference, a missing or an unlisted
member fails the archive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import IntegrityError

FORMAT = "rightsledger-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
TABLES_PREFIX = "tables/"
VAULT_PREFIX = "vault/"


def table_member(table: str) -> str:
    return f"{TABLES_PREFIX}{table}.jsonl"


@dataclass(frozen=True, slots=True)
class Member:
    """One file of the archive: a table's rows or a vault file."""

    name: str
    size: int
    sha256: str
    table: str | None = None
    rows: int | None = None


@dataclass(frozen=True, slots=True)
class BackupManifest:
    """What a backup holds. Returned by write, check and restore.

    Attributes:
        format_version: version of the archive layout (see docs/backup.md).
        created_at: when the backup was taken (UTC).
        software_version: the rightsledger version that wrote it.
        schema_revision: the Alembic revision of the database it was taken from.
        database: ``sqlite`` or ``postgresql``, where it was taken from.
        key_fingerprint: fingerprint of the ledger key the data needs (or None).
        members: every member but the manifest, in archive order.
    """

    format_version: int
    created_at: datetime
    software_version: str
    schema_revision: str
    database: str
    key_fingerprint: str | None
    members: tuple[Member, ...]

    @property
    def tables(self) -> dict[str, int]:
        """Rows per table, in restore order."""
        return {m.table: m.rows or 0 for m in self.members if m.table is not None}

    @property
    def vault_files(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.table is None)

    @property
    def vault_bytes(self) -> int:
        return sum(m.size for m in self.vault_files)

    def summary(self) -> str:
        """A few lines for people: when, from what, how much."""
        rows = sum(self.tables.values())
        return "\n".join(
            [
                f"backup of {self.created_at.isoformat(timespec='seconds')} "
                f"(rightsledger {self.software_version}, schema "
                f"{self.schema_revision}, from {self.database})",
                f"{len(self.tables)} tables, {rows:,} rows",
                f"{len(self.vault_files):,} vault files, {self.vault_bytes:,} bytes",
            ]
        )

    def to_json(self) -> bytes:
        body: dict[str, Any] = {
            "format": FORMAT,
            "format_version": self.format_version,
            "created_at": self.created_at.isoformat(),
            "software_version": self.software_version,
            "schema_revision": self.schema_revision,
            "database": self.database,
            "key_fingerprint": self.key_fingerprint,
            "members": [_member_json(m) for m in self.members],
        }
        return json.dumps(body, indent=1, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, data: bytes, *, where: str) -> BackupManifest:
        """Parse a manifest.

        Raises:
            IntegrityError: not a rightsledger manifest, or a newer format.
        """
        try:
            body = json.loads(data)
            if body.get("format") != FORMAT:
                raise ValueError("not a rightsledger backup manifest")
            version = body["format_version"]
            if version != FORMAT_VERSION:
                raise ValueError(
                    f"format version {version} is not supported (this rightsledger "
                    f"reads version {FORMAT_VERSION}); use a newer rightsledger"
                )
            return cls(
                format_version=version,
                created_at=datetime.fromisoformat(body["created_at"]),
                software_version=str(body["software_version"]),
                schema_revision=str(body["schema_revision"]),
                database=str(body["database"]),
                key_fingerprint=body.get("key_fingerprint"),
                members=tuple(_member(m) for m in body["members"]),
            )
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise IntegrityError(f"{where}: the manifest is not valid: {e}") from e


def _member_json(m: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"name": m.name, "size": m.size, "sha256": m.sha256}
    if m.table is not None:
        out |= {"table": m.table, "rows": m.rows}
    return out


def _member(m: dict[str, Any]) -> Member:
    return Member(
        name=str(m["name"]),
        size=int(m["size"]),
        sha256=str(m["sha256"]),
        table=None if m.get("table") is None else str(m["table"]),
        rows=None if m.get("rows") is None else int(m["rows"]),
    )


__all__ = [
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "TABLES_PREFIX",
    "VAULT_PREFIX",
    "BackupManifest",
    "Member",
    "table_member",
]
