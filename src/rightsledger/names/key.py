"""A canonical key for a Korean personal name written in Hangul, RR or MR.

``name_key`` is the first linkage key (exact match on key and birth year). It maps
the usual ways one name is written to one string:

* Hangul is romanised (RR) first, so 김철수 and Gim Cheol-su meet;
* the family name is found at either end through the family-name table
  (Kim Cheol-su, Cheol-su Kim, "Kim, Cheolsu") and put first;
* customary family spellings (Lee, Rhee, Yi, Ri, I; Park, Pak; Choi, Choe) go to
  one form; the North's initial ㄹ/ㄴ (리, 림, 류, 로, 룡 ...) meets the South's
  (이, 임, 유, 노, 용 ...) on the family name and the first given syllable;
* separators go (Cheol-su, Cheolsu, Cheol Su), and so do breves and apostrophes;
  RR ``eo``/``eu`` meet MR ``ŏ``/``ŭ``, plain and voiced stops meet (k/g, t/d,
  p/b, ch/j; MR's voicing), aspiration marks go, and r meets l.

The key is a skeleton, not a spelling: ``kim colsu`` for 김철수. It is lossy on
purpose, and so different names can share a key: 서 and 소, 성 and 송, 전 and
천, 어 and 오 meet, because MR without breves cannot tell them apart.

Not handled: popular given-name spellings outside RR/MR other than ``oo`` and
``ou`` (Sung for 성, Hyun for 현, Shin as a given name stay apart from Seong,
Hyeon, Sin), given names written before the family name when both ends look like
family names and the given one is the more common (rare), compound family names
beyond 남궁 and 황보, Chinese-character readings, typos, and names that are not
Korean (they get a best-effort skeleton of their letters).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .families import FamilyName, family_by_hangul, family_by_spelling, latin_form
from .hangul import is_hangul, south_initial, syllables
from .romanise import romanise_syllables

__all__ = ["name_key", "name_parts", "skeleton"]

_VOWEL_PAIRS = (("eo", "o"), ("eu", "u"), ("oo", "u"), ("ou", "o"), ("ee", "i"))
_CONSONANT_PAIRS = (
    ("rh", "r"),
    ("yi", "i"),
    ("oi", "oe"),
    ("ng", "N"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("j", "c"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("r", "l"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
_SPLIT = re.compile(r"[\s,;/]+")


@lru_cache(maxsize=1 << 16)
def skeleton(text: str, *, word_initial: bool = True) -> str:
    """The spelling-free skeleton of one romanised (or Hangul) name part.

    Args:
        text: a family name or a given name, in any script.
        word_initial: apply the initial-sound rule to its first sound (l/n
            dropped before i/y, l read as n elsewhere), which unifies the
            North's and the South's spelling.

    Returns:
        Lower-case letters; ``ng`` is the only place a ``g`` can appear.

    Examples:
        >>> skeleton("Ch'ŏl-su"), skeleton("Cheolsu"), skeleton("철수")
        ('colsu', 'colsu', 'colsu')
    """
    if is_hangul(text):
        text = "".join(romanise_syllables(syllables(text), "rr"))
    s = latin_form(text)
    for old, new in (*_VOWEL_PAIRS, *_CONSONANT_PAIRS):
        s = s.replace(old, new)
    s = _DOUBLE.sub(r"\1", s).replace("N", "ng")
    if word_initial and len(s) > 1 and s[0] in "ln" and s[1] in "iy":
        s = s[1:]
    elif word_initial and s.startswith("l"):
        s = "n" + s[1:]
    return s


def _family_key(family: FamilyName) -> str:
    return skeleton(family.south)


@lru_cache(maxsize=1 << 12)
def _lookup(token: str) -> FamilyName | None:
    if is_hangul(token):
        return family_by_hangul(token)
    return family_by_spelling(token)


def _split_hangul(word: str) -> tuple[str, str]:
    """Family and given part of one unspaced Hangul name (compound names first)."""
    if len(word) > 2 and family_by_hangul(word[:2]) is not None:
        return word[:2], word[2:]
    return word[:1], word[1:]


def _family_index(tokens: list[str], comma_after_first: bool) -> int:
    """0 when the family name is the first token, -1 when it is the last."""
    first, last = _lookup(tokens[0]), _lookup(tokens[-1])
    if comma_after_first or last is None:
        return 0
    if first is None or "-" in tokens[0]:
        return -1
    if len(first.south) != len(last.south):  # a compound family name (남궁) wins
        return 0 if len(first.south) > len(last.south) else -1
    return -1 if last.share > first.share else 0


def name_parts(full_name: str) -> tuple[str, str]:
    """Family and given skeletons of a full name, family found at either end.

    Args:
        full_name: the name as a list wrote it, e.g. ``"Cheol-su Kim"``.

    Returns:
        ``(family, given)`` skeletons, e.g. ``("kim", "colsu")``; a single
        romanised word gives ``("", word)``; a blank name ``("", "")``.

    Examples:
        >>> name_parts("Cheol-su Kim"), name_parts("리설주")
        (('kim', 'colsu'), ('i', 'solcu'))
    """
    tokens = [t for t in _SPLIT.split(full_name.strip()) if t]
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        if not is_hangul(tokens[0]):
            return "", skeleton(tokens[0])
        family_text, given_text = _split_hangul(tokens[0])
    else:
        comma = "," in full_name.split(tokens[0], 1)[1][:2]
        index = _family_index(tokens, comma)
        family_text = tokens[index]
        given_tokens = tokens[1:] if index == 0 else tokens[:-1]
        given_text = "".join(given_tokens)
    family = _lookup(family_text)
    if family is not None:
        family_part = _family_key(family)
    elif is_hangul(family_text):
        family_part = skeleton(south_initial(family_text[0]) + family_text[1:])
    else:
        family_part = skeleton(family_text)
    return family_part, skeleton(given_text)


def name_key(full_name: str) -> str:
    """Canonical key of a Korean full name: ``"<family> <given>"`` skeletons.

    See the module docstring for what it unifies and what it does not.

    Args:
        full_name: the name as a list wrote it, e.g. ``"Cheol-su Kim"``.

    Returns:
        The key, e.g. ``"kim colsu"``; ``""`` for a blank name.

    Examples:
        >>> name_key("김철수") == name_key("Kim Ch'ŏl-su") == name_key("Cheolsu Gim")
        True
        >>> name_key("Ri Sol Ju") == name_key("이설주")
        True
    """
    family, given = name_parts(full_name)
    return f"{family} {given}".strip()
