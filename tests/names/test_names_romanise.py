from hypothesis import given
from hypothesis import strategies as st

from rightsledger.names import (
    compose,
    decompose,
    is_hangul,
    is_syllable,
    plain,
    romanise,
    romanise_syllables,
    south_initial,
)


def test_known_syllables():
    assert romanise("김", "rr") == "Gim"
    assert romanise("김", "mr") == "Kim"
    assert romanise("철", "rr") == "Cheol"
    assert romanise("철", "mr") == "Ch'ŏl"
    assert romanise("철", "mr-plain") == "Chol"
    assert romanise("수", "rr") == romanise("수", "mr") == "Su"
    assert romanise_syllables(["철", "수"], "mr") == ["ch'ŏl", "su"]


def test_mr_voicing_after_vowel_and_voiced_final():
    assert romanise_syllables(["대", "중"], "mr") == ["tae", "jung"]
    assert romanise_syllables(["석", "구"], "mr") == ["sŏk", "ku"]
    assert romanise_syllables(["영", "길"], "mr") == ["yŏng", "gil"]


def test_words_and_other_text():
    assert romanise("김 철수", "rr") == "Gim Cheolsu"
    assert romanise("리설주 (x)", "mr") == "Risŏlju (x)"
    assert plain("Ch'ŏl-su Kŭm") == "Chol-su Kum"


def test_unknown_system_rejected():
    import pytest

    with pytest.raises(ValueError, match="unknown"):
        romanise_syllables(["김"], "xx")  # type: ignore[arg-type]


def test_decompose_known():
    assert decompose("김") == (0, 20, 16)
    assert compose(0, 20, 16) == "김"
    assert compose(11, 20) == "이"


def test_bad_input():
    import pytest

    with pytest.raises(ValueError):
        decompose("a")
    with pytest.raises(ValueError):
        compose(19, 0)


@given(st.integers(min_value=0xAC00, max_value=0xD7A3))
def test_round_trip_every_syllable(code):
    char = chr(code)
    assert is_syllable(char)
    assert compose(*decompose(char)) == char


@given(st.integers(0, 18), st.integers(0, 20), st.integers(0, 27))
def test_round_trip_indices(i, v, f):
    assert decompose(compose(i, v, f)) == (i, v, f)


@given(st.integers(min_value=0xAC00, max_value=0xD7A3))
def test_romanisation_is_ascii_except_mr_breves(code):
    char = chr(code)
    assert romanise(char, "rr").isascii()
    assert romanise(char, "mr-plain").replace("'", "").isalpha()
    assert romanise(char, "mr-plain").isascii()


def test_initial_sound_rule():
    assert south_initial("리") == "이"
    assert south_initial("림") == "임"
    assert south_initial("류") == "유"
    assert south_initial("로") == "노"
    assert south_initial("룡") == "용"
    assert south_initial("녀") == "여"
    assert south_initial("김") == "김"


def test_is_hangul():
    assert is_hangul("김 철수")
    assert not is_hangul("Kim 철수")
    assert not is_hangul("Kim")
