"""Synthetic Korean names for simulated people: never the names of real victims.

Names are drawn from the family-name table (weighted by frequency) and from pools
of given-name syllables common in the North; a given name is two syllables. The
North's forms are kept (리, 룡, 련), so the South's spelling differs for some.
"""

from __future__ import annotations

import random

from .families import FAMILY_NAMES
from .spelling import KoreanName

__all__ = ["GIVEN_SYLLABLES", "random_name"]

_SHARED = "영 성 일 명 정 은 선 진 경 현 금 춘 광 옥 순 혜 미 향 련"
_MALE = (
    "철 수 호 남 혁 준 룡 봉 길 석 국 만 학 식 덕 용 기 태 동 훈 우 범 천 혁 무 근 택"
)
_FEMALE = "숙 희 화 란 실 애 주 녀 단 림 심 연 란 월 분 설"
#: Given-name syllables by sex (``"M"``, ``"F"``).
GIVEN_SYLLABLES: dict[str, tuple[str, ...]] = {
    "M": tuple(dict.fromkeys((_MALE + " " + _SHARED).split())),
    "F": tuple(dict.fromkeys((_FEMALE + " " + _SHARED).split())),
}
_FAMILIES = tuple(f.north for f in FAMILY_NAMES)
_WEIGHTS = tuple(f.share for f in FAMILY_NAMES)


def random_name(rng: random.Random, sex: str) -> KoreanName:
    """Draw a synthetic name.

    Args:
        rng: the random source (seeded by the caller).
        sex: ``"M"`` or ``"F"``; anything else draws from both pools.

    Returns:
        A name in North Korean Hangul forms.

    Examples:
        >>> random_name(random.Random(1), "F").family in _FAMILIES
        True
    """
    family = rng.choices(_FAMILIES, weights=_WEIGHTS)[0]
    pool = GIVEN_SYLLABLES.get(sex, GIVEN_SYLLABLES["M"] + GIVEN_SYLLABLES["F"])
    first, second = rng.choice(pool), rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return KoreanName(family, first + second)
