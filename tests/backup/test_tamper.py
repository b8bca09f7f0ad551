"""A damaged archive or a wrong key is refused with a clear IntegrityError by both
check and restore, and a refused restore writes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from rightsledger.backup import check_backup, read_public, restore_backup
from rightsledger.backup._scan import ARCHIVE_AAD
from rightsledger.backup.envelope import encode_envelope, read_envelope
from rightsledger.errors import IntegrityError, NotFound
from rightsledger.vault.stream import HEADER_SIZE, EncryptingWriter

from .conftest import BACKUP_KEY, PUBLIC, is_empty

SEALED = 64 * 1024 + 16


@pytest.fixture
def archive(built, tmp_path: Path) -> Path:
    """A copy of the session's archive, free to damage."""
    out = tmp_path / "ledger.rlbackup"
    shutil.copyfile(built.archive, out)
    return out


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x20
    path.write_bytes(bytes(data))


def _cut(path: Path, size: int) -> None:
    path.write_bytes(path.read_bytes()[:size])


def _start(path: Path) -> int:
    """Where the encrypted stream begins (after the clear envelope)."""
    with open(path, "rb") as fh:
        return len(read_envelope(fh, where="test")[1])


def _damage(kind: str, path: Path) -> str:
    """Damage the archive one way; the words the error must contain."""
    size = path.stat().st_size
    base = _start(path)
    assert size > base + HEADER_SIZE + 4 * SEALED  # several chunks
    if kind == "envelope-magic":
        _flip(path, 2)
        return "not a rightsledger backup archive"
    if kind == "envelope-public-part":
        data = path.read_bytes()
        assert data.count(b'"file"') == 1
        path.write_bytes(data.replace(b'"file"', b'"fild"'))
        return "chunk 0"
    if kind == "byte-in-first-chunk":
        _flip(path, base + HEADER_SIZE + 100)
        return "chunk 0"
    if kind == "byte-in-a-middle-chunk":
        _flip(path, base + HEADER_SIZE + 2 * SEALED + 5000)
        return "chunk 2"
    if kind == "last-byte":
        _flip(path, size - 1)
        return "fails authentication"
    if kind == "stream-header":
        _flip(path, base + 7)
        return "wrong key"
    if kind == "cut-at-a-chunk-border":
        _cut(path, base + HEADER_SIZE + 3 * SEALED)
        return "truncated"
    if kind == "cut-inside-a-chunk":
        _cut(path, size - 10)
        return "fails authentication|truncated"
    if kind == "cut-to-the-header":
        _cut(path, base + HEADER_SIZE)
        return "truncated"
    if kind == "cut-inside-the-envelope":
        _cut(path, base - 3)
        return "public header is damaged"
    if kind == "bytes-appended":
        path.write_bytes(path.read_bytes() + b"more")
        return "fails authentication"
    if kind == "empty-file":
        path.write_bytes(b"")
        return "not a rightsledger backup archive"
    raise AssertionError(kind)


KINDS = [
    "envelope-magic",
    "envelope-public-part",
    "cut-inside-the-envelope",
    "byte-in-first-chunk",
    "byte-in-a-middle-chunk",
    "last-byte",
    "stream-header",
    "cut-at-a-chunk-border",
    "cut-inside-a-chunk",
    "cut-to-the-header",
    "bytes-appended",
    "empty-file",
]


@pytest.mark.parametrize("kind", KINDS)
def test_check_refuses_a_damaged_archive(archive, kind):
    words = _damage(kind, archive)
    with pytest.raises(IntegrityError, match=words) as err:
        check_backup(archive, BACKUP_KEY)
    assert str(archive) in str(err.value)


@pytest.mark.parametrize(
    "kind", ["byte-in-a-middle-chunk", "last-byte", "cut-at-a-chunk-border"]
)
def test_restore_of_a_damaged_archive_writes_nothing(archive, kind, built, new_target):
    words = _damage(kind, archive)
    target = new_target("sqlite", built.key_file)
    with pytest.raises(IntegrityError, match=words):
        restore_backup(archive, BACKUP_KEY, target.engine, target.vault)
    assert is_empty(target)
    assert not target.vault.exists()


def test_wrong_key_is_named_and_nothing_is_written(archive, built, new_target):
    target = new_target("sqlite", built.key_file)
    wrong = bytes(32)
    with pytest.raises(IntegrityError, match="wrong key"):
        check_backup(archive, wrong)
    with pytest.raises(IntegrityError, match="wrong key"):
        restore_backup(archive, wrong, target.engine, target.vault)
    assert is_empty(target)


def test_missing_archive(tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        check_backup(tmp_path / "nothing.rlbackup", BACKUP_KEY)
    with pytest.raises(NotFound, match="does not exist"):
        read_public(tmp_path / "nothing.rlbackup")


def test_the_public_part_is_readable_without_the_key(built):
    assert read_public(built.archive) == PUBLIC


def test_the_archive_shows_nothing_in_clear(built):
    contents = built.contents
    data = built.archive.read_bytes()
    for needle in [b"custody_log", b"records", b"manifest.json", b"ustar", b"kwanliso"]:
        assert needle not in data
    for content in contents.values():
        if len(content) > 16:
            assert content[:64] not in data


def _craft(path: Path, members: list[tuple[str, bytes]]) -> None:
    """An archive made with the right key but the wrong content (only someone
    holding the key could make one: defence in depth)."""
    envelope = encode_envelope({})
    with open(path, "wb") as fh:
        fh.write(envelope)
        with (
            EncryptingWriter(BACKUP_KEY, fh, associated=ARCHIVE_AAD + envelope) as w,
            tarfile.open(fileobj=w, mode="w|") as tar,
        ):
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


def _manifest(members: list[tuple[str, bytes]]) -> bytes:
    listed = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in members
    ]
    return json.dumps(
        {
            "format": "rightsledger-backup",
            "format_version": 1,
            "created_at": "2026-11-27T12:00:00+00:00",
            "software_version": "0",
            "schema_revision": "0",
            "database": "sqlite",
            "key_fingerprint": None,
            "members": listed,
        }
    ).encode()


FILE = ("vault/ab/abcdef", b"encrypted bytes")


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ([FILE], "no manifest"),
        ([FILE, ("manifest.json", _manifest([]))], "not in the manifest"),
        ([("manifest.json", _manifest([FILE]))], "listed in the manifest but missing"),
        (
            [("vault/ab/abcdef", b"other bytes"), ("manifest.json", _manifest([FILE]))],
            "does not match the manifest",
        ),
        (
            [FILE, ("manifest.json", _manifest([FILE])), FILE],
            "after the manifest",
        ),
        ([("vault/../../escape", b"x"), ("manifest.json", b"{}")], "not a safe"),
        ([("other/file", b"x")], "unexpected member"),
        ([("manifest.json", b"not json")], "manifest is not valid"),
    ],
)
def test_archives_with_the_key_but_wrong_content_are_refused(tmp_path, members, words):
    path = tmp_path / "crafted.rlbackup"
    _craft(path, members)
    with pytest.raises(IntegrityError, match=words):
        check_backup(path, BACKUP_KEY)
