"""Cut a name skeleton into syllables, so that names compare syllable by syllable.

A skeleton (:func:`~rightsledger.names.key.skeleton`) is the same string whatever
the script (김철수, Kim Ch'ŏl-su, Cheolsu Gim all give ``colsu`` for the given
name), so cutting the skeleton, rather than the written name, gives the same
syllables for every spelling. The inventory is the skeleton of every Hangul
syllable in RR and MR; a cut uses the fewest syllables, and among those the one
whose first syllable is longest (``yongil`` is ``yong il``, not ``yon gil``).
Doubled letters are collapsed in a skeleton (순남 -> ``sunam`` -> ``sun am``):
not the Hangul syllables, but the same cut for every script, which is all a
comparison needs.

Pure: imports the standard library only.
"""

from __future__ import annotations

from functools import cache

from .hangul import compose
from .key import skeleton
from .romanise import romanise_syllables

__all__ = ["SYLLABLE_SKELETONS", "name_syllables", "split_syllables"]

_MAX_LEN = 6


@cache
def _inventory() -> frozenset[str]:
    found: set[str] = set()
    for initial in range(19):
        for vowel in range(21):
            for final in range(28):
                syllable = compose(initial, vowel, final)
                for system in ("rr", "mr-plain"):
                    text = romanise_syllables([syllable], system)[0]
                    found.add(skeleton(text, word_initial=False))
                    found.add(skeleton(text, word_initial=True))
    found.discard("")
    return frozenset(found)


#: Every syllable skeleton (lazily built; about two thousand strings).
SYLLABLE_SKELETONS = _inventory


@cache
def split_syllables(text: str) -> tuple[str, ...]:
    """Cut one skeleton into syllable skeletons.

    Args:
        text: a skeleton, e.g. ``"colsu"``.

    Returns:
        The syllables, e.g. ``("col", "su")``; ``(text,)`` when no cut into
        known syllables exists; ``()`` for an empty string.

    Examples:
        >>> split_syllables("colsu"), split_syllables("yongil")
        (('col', 'su'), ('yong', 'il'))
    """
    if not text:
        return ()
    inventory = _inventory()
    n = len(text)
    # best[i]: the best cut of text[i:] as (count, cut) or None
    best: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[n] = (0, ())
    for i in range(n - 1, -1, -1):
        for end in range(min(n, i + _MAX_LEN), i, -1):  # longest first
            piece = text[i:end]
            if piece not in inventory:
                continue
            rest = best[end]
            if rest is not None and (best[i] is None or rest[0] + 1 < best[i][0]):  # type: ignore[index]
                best[i] = (rest[0] + 1, (piece, *rest[1]))
    found = best[0]
    return found[1] if found is not None else (text,)


def name_syllables(family: str, given: str) -> tuple[str, ...]:
    """Family skeleton followed by the given name's syllables.

    Examples:
        >>> name_syllables("kim", "colsu")
        ('kim', 'col', 'su')
    """
    return ((family,) if family else ()) + split_syllables(given)
