"""Splink comparison levels for Korean person records (the spec's comparisons).

With :mod:`rightsledger.linkage.splink_model`, the only modules that import
Splink; both import it inside functions, when a run starts. Column names are
those of :mod:`rightsledger.linkage.features`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["korean"]


def _null(col: str, *more: str) -> Any:
    from splink import comparison_level_library as cll

    cond = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in (col, *more))
    return cll.CustomLevel(cond, f"{col} missing").configure(is_null_level=True)


def _name_levels() -> list[Any]:
    from splink import comparison_level_library as cll

    same_family = cll.ExactMatchLevel("fam")
    return [
        _null("nkey"),
        cll.ExactMatchLevel("nkey", term_frequency_adjustments=True).configure(
            label_for_charts="same name (any script)"
        ),
        cll.And(
            same_family, cll.ColumnsReversedLevel("g1", "g2", symmetrical=True)
        ).configure(label_for_charts="given syllables swapped"),
        cll.ExactMatchLevel("nsorted").configure(
            label_for_charts="same syllables, family/given order differs"
        ),
        cll.And(same_family, cll.JaroWinklerLevel("giv", 0.9)).configure(
            label_for_charts="same family, given name one slip apart"
        ),
        cll.And(
            same_family, cll.Or(cll.ExactMatchLevel("g1"), cll.ExactMatchLevel("g2"))
        ).configure(label_for_charts="same family, one given syllable equal"),
        cll.ExactMatchLevel("giv").configure(
            label_for_charts="same given name, family differs"
        ),
        cll.JaroWinklerLevel("nkey", 0.85).configure(label_for_charts="similar name"),
        cll.ElseLevel(),
    ]


def _year_levels(col: str, steps: tuple[int, ...]) -> list[Any]:
    from splink import comparison_level_library as cll

    levels: list[Any] = [cll.NullLevel(col), cll.ExactMatchLevel(col)]
    levels += [cll.AbsoluteDifferenceLevel(col, s) for s in steps]
    return [*levels, cll.ElseLevel()]


def _exact_levels(col: str) -> list[Any]:
    from splink import comparison_level_library as cll

    return [cll.NullLevel(col), cll.ExactMatchLevel(col), cll.ElseLevel()]


def _place_levels() -> list[Any]:
    from splink import comparison_level_library as cll

    return [
        cll.NullLevel("prov"),
        cll.And(cll.ExactMatchLevel("prov"), cll.ExactMatchLevel("county")).configure(
            label_for_charts="same county"
        ),
        cll.ExactMatchLevel("prov").configure(label_for_charts="same province"),
        cll.ElseLevel(),
    ]


def korean() -> list[tuple[str, list[Any]]]:
    """The comparisons of the Korean person spec, as Splink level creators."""
    return [
        ("name", _name_levels()),
        ("birth_year", _year_levels("byear", (1, 3))),
        ("sex", _exact_levels("sex")),
        ("place", _place_levels()),
        ("facility", _exact_levels("fac")),
        ("year_arrested", _year_levels("yarr", (2,))),
    ]
