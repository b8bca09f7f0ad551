"""Common Korean family names, their North/South forms and their usual spellings.

Frequencies are rounded shares of the population in per cent (South Korean census
2015, rounded; North Korean shares are similar for the common names). They weight
synthetic names and break ties when a romanised name has a family-name candidate
at both ends.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from .romanise import romanise_syllables

__all__ = [
    "FAMILY_NAMES",
    "FamilyName",
    "family_by_hangul",
    "family_by_spelling",
    "latin_form",
]


@dataclass(frozen=True, slots=True)
class FamilyName:
    """One family name.

    Attributes:
        south: Hangul as written in the South (initial-sound rule applied: 이).
        north: Hangul as written in the North (리); same as ``south`` for most.
        share: rounded share of the population, per cent.
        conventional: customary spellings beyond the RR and MR ones (Lee, Park).
    """

    south: str
    north: str
    share: float
    conventional: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """Every spelling we know: conventional, RR and MR of both forms."""
        found: list[str] = list(self.conventional)
        for form in (self.south, self.north):
            for system in ("rr", "mr", "mr-plain"):
                text = "".join(romanise_syllables(list(form), system)).capitalize()
                found.append(text)
        return tuple(dict.fromkeys(found))


def _f(south: str, share: float, *conventional: str, north: str = "") -> FamilyName:
    return FamilyName(south, north or south, share, conventional)


#: The family-name table, most frequent first.
FAMILY_NAMES: tuple[FamilyName, ...] = (
    _f("김", 21.5, "Kim"),
    _f("이", 14.7, "Lee", "Yi", "Rhee", "Ri", "I", "Rhie", north="리"),
    _f("박", 8.4, "Park", "Pak", "Bak"),
    _f("최", 4.7, "Choi", "Choe"),
    _f("정", 4.3, "Jung", "Jeong", "Chung", "Chong", "Jong"),
    _f("강", 2.3, "Kang"),
    _f("조", 2.1, "Cho", "Jo"),
    _f("윤", 2.0, "Yoon", "Yun"),
    _f("장", 2.0, "Jang", "Chang"),
    _f("임", 1.7, "Lim", "Im", "Rim", "Yim", north="림"),
    _f("한", 1.5, "Han"),
    _f("오", 1.5, "Oh", "O"),
    _f("서", 1.5, "Seo", "Suh", "So"),
    _f("신", 1.5, "Shin", "Sin"),
    _f("권", 1.4, "Kwon", "Gwon"),
    _f("황", 1.4, "Hwang"),
    _f("안", 1.4, "Ahn", "An"),
    _f("송", 1.4, "Song"),
    _f("전", 1.3, "Jeon", "Chun", "Chon", "Jon"),
    _f("홍", 1.1, "Hong"),
    _f("유", 1.1, "Yoo", "Yu"),
    _f("유", 0.8, "Ryu", "Yoo", "Yu", "Rhyu", north="류"),
    _f("고", 0.9, "Ko", "Koh", "Go"),
    _f("문", 0.9, "Moon", "Mun"),
    _f("양", 0.9, "Yang", "Ryang", north="량"),
    _f("손", 0.9, "Son", "Sohn"),
    _f("배", 0.8, "Bae", "Pae"),
    _f("백", 0.8, "Baek", "Paek", "Paik", "Baik"),
    _f("허", 0.6, "Heo", "Hur", "Huh", "Ho"),
    _f("남", 0.5, "Nam"),
    _f("심", 0.5, "Shim", "Sim"),
    _f("노", 0.4, "Noh", "Roh", "No", "Ro", north="로"),
    _f("하", 0.4, "Ha"),
    _f("곽", 0.4, "Kwak", "Gwak"),
    _f("성", 0.4, "Sung", "Seong", "Song"),
    _f("차", 0.4, "Cha"),
    _f("주", 0.4, "Joo", "Ju", "Chu"),
    _f("우", 0.4, "Woo", "U"),
    _f("구", 0.4, "Koo", "Ku", "Gu"),
    _f("민", 0.3, "Min"),
    _f("진", 0.3, "Jin", "Chin"),
    _f("나", 0.3, "Na", "Ra", north="라"),
    _f("지", 0.3, "Ji", "Chi"),
    _f("엄", 0.3, "Um", "Eom", "Om"),
    _f("채", 0.3, "Chae"),
    _f("원", 0.3, "Won", "Weon"),
    _f("천", 0.2, "Cheon", "Chun", "Chon"),
    _f("방", 0.2, "Bang", "Pang"),
    _f("현", 0.2, "Hyun", "Hyeon", "Hyon"),
    _f("염", 0.2, "Yeom", "Yum", "Ryom", north="렴"),
    _f("여", 0.2, "Yeo", "Yo", "Ryo", north="려"),
    _f("남궁", 0.04, "Namgoong", "Namgung"),
    _f("황보", 0.02, "Hwangbo"),
)


def latin_form(text: str) -> str:
    """Lower case ASCII letters only: no breves, apostrophes, hyphens or spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


@cache
def _by_spelling() -> dict[str, FamilyName]:
    table: dict[str, FamilyName] = {}
    for family in FAMILY_NAMES:  # most frequent first wins a shared spelling
        for spelling in family.spellings():
            table.setdefault(latin_form(spelling), family)
    return table


@cache
def _by_hangul() -> dict[str, FamilyName]:
    table: dict[str, FamilyName] = {}
    for family in FAMILY_NAMES:
        table.setdefault(family.south, family)
        table.setdefault(family.north, family)
    return table


def family_by_spelling(token: str) -> FamilyName | None:
    """The family name a romanised token spells, if it is in the table.

    A spelling shared by two names (Chun: 전 and 천) returns the more frequent.
    """
    return _by_spelling().get(latin_form(token))


def family_by_hangul(token: str) -> FamilyName | None:
    """The family name written ``token`` in Hangul (South or North form)."""
    return _by_hangul().get(token)
