"""Tampering with a ledger behind its back: each attack on the vault, the custody
log or the encrypted values is named precisely by ``Ledger.verify()`` (which entry,
which file, which record) and makes ``rightsledger verify`` exit 1 printing it;
an untouched ledger verifies OK.

Each test works on a private copy of a populated ledger (see ``tests/security``).
The attacker here holds the database and the vault but not the key file: they
may recompute hashes (the format is public) but not the keyed seal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, delete, insert, select, text, update
from sqlalchemy.sql import Executable

from rightsledger.cli import cli
from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.errors import ConfigError
from rightsledger.ledger import Ledger
from rightsledger.paths import key_path_for, vault_path_for
from rightsledger.store.tables import (
    AttachmentRow,
    Base,
    CustodyRow,
    RecordRow,
    VaultFileRow,
    WitnessRow,
)
from rightsledger.vault import LedgerKey, entry_hash
from rightsledger.vault.stream import HEADER_SIZE, SEALED_CHUNK_SIZE

from . import (
    ADMIN,
    USERS,
    Built,
    cli_args,
    cli_env,
    later_clock,
    open_as,
)

ALTERED = "fails authentication (altered, or moved from another row)"

CUSTODY = Base.metadata.tables["custody_log"]
RECORDS_T = Base.metadata.tables["records"]
WITNESSES_T = Base.metadata.tables["witnesses"]
TESTIMONIES_T = Base.metadata.tables["testimonies"]
ATTACHMENTS_T = Base.metadata.tables["attachments"]
VAULT_FILES_T = Base.metadata.tables["vault_files"]
DECISIONS_T = Base.metadata.tables["link_decisions"]


# -- helpers ---------------------------------------------------------------------------
def _engine(settings: Settings) -> Engine:
    return create_engine(settings.database_url)


def _run(settings: Settings, *statements: Executable | str) -> None:
    """Execute SQLAlchemy statements (or raw SQL text) in one transaction."""
    engine = _engine(settings)
    try:
        with engine.begin() as conn:
            for stmt in statements:
                conn.execute(text(stmt) if isinstance(stmt, str) else stmt)
    finally:
        engine.dispose()


def _entries(settings: Settings) -> list[dict[str, Any]]:
    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(CUSTODY).order_by(CustodyRow.seq))
            return [dict(r._mapping) for r in rows]
    finally:
        engine.dispose()


def _last_seq(settings: Settings) -> int:
    return int(_entries(settings)[-1]["seq"])


def _blob(settings: Settings, column: Any, where: Any) -> bytes:
    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            return bytes(conn.execute(select(column).where(where)).scalar_one())
    finally:
        engine.dispose()


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def _verify(settings: Settings) -> list[str]:
    with open_as(settings, ADMIN, later_clock()) as led:
        return led.verify()


def _cli_verify(settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*cli_args(settings, ADMIN), "verify"], env=cli_env(ADMIN)
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, result.output


def _vault_file(settings: Settings, sha256: str) -> Path:
    return vault_path_for(settings) / sha256[:2] / sha256


def _shift(settings: Settings, first: int, by: int) -> None:
    """Renumber entries ``first``.. by ``by`` (via negative numbers, since the
    sequence is the primary key)."""
    table = CUSTODY
    _run(
        settings,
        update(table).where(table.c.seq >= first).values(seq=-(table.c.seq + by)),
        update(table).where(table.c.seq < 0).values(seq=-table.c.seq),
    )


def _forged(after: dict[str, Any], seq: int, prev_hash: str) -> dict[str, Any]:
    """An entry an attacker writes: well formed, hashed like the real ones."""
    at: datetime = after["at"] + timedelta(milliseconds=1)
    body = ("mallory", "read-identities", "records", {"count": 6, "purpose": "x"})
    digest = entry_hash(prev_hash, body[0], body[1], body[2], at, body[3])
    return {
        "seq": seq,
        "at": at,
        "actor": body[0],
        "action": body[1],
        "target": body[2],
        "detail": body[3],
        "prev_hash": prev_hash,
        "hash": digest,
    }


# -- the attacks -----------------------------------------------------------------------
# Each attack tampers with a copy and returns the exact lines verify must give.
Attack = Callable[[Settings, Built], list[str]]


def vault_byte_in_a_later_chunk(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    path = _vault_file(s, sha)
    at = HEADER_SIZE + SEALED_CHUNK_SIZE + 100
    data = path.read_bytes()
    assert len(data) > at  # the attachment spans two chunks
    path.write_bytes(_flip(data, at))
    end = len(data) - 1
    return [
        f"vault file {sha}: chunk 1 (bytes {HEADER_SIZE + SEALED_CHUNK_SIZE}-{end}) "
        "fails authentication: the data was altered, reordered, cut or extended, "
        "or belongs to another name"
    ]


def vault_byte_in_the_header(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    path = _vault_file(s, sha)
    path.write_bytes(_flip(path.read_bytes(), 6))
    return [
        f"vault file {sha}: wrong key: the key does not match the one this stream "
        "was written with (or its header was altered)"
    ]


def vault_file_cut_short(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    path = _vault_file(s, sha)
    path.write_bytes(path.read_bytes()[: HEADER_SIZE + SEALED_CHUNK_SIZE])
    return [
        f"vault file {sha}: truncated: the stream ends after chunk 0 "
        f"(byte {HEADER_SIZE + SEALED_CHUNK_SIZE}) without its final chunk"
    ]


def vault_file_deleted(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    _vault_file(s, sha).unlink()
    return [f"vault file {sha} is missing (removed)"]


def unknown_file_in_the_vault(s: Settings, b: Built) -> list[str]:
    name = "ab" + "0" * 62
    folder = vault_path_for(s) / "ab"
    folder.mkdir()
    (folder / name).write_bytes(b"planted")
    return [
        f"vault file ab/{name} is not in the ledger (inserted, or left by an "
        "interrupted intake)"
    ]


def custody_entry_edited(s: Settings, b: Built) -> list[str]:
    table = CUSTODY
    _run(s, update(table).where(table.c.seq == 5).values(actor="someone-else"))
    return ["entry 5: content does not match its hash (altered)"]


def custody_detail_edited(s: Settings, b: Built) -> list[str]:
    last = _last_seq(s)
    table = CUSTODY
    _run(s, update(table).where(table.c.seq == last).values(detail={"count": 0}))
    return [f"entry {last}: content does not match its hash (altered)"]


def custody_entry_deleted(s: Settings, b: Built) -> list[str]:
    _run(s, delete(CUSTODY).where(CustodyRow.seq == 6))
    return ["entry 6 is missing (removed): entry 7 does not follow entry 5"]


def custody_entries_deleted(s: Settings, b: Built) -> list[str]:
    _run(s, delete(CUSTODY).where(CustodyRow.seq.in_([6, 7, 8])))
    return ["entries 6-8 are missing (removed): entry 9 does not follow entry 5"]


def custody_first_entry_deleted(s: Settings, b: Built) -> list[str]:
    _run(s, delete(CUSTODY).where(CustodyRow.seq == 1))
    return [
        "entry 1 is missing (removed): entry 2 does not follow the start of the log"
    ]


def custody_last_entry_deleted(s: Settings, b: Built) -> list[str]:
    last = _last_seq(s)
    _run(s, delete(CUSTODY).where(CustodyRow.seq == last))
    return [
        f"the log ends at entry {last - 1}, but the ledger's seal names entry "
        f"{last}: entry {last} was removed from the end"
    ]


def custody_last_entries_deleted(s: Settings, b: Built) -> list[str]:
    last = _last_seq(s)
    _run(s, delete(CUSTODY).where(CustodyRow.seq > last - 3))
    return [
        f"the log ends at entry {last - 3}, but the ledger's seal names entry "
        f"{last}: entries {last - 2}-{last} were removed from the end"
    ]


def custody_entry_inserted(s: Settings, b: Built) -> list[str]:
    """A forged entry slipped in after entry 6, the later ones renumbered."""
    entries = _entries(s)
    six = entries[5]
    _shift(s, 7, 1)
    _run(s, insert(CUSTODY).values(_forged(six, 7, str(six["hash"]))))
    last = int(entries[-1]["seq"]) + 1
    return [
        "entry 7 is not part of the chain (inserted after entry 6)",
        f"the log ends at entry {last}, but the ledger's seal names entry "
        f"{last - 1}: entries were inserted or appended without the ledger's key",
    ]


def custody_entry_inserted_badly(s: Settings, b: Built) -> list[str]:
    """As above, by a clumsier forger: the new entry follows no real entry."""
    entries = _entries(s)
    _shift(s, 7, 1)
    _run(s, insert(CUSTODY).values(_forged(entries[5], 7, "f" * 64)))
    last = int(entries[-1]["seq"]) + 1
    return [
        "entry 7 is not part of the chain (inserted after entry 6)",
        f"the log ends at entry {last}, but the ledger's seal names entry "
        f"{last - 1}: entries were inserted or appended without the ledger's key",
    ]


def custody_entry_appended(s: Settings, b: Built) -> list[str]:
    entries = _entries(s)
    last = entries[-1]
    seq = int(last["seq"]) + 1
    _run(s, insert(CUSTODY).values(_forged(last, seq, str(last["hash"]))))
    return [
        f"the log ends at entry {seq}, but the ledger's seal names entry "
        f"{seq - 1}: entries were inserted or appended without the ledger's key"
    ]


def custody_entries_swapped(s: Settings, b: Built) -> list[str]:
    table = CUSTODY
    _run(
        s,
        update(table).where(table.c.seq == 5).values(seq=-1),
        update(table).where(table.c.seq == 6).values(seq=5),
        update(table).where(table.c.seq == -1).values(seq=6),
    )
    return ["entries 5 and 6 are in the wrong order (swapped)"]


def custody_log_rewritten(s: Settings, b: Built) -> list[str]:
    """Entry 5 edited and every later hash recomputed: the chain holds, the seal
    (keyed) does not."""
    entries = _entries(s)
    entries[4]["actor"] = "someone-else"
    table = CUSTODY
    statements = []
    prev = str(entries[3]["hash"])
    for e in entries[4:]:
        digest = entry_hash(
            prev,
            str(e["actor"]),
            str(e["action"]),
            str(e["target"]),
            e["at"],
            e["detail"],
        )
        statements.append(
            update(table)
            .where(table.c.seq == e["seq"])
            .values(actor=e["actor"], prev_hash=prev, hash=digest)
        )
        prev = digest
    _run(s, *statements)
    return [
        f"the log's last entry ({entries[-1]['seq']}) does not match the ledger's "
        "seal: the log was rewritten, or the seal altered"
    ]


def custody_log_emptied(s: Settings, b: Built) -> list[str]:
    _run(s, delete(CUSTODY))
    return ["the custody log is empty (every entry removed)"]


def identity_blob_altered(s: Settings, b: Built) -> list[str]:
    where = RecordRow.id == "rec-a2"
    blob = _blob(s, RecordRow.identity, where)
    _run(s, update(RECORDS_T).where(where).values(identity=_flip(blob, 20)))
    return [f"record rec-a2: encrypted identity {ALTERED}"]


def identity_blob_moved(s: Settings, b: Built) -> list[str]:
    blob = _blob(s, RecordRow.identity, RecordRow.id == "rec-a1")
    _run(
        s,
        update(RECORDS_T).where(RecordRow.id == "rec-a3").values(identity=blob),
    )
    return [f"record rec-a3: encrypted identity {ALTERED}"]


def identity_blobs_swapped(s: Settings, b: Built) -> list[str]:
    one = _blob(s, RecordRow.identity, RecordRow.id == "rec-a1")
    two = _blob(s, RecordRow.identity, RecordRow.id == "rec-b1")
    table = RECORDS_T
    _run(
        s,
        update(table).where(table.c.id == "rec-a1").values(identity=two),
        update(table).where(table.c.id == "rec-b1").values(identity=one),
    )
    return [
        f"record rec-a1: encrypted identity {ALTERED}",
        f"record rec-b1: encrypted identity {ALTERED}",
    ]


def identity_replaced_by_plain_text(s: Settings, b: Built) -> list[str]:
    """The encrypted value overwritten with a name in clear (SQLite stores text
    where bytes were; PostgreSQL gets the name's bytes)."""
    value = (
        "'Tak Sol-hwi'" if b.kind == "sqlite" else "convert_to('Tak Sol-hwi', 'UTF8')"
    )
    _run(s, f"UPDATE records SET identity = {value} WHERE id = 'rec-b1'")  # noqa: S608
    return [f"record rec-b1: encrypted identity {ALTERED}"]


def identity_blob_cut_short(s: Settings, b: Built) -> list[str]:
    table = RECORDS_T
    _run(s, update(table).where(table.c.id == "rec-a3").values(identity=b"\x01" * 5))
    return [f"record rec-a3: encrypted identity {ALTERED}"]


def witness_identity_altered(s: Settings, b: Built) -> list[str]:
    where = WitnessRow.id == "wit-1"
    blob = _blob(s, WitnessRow.identity, where)
    _run(s, update(WITNESSES_T).where(where).values(identity=_flip(blob, -1)))
    return [f"witness wit-1: encrypted identity {ALTERED}"]


def swapped_testimony_texts(s: Settings, b: Built) -> list[str]:
    one = _blob(s, TESTIMONIES_T.c.text, TESTIMONIES_T.c.id == "tes-1")
    two = _blob(s, TESTIMONIES_T.c.text, TESTIMONIES_T.c.id == "tes-2")
    table = TESTIMONIES_T
    _run(
        s,
        update(table).where(table.c.id == "tes-1").values(text=two),
        update(table).where(table.c.id == "tes-2").values(text=one),
    )
    return [
        f"testimony tes-1: encrypted text {ALTERED}",
        f"testimony tes-2: encrypted text {ALTERED}",
    ]


def attachment_name_altered(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    where = AttachmentRow.sha256 == sha
    blob = _blob(s, AttachmentRow.original_name, where)
    _run(
        s,
        update(ATTACHMENTS_T).where(where).values(original_name=_flip(blob, 3)),
    )
    return [f"attachment t-src/{sha}: encrypted original_name {ALTERED}"]


def vault_file_key_altered(s: Settings, b: Built) -> list[str]:
    sha = b.populated.attachment_sha256
    where = VaultFileRow.sha256 == sha
    blob = _blob(s, VaultFileRow.wrapped_key, where)
    _run(
        s,
        update(VAULT_FILES_T).where(where).values(wrapped_key=_flip(blob, 30)),
    )
    return [f"vault file key {sha}: encrypted wrapped_key {ALTERED}"]


def linkage_model_altered(s: Settings, b: Built) -> list[str]:
    """The trained model (frequency tables of name values) is kept encrypted,
    as hex digits."""
    table = Base.metadata.tables["link_models"]
    engine = _engine(s)
    try:
        with engine.connect() as conn:
            query = select(table.c.run_id, table.c.model)
            run_id, sealed = conn.execute(query).one()
    finally:
        engine.dispose()
    flipped = sealed[:40] + ("0" if sealed[40] != "0" else "1") + sealed[41:]
    _run(s, update(table).where(table.c.run_id == run_id).values(model=flipped))
    return [f"linkage model {run_id}: encrypted model {ALTERED}"]


def _two_review_notes(s: Settings) -> list[tuple[int, str]]:
    """Two decisions with notes, as an investigator writes them: (id, sealed)."""
    with open_as(s, USERS[Role.INVESTIGATOR], later_clock()) as inv:
        inv.decide_link("rec-a1", "rec-b1", accept=True, note="his sister confirmed")
        inv.decide_link("rec-a2", "rec-b1", accept=False, note="born ten years apart")
    engine = _engine(s)
    try:
        with engine.connect() as conn:
            query = select(DECISIONS_T.c.id, DECISIONS_T.c.note_sealed)
            rows = conn.execute(query.order_by(DECISIONS_T.c.id)).all()
    finally:
        engine.dispose()
    return [(int(i), str(sealed)) for i, sealed in rows]


def review_note_altered(s: Settings, b: Built) -> list[str]:
    (one, sealed), _ = _two_review_notes(s)
    flipped = sealed[:40] + ("0" if sealed[40] != "0" else "1") + sealed[41:]
    _run(
        s,
        update(DECISIONS_T).where(DECISIONS_T.c.id == one).values(note_sealed=flipped),
    )
    return [f"link review note {one}: encrypted note_sealed {ALTERED}"]


def review_note_removed(s: Settings, b: Built) -> list[str]:
    """A sealed note set to nothing: not taken for a note written before notes
    were sealed."""
    _, (two, _sealed) = _two_review_notes(s)
    _run(s, update(DECISIONS_T).where(DECISIONS_T.c.id == two).values(note_sealed=None))
    return [f"link review note {two}: encrypted note_sealed {ALTERED}"]


def review_notes_swapped(s: Settings, b: Built) -> list[str]:
    (one, first), (two, second) = _two_review_notes(s)
    _run(
        s,
        update(DECISIONS_T).where(DECISIONS_T.c.id == one).values(note_sealed=second),
        update(DECISIONS_T).where(DECISIONS_T.c.id == two).values(note_sealed=first),
    )
    return [
        f"link review note {one}: encrypted note_sealed {ALTERED}",
        f"link review note {two}: encrypted note_sealed {ALTERED}",
    ]


ATTACKS: list[Attack] = [
    vault_byte_in_a_later_chunk,
    vault_byte_in_the_header,
    vault_file_cut_short,
    vault_file_deleted,
    unknown_file_in_the_vault,
    custody_entry_edited,
    custody_detail_edited,
    custody_entry_deleted,
    custody_entries_deleted,
    custody_first_entry_deleted,
    custody_last_entry_deleted,
    custody_last_entries_deleted,
    custody_entry_inserted,
    custody_entry_inserted_badly,
    custody_entry_appended,
    custody_entries_swapped,
    custody_log_rewritten,
    custody_log_emptied,
    identity_blob_altered,
    identity_blob_moved,
    identity_blobs_swapped,
    identity_replaced_by_plain_text,
    identity_blob_cut_short,
    witness_identity_altered,
    swapped_testimony_texts,
    attachment_name_altered,
    vault_file_key_altered,
    linkage_model_altered,
    review_note_altered,
    review_note_removed,
    review_notes_swapped,
]


#: Attacks on files only, or variants of another attack: the database plays no
#: part, so they run on SQLite only.
FILES_AND_VARIANTS = {
    vault_byte_in_the_header,
    vault_file_cut_short,
    vault_file_deleted,
    custody_detail_edited,
    custody_entries_deleted,
    custody_entry_inserted_badly,
    identity_blob_cut_short,
}
CASES = [
    pytest.param(kind, attack, id=f"{kind}-{attack.__name__}", marks=marks)
    for kind, marks in (("sqlite", ()), ("postgres", pytest.mark.postgres))
    for attack in ATTACKS
    if kind == "sqlite" or attack not in FILES_AND_VARIANTS
]


@pytest.mark.parametrize(("built", "attack"), CASES, indirect=["built"])
def test_verify_names_what_was_done(copy: Settings, built: Built, attack: Attack):
    assert len(_entries(copy)) >= 10  # the attacks pick entries 1 to 9
    expected = attack(copy, built)
    assert _verify(copy) == expected
    code, output = _cli_verify(copy)
    assert code == 1, output
    printed = [line.removeprefix("FAIL ") for line in output.splitlines()]
    assert printed == expected


def test_an_untouched_ledger_verifies(copy: Settings):
    assert _verify(copy) == []
    code, output = _cli_verify(copy)
    assert code == 0, output
    assert output.startswith("OK:")


def test_a_wrong_key_file_is_refused(copy: Settings, tmp_path: Path):
    other = tmp_path / "other.key"
    LedgerKey.generate().save(other)
    wrong = copy.model_copy(update={"key_file": other})
    with pytest.raises(
        ConfigError, match="the key file does not belong to this ledger"
    ):
        Ledger.open(wrong, clock=later_clock())
    code, output = _cli_verify(wrong)
    assert code == 1
    assert "the key file does not belong to this ledger" in output
    # the right key still opens it: nothing was changed by the attempt
    assert key_path_for(copy) != other
    assert _verify(copy) == []
