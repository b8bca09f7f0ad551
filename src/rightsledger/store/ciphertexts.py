"""Every encrypted value in the ledger, in one place: what ``keys rotate``
re-encrypts and what ``verify`` authenticates.

Each value is bound to a context string (its row) as associated data, so a value
moved to another row fails authentication as surely as an altered one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import (
    BindParameter,
    Column,
    LargeBinary,
    Table,
    bindparam,
    cast,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..errors import IntegrityError
from ..vault.crypto import FieldCipher
from .link_rows import NOTES_SEALED_FROM
from .tables import (
    AttachmentRow,
    LinkDecisionRow,
    LinkModelRow,
    Meta,
    RecordRow,
    TestimonyRow,
    VaultFileRow,
    WitnessRow,
)

BATCH = 2_000


@dataclass(frozen=True)
class _Field:
    what: str
    table: Table
    key: tuple[str, ...]
    column: str
    context: Callable[[tuple[object, ...]], str]
    text: bool  # encrypt_text/decrypt_text, else a JSON object (identity fields)
    hexed: bool = False  # kept as hex digits in a text column, not as bytes
    #: ledger_meta key of the first (integer) key whose value must be sealed;
    #: rows before it were written before the field was sealed and hold none
    sealed_from: str | None = None


def _t(cls: type) -> Table:
    table: Table = cls.__table__  # type: ignore[attr-defined]
    return table


FIELDS = (
    _Field("record", _t(RecordRow), ("id",), "identity", lambda k: str(k[0]), False),
    _Field(
        "witness",
        _t(WitnessRow),
        ("id",),
        "identity",
        lambda k: f"witness:{k[0]}",
        False,
    ),
    _Field(
        "testimony",
        _t(TestimonyRow),
        ("id",),
        "text",
        lambda k: f"testimony:{k[0]}",
        True,
    ),
    _Field(
        "attachment",
        _t(AttachmentRow),
        ("source_id", "sha256"),
        "original_name",
        lambda k: f"attachment:{k[0]}:{k[1]}",
        True,
    ),
    _Field(
        "vault file key",
        _t(VaultFileRow),
        ("sha256",),
        "wrapped_key",
        lambda k: str(k[0]),
        True,
    ),
    # a linkage run's trained model holds frequency tables of name values
    _Field(
        "linkage model",
        _t(LinkModelRow),
        ("run_id",),
        "model",
        lambda k: f"link-model:{k[0]}",
        True,
        hexed=True,
    ),
    # an investigator's note on a pair may say anything about the people in it
    _Field(
        "link review note",
        _t(LinkDecisionRow),
        ("id",),
        "note_sealed",
        lambda k: f"link-note:{k[0]}",
        True,
        hexed=True,
        sealed_from=NOTES_SEALED_FROM,
    ),
)


def _sealed_rows(
    session: Session, f: _Field
) -> Iterator[tuple[tuple[object, ...], bytes | None]]:
    """The rows whose value must be a ciphertext: all of them, or, for a field
    sealed since some row, the rows from it (earlier ones hold none)."""
    first = 1
    if f.sealed_from is not None:
        stored = session.get(Meta, f.sealed_from)
        first = int(stored.value) if stored is not None else 1
    for key, blob in _rows(session, f):
        if f.sealed_from is not None and blob is None and int(str(key[0])) < first:
            continue
        yield key, blob


def _rows(
    session: Session, f: _Field
) -> Iterator[tuple[tuple[object, ...], bytes | None]]:
    """Rows page by page (keyset on the primary key), so that updating rows
    already read never disturbs an open cursor, and memory stays flat.

    Values are read cast to bytes: SQLite stores whatever it is given, and a
    value replaced by text must be reported as altered, not crash the reading."""
    cols = [f.table.c[k] for k in f.key]
    value = f.table.c[f.column] if f.hexed else cast(f.table.c[f.column], LargeBinary)
    if len(cols) > 1:  # attachments: few rows, read at once
        yield from (
            (tuple(r[:-1]), _stored(f, r[-1]))
            for r in session.execute(select(*cols, value).order_by(*cols)).all()
        )
        return
    key = cols[0]
    last: object = None
    while True:
        query = select(key, value).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        page = session.execute(query).all()
        if not page:
            return
        for r in page:
            yield (r[0],), _stored(f, r[1])
        last = page[-1][0]


def _stored(f: _Field, raw: object) -> bytes | None:
    """A stored value as the bytes that were encrypted (None when it is no
    ciphertext at all: those fail authentication)."""
    if raw is None:
        return None
    if not f.hexed:
        return bytes(raw) if isinstance(raw, bytes | bytearray | memoryview) else None
    try:
        return bytes.fromhex(str(raw))
    except ValueError:
        return None


#: The shortest value encryption produces: a 12-byte nonce and a 16-byte tag.
_SHORTEST = 12 + 16


def _open(cipher: FieldCipher, f: _Field, blob: bytes | None, context: str) -> object:
    if blob is None or len(blob) < _SHORTEST:
        # too short to be a ciphertext: AES-GCM would refuse it with ValueError
        raise IntegrityError(f"{f.what} {context}: no ciphertext (emptied or cut)")
    if f.text:
        return cipher.decrypt_text(blob, context=context)
    return cipher.decrypt(blob, context=context)


def problems(session: Session, cipher: FieldCipher) -> list[str]:
    """One line per encrypted value that fails authentication."""
    out: list[str] = []
    for f in FIELDS:
        for key, blob in _sealed_rows(session, f):
            try:
                _open(cipher, f, blob, f.context(key))
            except IntegrityError:
                out.append(
                    f"{f.what} {'/'.join(map(str, key))}: encrypted {f.column} fails "
                    "authentication (altered, or moved from another row)"
                )
    return out


def reencrypt(
    session: Session,
    old: FieldCipher,
    new: FieldCipher,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Decrypt every value under ``old`` and store it encrypted under ``new``,
    in the caller's transaction (so it lands whole or not at all)."""
    counts: dict[str, int] = {}
    for f in FIELDS:
        pending: list[dict[str, object]] = []
        n = 0
        params = {k: f"k_{k}" for k in f.key}
        stmt = (
            update(f.table)
            .where(*[f.table.c[k] == _bind(f.table.c[k], params[k]) for k in f.key])
            .values({f.column: _bind(f.table.c[f.column], "v_new")})
        )
        for key, blob in _sealed_rows(session, f):
            ctx = f.context(key)
            value = _open(old, f, blob, ctx)
            fresh = (
                new.encrypt_text(str(value), context=ctx)
                if f.text
                else new.encrypt(value, context=ctx)  # type: ignore[arg-type]
            )
            pending.append(
                {
                    **{params[k]: v for k, v in zip(f.key, key, strict=True)},
                    "v_new": fresh.hex() if f.hexed else fresh,
                }
            )
            n += 1
            if len(pending) >= BATCH:
                session.execute(stmt, pending)
                pending.clear()
                if progress is not None:
                    progress(f.what, n)
        if pending:
            session.execute(stmt, pending)
        counts[f.what] = n
    return counts


def _bind(column: Column[object], name: str) -> BindParameter[object]:
    return bindparam(name, type_=column.type)
