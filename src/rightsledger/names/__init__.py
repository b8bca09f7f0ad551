"""Korean personal names: Hangul arithmetic, RR and MR romanisation, family names,
spelling variants, synthetic names and a canonical key for linkage.

Pure: imports the standard library only.
"""

from .families import FAMILY_NAMES, FamilyName, family_by_hangul, family_by_spelling
from .hangul import compose, decompose, is_hangul, is_syllable, south_initial
from .key import name_key, name_parts, skeleton
from .romanise import System, plain, romanise, romanise_syllables
from .spelling import Joiner, KoreanName, Script, Style, spell, spelling_variants
from .synthetic import GIVEN_SYLLABLES, random_name

__all__ = [
    "FAMILY_NAMES",
    "GIVEN_SYLLABLES",
    "FamilyName",
    "Joiner",
    "KoreanName",
    "Script",
    "Style",
    "System",
    "compose",
    "decompose",
    "family_by_hangul",
    "family_by_spelling",
    "is_hangul",
    "is_syllable",
    "name_key",
    "name_parts",
    "plain",
    "random_name",
    "romanise",
    "romanise_syllables",
    "skeleton",
    "south_initial",
    "spell",
    "spelling_variants",
]
