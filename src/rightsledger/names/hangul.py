"""Hangul syllables as arithmetic on Unicode code points.

A precomposed syllable is ``0xAC00 + (initial * 21 + vowel) * 28 + final`` where
``initial`` indexes the 19 initial consonants, ``vowel`` the 21 vowels and
``final`` the 27 final consonants plus 0 for "no final" (Unicode 15, section 3.12).
"""

from __future__ import annotations

__all__ = [
    "FINALS",
    "INITIALS",
    "VOWELS",
    "compose",
    "decompose",
    "is_hangul",
    "is_syllable",
    "south_initial",
    "syllables",
]

_BASE = 0xAC00
_N_VOWELS = 21
_N_FINALS = 28
_N_SYLLABLES = 19 * _N_VOWELS * _N_FINALS

#: Initial consonants, in Unicode order (compatibility jamo for display).
INITIALS = tuple("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
#: Vowels, in Unicode order.
VOWELS = tuple("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
#: Final consonants, in Unicode order; index 0 is "no final".
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


def is_syllable(char: str) -> bool:
    """True when ``char`` is one precomposed Hangul syllable (가 ... 힣)."""
    return len(char) == 1 and 0 <= ord(char) - _BASE < _N_SYLLABLES


def is_hangul(text: str) -> bool:
    """True when ``text`` has at least one Hangul syllable and no Latin letter."""
    has_syllable = any(is_syllable(c) for c in text)
    has_latin = any(c.isascii() and c.isalpha() for c in text)
    return has_syllable and not has_latin


def decompose(syllable: str) -> tuple[int, int, int]:
    """Split a syllable into (initial, vowel, final) indices.

    Args:
        syllable: one precomposed Hangul syllable.

    Returns:
        Indices into :data:`INITIALS`, :data:`VOWELS` and :data:`FINALS`.

    Raises:
        ValueError: if ``syllable`` is not one Hangul syllable.

    Examples:
        >>> decompose("김")
        (0, 20, 16)
    """
    if not is_syllable(syllable):
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    offset = ord(syllable) - _BASE
    initial, rest = divmod(offset, _N_VOWELS * _N_FINALS)
    vowel, final = divmod(rest, _N_FINALS)
    return initial, vowel, final


def compose(initial: int, vowel: int, final: int = 0) -> str:
    """Build a syllable from (initial, vowel, final) indices.

    Raises:
        ValueError: if an index is out of range.

    Examples:
        >>> compose(0, 20, 16)
        '김'
    """
    if not (0 <= initial < 19 and 0 <= vowel < _N_VOWELS and 0 <= final < _N_FINALS):
        raise ValueError(f"jamo index out of range: {(initial, vowel, final)}")
    return chr(_BASE + (initial * _N_VOWELS + vowel) * _N_FINALS + final)


def syllables(text: str) -> list[str]:
    """The Hangul syllables of ``text``, in order, ignoring everything else."""
    return [c for c in text if is_syllable(c)]


_RIEUL, _NIEUN, _IEUNG = 5, 2, 11
#: vowels before which the South drops an initial ㄹ or ㄴ: ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
_Y_VOWELS = frozenset({2, 3, 6, 7, 12, 17, 20})


def south_initial(syllable: str) -> str:
    """Apply the South's initial-sound rule (두음법칙) to a word-initial syllable.

    ㄹ becomes ㅇ before i/y vowels and ㄴ elsewhere; ㄴ becomes ㅇ before i/y
    vowels. The North keeps the written ㄹ and ㄴ (리 stays 리, the South writes 이).

    Examples:
        >>> south_initial("리"), south_initial("로"), south_initial("녀")
        ('이', '노', '여')
    """
    initial, vowel, final = decompose(syllable)
    if initial in (_RIEUL, _NIEUN) and vowel in _Y_VOWELS:
        return compose(_IEUNG, vowel, final)
    if initial == _RIEUL:
        return compose(_NIEUN, vowel, final)
    return syllable
