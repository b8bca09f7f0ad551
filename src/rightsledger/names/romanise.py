"""Revised Romanisation (RR) and McCune-Reischauer (MR) of Hangul, syllable by syllable.

Names are romanised one syllable at a time, as both systems do for personal names:
no sound changes across syllables except MR's voicing of k/t/p/ch after a vowel or
a voiced final (김대중 -> Kim Tae-jung). ``mr-plain`` is MR without breves and
apostrophes (Ch'ŏl -> Chol), the form most English-language lists use.

Not handled: RR's and MR's assimilation rules for ordinary words (신라 is Silla, not
Sinra), MR's ``shi`` for 시 (we write ``si``, as ALA-LC does) and nasalisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from .hangul import decompose, is_syllable

__all__ = ["System", "plain", "romanise", "romanise_syllables"]

System = Literal["rr", "mr", "mr-plain"]


def _table(text: str) -> tuple[str, ...]:
    """Space-separated entries; ``-`` stands for the empty string."""
    return tuple("" if item == "-" else item for item in text.split(" "))


_RR_INITIAL = _table("g kk n d tt r m b pp s ss - j jj ch k t p h")
_RR_VOWEL = _table("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_FINAL = _table("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
_MR_INITIAL = _table("k kk n t tt r m p pp s ss - ch tch ch' k' t' p' h")
_MR_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}
_MR_VOWEL = _table("a ae ya yae ŏ e yŏ ye o wa wae oe yo u wŏ we wi yu ŭ ŭi i")
#: finals after which MR voices the next plain stop: none, n, l, m, ng (and clusters)
_VOICED_FINALS = frozenset({0, 4, 5, 6, 8, 10, 11, 12, 13, 15, 16, 21})
_PLAIN = str.maketrans({"ŏ": "o", "ŭ": "u", "Ŏ": "O", "Ŭ": "U", "'": None})


def plain(text: str) -> str:
    """Drop MR's breves and apostrophes: ``Ch'ŏl-su`` -> ``Chol-su``."""
    return text.translate(_PLAIN)


def _mr_syllable(initial: int, vowel: int, final: int, prev_final: int | None) -> str:
    if (
        prev_final is not None
        and prev_final in _VOICED_FINALS
        and initial in _MR_VOICED
    ):
        onset = _MR_VOICED[initial]
    elif initial == 5 and prev_final == 8:  # ㄹ after ㄹ
        onset = "l"
    else:
        onset = _MR_INITIAL[initial]
    return onset + _MR_VOWEL[vowel] + _FINAL[final]


def romanise_syllables(syllables: Sequence[str], system: System) -> list[str]:
    """Romanise the syllables of one word, lower case, one string per syllable.

    Args:
        syllables: Hangul syllables of one word (a given name, a family name).
        system: ``"rr"``, ``"mr"`` or ``"mr-plain"``.

    Returns:
        The romanised syllables; MR voicing depends on the previous syllable.

    Raises:
        ValueError: for an unknown system or a non-Hangul item.

    Examples:
        >>> romanise_syllables(["철", "수"], "mr")
        ["ch'ŏl", 'su']
    """
    if system not in ("rr", "mr", "mr-plain"):
        raise ValueError(f"unknown romanisation system: {system!r}")
    out: list[str] = []
    prev_final: int | None = None
    for syllable in syllables:
        initial, vowel, final = decompose(syllable)
        if system == "rr":
            out.append(_RR_INITIAL[initial] + _RR_VOWEL[vowel] + _FINAL[final])
        else:
            text = _mr_syllable(initial, vowel, final, prev_final)
            out.append(plain(text) if system == "mr-plain" else text)
        prev_final = final
    return out


def romanise(hangul: str, system: System = "rr") -> str:
    """Romanise a Hangul string word by word; other characters pass through.

    Each run of Hangul syllables is one word, written without separators and
    capitalised; spaces, hyphens and Latin text are kept as they are.

    Args:
        hangul: text with Hangul syllables, e.g. ``"김 철수"``.
        system: ``"rr"``, ``"mr"`` or ``"mr-plain"``.

    Returns:
        The romanised text.

    Examples:
        >>> romanise("김 철수", "rr")
        'Gim Cheolsu'
        >>> romanise("김 철수", "mr")
        "Kim Ch'ŏlsu"
    """
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("".join(romanise_syllables(run, system)).capitalize())
            run.clear()

    for char in hangul:
        if is_syllable(char):
            run.append(char)
        else:
            flush()
            out.append(char)
    flush()
    return "".join(out)
