"""Pseudonyms never change: stored ones must keep matching what the ledger
computes for the same value, whatever way it computes them."""

from __future__ import annotations

import hashlib
import hmac
import random

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rightsledger.vault.crypto import FieldCipher, LedgerKey, _hmac_pads

MASTER = bytes(range(32))


def _reference(master: bytes, value: str) -> str:
    """The definition: R- and 16 hex digits of HMAC-SHA256 under the HKDF
    sub-key for pseudonyms, keyed afresh with the standard library's hmac."""
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"rightsledger pseudonyms",
    ).derive(master)
    return "R-" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def _values(rng: random.Random, n: int) -> list[str]:
    """Ids, Hangul names, empty and long strings, and any code point."""
    alphabet = "AB-_0123456789 김영수리박최정 éü\n\t\U0001f600"
    out = ["", "B-00000001", "x" * 200, "김" * 100]
    while len(out) < n:
        length = rng.choice([1, 8, 12, 40, 63, 64, 65, 300])
        if rng.random() < 0.5:
            out.append("".join(rng.choice(alphabet) for _ in range(length)))
        else:
            out.append("".join(chr(rng.randrange(1, 0xD800)) for _ in range(length)))
    return out


def test_known_pseudonyms_stay_the_same():
    """Values computed by the first implementation (hmac.new per value)."""
    cipher = FieldCipher(LedgerKey(MASTER))
    assert cipher.pseudonym("B-00000001") == "R-33d7f886f4de86b3"
    assert cipher.pseudonym("김영수") == "R-a5b393babd9960e2"


def test_pseudonyms_equal_keyed_hmac_on_random_values():
    rng = random.Random(20261128)
    for _ in range(5):
        master = rng.randbytes(32)
        cipher = FieldCipher(LedgerKey(master))
        for value in _values(rng, 200):
            assert cipher.pseudonym(value) == _reference(master, value), value


def test_the_pads_make_hmac_for_any_key_length():
    """Keys shorter than, as long as, and longer than SHA-256's block."""
    rng = random.Random(7)
    for length in (0, 1, 32, 63, 64, 65, 200):
        key = rng.randbytes(length)
        inner, outer = _hmac_pads(key)
        for value in _values(rng, 20):
            i = inner.copy()
            i.update(value.encode())
            o = outer.copy()
            o.update(i.digest())
            expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
            assert o.hexdigest() == expected
