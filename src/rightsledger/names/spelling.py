"""The ways one Korean name gets written on lists: scripts, orders, separators."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

from .families import family_by_hangul
from .hangul import south_initial
from .romanise import romanise_syllables

__all__ = ["Joiner", "KoreanName", "Script", "Style", "spell", "spelling_variants"]


class Script(StrEnum):
    """How a name is written."""

    HANGUL = "hangul"
    RR = "rr"
    MR = "mr"
    MR_PLAIN = "mr-plain"


class Joiner(StrEnum):
    """How the syllables of a romanised given name are joined."""

    HYPHEN = "-"
    NONE = ""
    SPACE = " "


@dataclass(frozen=True, slots=True)
class KoreanName:
    """A name in Hangul as the person's own state writes it (North forms: 리, 룡).

    Attributes:
        family: family name, one syllable (or two: 남궁).
        given: given name, usually two syllables.
    """

    family: str
    given: str

    def south(self) -> KoreanName:
        """The South's spelling: initial-sound rule on family and given name."""
        return KoreanName(_south_word(self.family), _south_word(self.given))

    @property
    def hangul(self) -> str:
        """Family and given name, unspaced: 김철수."""
        return self.family + self.given


def _south_word(word: str) -> str:
    return south_initial(word[0]) + word[1:] if word else word


@dataclass(frozen=True, slots=True)
class Style:
    """One way of writing a name.

    Attributes:
        script: Hangul, RR, MR or MR without diacritics.
        family_last: family name after the given name (romanised scripts only).
        joiner: separator between given-name syllables (romanised scripts only).
        north: keep the North's initial ㄹ/ㄴ (리) instead of the South's (이).
        conventional: customary family spelling (Lee, Park) instead of RR/MR,
            when the table has one (the first for the South, an R-form for
            the North when there is one, e.g. Ri).
        spaced: a space between family and given name in Hangul (김 철수).
    """

    script: Script = Script.RR
    family_last: bool = False
    joiner: Joiner = Joiner.HYPHEN
    north: bool = False
    conventional: bool = False
    spaced: bool = False


def _conventional(family: str, north: bool) -> str | None:
    entry = family_by_hangul(family)
    if entry is None or not entry.conventional:
        return None
    if north:
        r_forms = [c for c in entry.conventional if c.startswith("R")]
        if r_forms and entry.north != entry.south:
            return min(r_forms, key=len)
    return entry.conventional[0]


def _given(given: str, style: Style) -> str:
    parts = romanise_syllables(list(given), style.script.value)  # type: ignore[arg-type]
    if style.joiner is Joiner.SPACE:
        return " ".join(p.capitalize() for p in parts)
    return style.joiner.value.join(parts).capitalize()


def spell(name: KoreanName, style: Style) -> str:
    """Write ``name`` in ``style``.

    Args:
        name: the name in Hangul (North forms).
        style: how to write it.

    Returns:
        The written name, e.g. ``"Kim Ch'ŏl-su"`` or ``"Cheolsu Gim"``.

    Examples:
        >>> spell(KoreanName("김", "철수"), Style(Script.MR))
        "Kim Ch'ŏl-su"
        >>> spell(KoreanName("리", "설주"), Style(Script.RR, conventional=True))
        'Lee Seol-ju'
    """
    written = name if style.north else name.south()
    if style.script is Script.HANGUL:
        sep = " " if style.spaced else ""
        return written.family + sep + written.given
    family = _conventional(written.family, style.north) if style.conventional else None
    if family is None:
        syllables = romanise_syllables(list(written.family), style.script.value)  # type: ignore[arg-type]
        family = "".join(syllables).capitalize()
    given = _given(written.given, style)
    return f"{given} {family}" if style.family_last else f"{family} {given}"


def spelling_variants(name: KoreanName) -> tuple[str, ...]:
    """Every distinct spelling of ``name`` over all styles, sorted.

    Examples:
        >>> "Cheol-su Kim" in spelling_variants(KoreanName("김", "철수"))
        True
    """
    found: set[str] = set()
    for north, spaced in itertools.product((False, True), repeat=2):
        found.add(spell(name, Style(Script.HANGUL, north=north, spaced=spaced)))
    romanised = (Script.RR, Script.MR, Script.MR_PLAIN)
    for script, last, joiner, north, conv in itertools.product(
        romanised, (False, True), tuple(Joiner), (False, True), (False, True)
    ):
        style = Style(script, last, joiner, north, conv)
        found.add(spell(name, style))
    return tuple(sorted(found))
