"""Chunked stream encryption: round trips of every size that matters, and every way
of tampering with a stream fails with IntegrityError before any forged byte is
returned."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsledger.errors import ConfigError, IntegrityError
from rightsledger.vault import stream
from rightsledger.vault.stream import (
    CHUNK_SIZE,
    HEADER_SIZE,
    DecryptingReader,
    EncryptingWriter,
    atomic_output,
    decrypt_to,
    encrypt_file,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
AAD = b"vault/ab/cdef"
SEALED = CHUNK_SIZE + 16


def _encrypt(
    data: bytes, *, key: bytes = KEY, aad: bytes = AAD, step: int = 0
) -> bytes:
    out = io.BytesIO()
    with EncryptingWriter(key, out, associated=aad) as w:
        if step:
            for i in range(0, len(data), step):
                w.write(data[i : i + step])
        else:
            w.write(data)
    return out.getvalue()


def _decrypt(
    blob: bytes, *, key: bytes = KEY, aad: bytes = AAD, step: int = -1
) -> bytes:
    reader = DecryptingReader(key, io.BytesIO(blob), associated=aad)
    if step < 0:
        return reader.read()
    parts = []
    while part := reader.read(step):
        parts.append(part)
    return b"".join(parts)


SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 5]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip(size):
    data = os.urandom(size)
    blob = _encrypt(data)
    chunks = max(1, -(-size // CHUNK_SIZE))
    assert len(blob) == HEADER_SIZE + size + 16 * chunks
    assert _decrypt(blob) == data
    assert _decrypt(blob, step=1000) == data


def test_exactly_one_chunk_is_one_final_chunk():
    blob = _encrypt(b"x" * CHUNK_SIZE)
    assert len(blob) == HEADER_SIZE + SEALED


@given(
    data=st.binary(max_size=3 * 1024),
    step=st.integers(min_value=1, max_value=700),
    read=st.integers(min_value=1, max_value=900),
)
@settings(max_examples=40, deadline=None)
def test_round_trip_any_split(data, step, read):
    # Small chunks, so that the examples cross many chunk borders.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stream, "CHUNK_SIZE", 256)
        mp.setattr(stream, "SEALED_CHUNK_SIZE", 256 + 16)
        blob = _encrypt(data, step=step)
        assert len(blob) == HEADER_SIZE + len(data) + 16 * max(1, -(-len(data) // 256))
        assert _decrypt(blob, step=read) == data


def test_same_plaintext_encrypts_differently():
    assert _encrypt(b"same") != _encrypt(b"same")


def test_tell_counts_plaintext():
    out = io.BytesIO()
    w = EncryptingWriter(KEY, out, associated=AAD)
    w.write(b"abc")
    assert w.tell() == 3
    w.close()
    with pytest.raises(ValueError, match="closed"):
        w.write(b"more")
    r = DecryptingReader(KEY, io.BytesIO(out.getvalue()), associated=AAD)
    assert r.read(2) == b"ab"
    assert r.tell() == 2


def test_key_must_be_32_bytes():
    with pytest.raises(ValueError, match="32 bytes"):
        EncryptingWriter(b"short", io.BytesIO(), associated=AAD)


# -- tampering -----------------------------------------------------------------

DATA = bytes(range(256)) * (3 * CHUNK_SIZE // 256) + b"tail"  # 4 chunks


@pytest.fixture(scope="module")
def blob() -> bytes:
    return _encrypt(DATA)


def _chunk(blob: bytes, i: int) -> slice:
    start = HEADER_SIZE + i * SEALED
    return slice(start, start + SEALED)


@pytest.mark.parametrize(
    "offset",
    [HEADER_SIZE, HEADER_SIZE + SEALED + 7, HEADER_SIZE + 2 * SEALED - 1, -1],
    ids=["first-byte", "middle-chunk", "a-tag", "last-byte"],
)
def test_flipped_byte_fails(blob, offset):
    bad = bytearray(blob)
    bad[offset] ^= 0x01
    with pytest.raises(IntegrityError, match="fails authentication"):
        _decrypt(bytes(bad))


def test_flipped_header_byte_is_reported_as_wrong_key_or_header(blob):
    bad = bytearray(blob)
    bad[6] ^= 0x01  # in the nonce prefix
    with pytest.raises(IntegrityError, match="header was altered"):
        _decrypt(bytes(bad))


def test_no_forged_byte_is_returned_before_the_failure(blob):
    bad = bytearray(blob)
    bad[HEADER_SIZE + SEALED + 7] ^= 0x01  # second chunk
    reader = DecryptingReader(KEY, io.BytesIO(bytes(bad)), associated=AAD)
    assert reader.read(CHUNK_SIZE) == DATA[:CHUNK_SIZE]
    with pytest.raises(IntegrityError, match=r"chunk 1 \(bytes"):
        reader.read(1)


@pytest.mark.parametrize(
    "cut",
    [HEADER_SIZE + SEALED, HEADER_SIZE + 3 * SEALED, HEADER_SIZE + SEALED + 100],
    ids=["after-chunk-0", "before-final", "inside-chunk"],
)
def test_truncation_fails(blob, cut):
    with pytest.raises(IntegrityError, match="truncated|fails authentication"):
        _decrypt(blob[:cut])


def test_truncation_at_a_chunk_border_says_truncated(blob):
    with pytest.raises(IntegrityError, match="truncated.*without its final chunk"):
        _decrypt(blob[: HEADER_SIZE + 2 * SEALED])


@pytest.mark.parametrize("cut", [0, 3, HEADER_SIZE - 1, HEADER_SIZE])
def test_header_only_or_less_fails(blob, cut):
    with pytest.raises(IntegrityError, match="header|truncated"):
        _decrypt(blob[:cut])


def test_swapped_chunks_fail(blob):
    bad = bytearray(blob)
    a, b = _chunk(blob, 0), _chunk(blob, 1)
    bad[a], bad[b] = blob[b], blob[a]
    with pytest.raises(IntegrityError, match="chunk 0"):
        _decrypt(bytes(bad))


def test_dropped_middle_chunk_fails(blob):
    c = _chunk(blob, 1)
    with pytest.raises(IntegrityError, match="chunk 1"):
        _decrypt(blob[: c.start] + blob[c.stop :])


def test_appended_bytes_fail(blob):
    with pytest.raises(IntegrityError, match="chunk 3"):
        _decrypt(blob + b"\x00")


def test_appended_chunk_after_a_full_final_chunk_fails():
    one = _encrypt(b"y" * CHUNK_SIZE)
    with pytest.raises(IntegrityError, match="chunk 0"):
        _decrypt(one + one[HEADER_SIZE:])


def test_chunk_spliced_from_another_stream_fails(blob):
    other = _encrypt(DATA)
    bad = bytearray(blob)
    c = _chunk(blob, 1)
    bad[c] = other[c]
    with pytest.raises(IntegrityError, match="chunk 1"):
        _decrypt(bytes(bad))


def test_wrong_associated_data_fails(blob):
    with pytest.raises(IntegrityError, match="another name"):
        _decrypt(blob, aad=b"vault/ab/other")


def test_wrong_key_is_named(blob):
    with pytest.raises(IntegrityError, match="wrong key"):
        _decrypt(blob, key=OTHER_KEY)


def test_not_a_stream():
    with pytest.raises(IntegrityError, match="not a rightsledger encrypted stream"):
        _decrypt(b"PK\x03\x04" + bytes(100))


def test_unknown_version(blob):
    bad = bytearray(blob)
    bad[4] = 9
    with pytest.raises(IntegrityError, match="version 9 is not supported"):
        _decrypt(bytes(bad))


def test_exception_inside_with_leaves_an_invalid_stream():
    out = io.BytesIO()
    with pytest.raises(RuntimeError), EncryptingWriter(KEY, out, associated=AAD) as w:
        w.write(b"partial data")
        raise RuntimeError("crash")
    with pytest.raises(IntegrityError, match="truncated"):
        _decrypt(out.getvalue())


# -- as a tar file object, and on files ----------------------------------------------


def test_works_as_tarfile_stream():
    out = io.BytesIO()
    payload = os.urandom(CHUNK_SIZE * 2 + 17)
    with (
        EncryptingWriter(KEY, out, associated=b"tar") as w,
        tarfile.open(fileobj=w, mode="w|") as tar,
    ):
        info = tarfile.TarInfo("member.bin")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    reader = DecryptingReader(KEY, io.BytesIO(out.getvalue()), associated=b"tar")
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        member = tar.next()
        assert member is not None and member.name == "member.bin"
        fh = tar.extractfile(member)
        assert fh is not None and fh.read() == payload
    reader.drain()  # whatever tar left unread is authenticated too
    assert reader.read(1) == b""


def test_encrypt_file_and_decrypt_to(tmp_path: Path):
    src = tmp_path / "evidence.pdf"
    data = os.urandom(2 * CHUNK_SIZE + 3)
    src.write_bytes(data)
    dst = tmp_path / "blob"
    digest, size = encrypt_file(KEY, src, dst, associated=AAD)
    assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert data not in dst.read_bytes()
    assert {p.name for p in tmp_path.iterdir()} == {"evidence.pdf", "blob"}
    out = io.BytesIO()
    assert decrypt_to(KEY, dst, out, associated=AAD) == digest
    assert out.getvalue() == data
    with pytest.raises(IntegrityError, match=str(dst)):
        decrypt_to(KEY, dst, io.BytesIO(), associated=b"vault/elsewhere")


def test_encrypt_file_leaves_no_temporary_on_failure(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        encrypt_file(KEY, tmp_path / "missing", tmp_path / "blob", associated=AAD)
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_refuses_to_overwrite(tmp_path: Path):
    path = tmp_path / "backup.rlbak"
    with atomic_output(path, overwrite=False) as fh:
        fh.write(b"first")
        names = [p.name for p in tmp_path.iterdir()]
        assert len(names) == 1 and names[0].startswith(".backup.rlbak.")
    with (
        pytest.raises(ConfigError, match="refusing to overwrite"),
        atomic_output(path, overwrite=False) as fh,
    ):
        fh.write(b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.rlbak"]
    with (
        pytest.raises(ConfigError, match="does not exist"),
        atomic_output(tmp_path / "no" / "file"),
    ):
        pass
