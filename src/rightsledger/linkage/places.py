"""Places on person records, brought to a province code and a county skeleton.

A record's ``province`` may hold a province alone (``North Hamgyong``, 함경북도,
``Hamgyŏng-pukto``) or a province and a county separated by a comma, a slash or
``>`` (``North Hamgyong, Hoeryong``). Provinces of the DPRK are mapped to one
code whatever the spelling; anything else (and every county) becomes a spelling
skeleton with the administrative suffix dropped, so that ``Hoeryong-si``,
``Hoeryŏng`` and 회령시 compare equal.

Pure: imports the standard library and :mod:`rightsledger.names` only.
"""

from __future__ import annotations

import re
from functools import cache

from rightsledger.names import is_hangul, skeleton

__all__ = ["PROVINCE_CODES", "split_place"]

#: Province code -> spellings (English, RR, MR, Hangul), DPRK divisions.
PROVINCE_CODES: dict[str, tuple[str, ...]] = {
    "pyongyang": ("Pyongyang", "P'yŏngyang", "평양", "평양시"),
    "s-pyongan": ("South Pyongan", "Pyeongannam-do", "P'yŏngan-namdo", "평안남도"),
    "n-pyongan": ("North Pyongan", "Pyeonganbuk-do", "P'yŏngan-pukto", "평안북도"),
    "s-hamgyong": ("South Hamgyong", "Hamgyeongnam-do", "Hamgyŏng-namdo", "함경남도"),
    "n-hamgyong": ("North Hamgyong", "Hamgyeongbuk-do", "Hamgyŏng-pukto", "함경북도"),
    "ryanggang": ("Ryanggang", "Yanggang", "Yanggang-do", "량강도", "양강도"),
    "chagang": ("Chagang", "Jagang", "Jagang-do", "Chagang-do", "자강도"),
    "kangwon": ("Kangwon", "Gangwon", "Gangwon-do", "Kangwŏn-do", "강원도"),
    "s-hwanghae": ("South Hwanghae", "Hwanghaenam-do", "Hwanghae-namdo", "황해남도"),
    "n-hwanghae": ("North Hwanghae", "Hwanghaebuk-do", "Hwanghae-pukto", "황해북도"),
    "rason": ("Rason", "Rasŏn", "Raseon", "라선", "라선시", "나선"),
    "nampo": ("Nampo", "Namp'o", "Nampho", "남포", "남포시"),
}

_SEPARATORS = re.compile(r"\s*[,/>|;]\s*")
_SUFFIX = re.compile(r"(?:[- ](?:do|si|gun|kun|ku|gu|county|city|province))+$", re.I)
_HANGUL_SUFFIX = ("도", "시", "군", "구")


def _skeleton(text: str) -> str:
    text = text.strip()
    if is_hangul(text):
        if len(text) > 2 and text.endswith(_HANGUL_SUFFIX):
            text = text[:-1]
        return skeleton(text.replace(" ", ""), word_initial=False)
    text = _SUFFIX.sub("", text)
    return skeleton(text, word_initial=False)


@cache
def _province_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, spellings in PROVINCE_CODES.items():
        for spelling in spellings:
            table[_skeleton(spelling)] = code
            table[skeleton(spelling, word_initial=False)] = code
    return table


@cache
def split_place(text: str | None) -> tuple[str | None, str | None]:
    """Province code (or skeleton) and county skeleton of a place field.

    Args:
        text: the record's place, e.g. ``"North Hamgyong, Hoeryong"``.

    Returns:
        ``(province, county)``; either is ``None`` when absent.

    Examples:
        >>> split_place("Hamgyŏng-pukto / Hoeryŏng-si")
        ('n-hamgyong', 'hoelyong')
        >>> split_place("함경북도 회령시")
        ('n-hamgyong', 'hoelyong')
    """
    if text is None or not text.strip():
        return None, None
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if len(parts) == 1 and is_hangul(parts[0]) and " " in parts[0]:
        parts = parts[0].split()
    table = _province_table()
    province_text = parts[0]
    province = table.get(_skeleton(province_text)) or _skeleton(province_text) or None
    county = _skeleton(parts[1]) if len(parts) > 1 else None
    return province, county or None
