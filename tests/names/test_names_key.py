import itertools
import random
from collections import Counter

import pytest

from rightsledger.names import (
    FAMILY_NAMES,
    Joiner,
    KoreanName,
    Script,
    Style,
    family_by_spelling,
    name_key,
    random_name,
    skeleton,
    spell,
    spelling_variants,
)

CHEOLSU = KoreanName("김", "철수")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (Style(Script.RR, conventional=True), "Kim Cheol-su"),
        (Style(Script.RR, joiner=Joiner.NONE, conventional=True), "Kim Cheolsu"),
        (Style(Script.RR, joiner=Joiner.SPACE), "Gim Cheol Su"),
        (Style(Script.MR), "Kim Ch'ŏl-su"),
        (Style(Script.MR_PLAIN, joiner=Joiner.SPACE), "Kim Chol Su"),
        (Style(Script.RR, family_last=True, conventional=True), "Cheol-su Kim"),
        (Style(Script.HANGUL), "김철수"),
        (Style(Script.HANGUL, spaced=True), "김 철수"),
    ],
)
def test_spellings_of_cheolsu(style, expected):
    assert spell(CHEOLSU, style) == expected


def test_north_and_south_initial_sounds():
    name = KoreanName("리", "룡철")
    assert spell(name, Style(Script.HANGUL, north=True)) == "리룡철"
    assert spell(name, Style(Script.HANGUL)) == "이용철"
    assert (
        spell(name, Style(Script.RR, north=True, conventional=True)) == "Ri Ryong-cheol"
    )
    assert spell(name, Style(Script.RR, conventional=True)) == "Lee Yong-cheol"


def test_family_table():
    assert len(FAMILY_NAMES) >= 40
    for spelling in ("Lee", "Yi", "Rhee", "Ri", "I"):
        entry = family_by_spelling(spelling)
        assert entry is not None and entry.south == "이"
    for spelling, south in [
        ("Park", "박"),
        ("Pak", "박"),
        ("Choe", "최"),
        ("Jung", "정"),
    ]:
        entry = family_by_spelling(spelling)
        assert entry is not None and entry.south == south


@pytest.mark.parametrize(
    "text",
    ["김철수", "김 철수", "Kim Cheol-su", "Gim Cheolsu", "Kim Ch'ŏl-su", "Kim Chol Su",
     "Cheol-su Kim", "Cheolsu Gim", "Chol Su Kim", "KIM, Cheol-su", " kim  cheol su "],
)  # fmt: skip
def test_key_unifies_cheolsu(text):
    assert name_key(text) == "kim colsu"


def test_key_unifies_north_and_south():
    keys = {
        name_key(n)
        for n in ("리설주", "이설주", "Ri Sol Ju", "Lee Seol-ju", "Yi Sŏl-chu")
    }
    assert len(keys) == 1
    assert name_key("최룡수") == name_key("Choi Yong-su") == name_key("Ryong-su Choe")


def test_key_edge_cases():
    assert name_key("") == ""
    assert name_key("   ") == ""
    assert name_key("Cheolsu") == skeleton("Cheolsu")
    assert name_key("남궁민수") == name_key("Namgung Min-su")


def test_skeleton():
    assert skeleton("Ch'ŏl-su") == skeleton("Cheolsu") == skeleton("철수") == "colsu"
    assert skeleton("Ryong") == skeleton("Yong")
    assert skeleton("Ran") == skeleton("Nan")


def _names(n, seed=0):
    rng = random.Random(seed)
    found: set[KoreanName] = set()
    while len(found) < n:
        found.add(random_name(rng, rng.choice("MF")))
    return sorted(found, key=lambda x: x.hangul)


def test_name_key_recall_on_generated_variants():
    same = total = 0
    for name in _names(300):
        keys = [name_key(v) for v in spelling_variants(name)]
        for a, b in itertools.combinations(keys, 2):
            total += 1
            same += a == b
    assert same / total >= 0.97


def test_distinct_names_rarely_share_a_key():
    names = _names(400, seed=1)
    keys = Counter(name_key(n.hangul) for n in names)
    south = {n.south().hangul for n in names}
    collapsed = len(south) - len(keys)
    assert collapsed / len(south) < 0.02
    assert name_key("Kim Cheol-su") != name_key("Park Cheol-su")
    assert name_key("Kim Cheol-su") != name_key("Kim Yong-su")
    assert name_key("Lee Min-ho") != name_key("Choi Min-ho")


def test_random_name_is_deterministic():
    assert random_name(random.Random(5), "F") == random_name(random.Random(5), "F")
