"""Hand-checked spellings of one name that must meet, and names that must not."""

from __future__ import annotations

import pytest

from rightsledger.linkage.features import name_features
from rightsledger.names import name_key, name_parts
from rightsledger.names.syllables import split_syllables

SAME = [
    ("김철수", "Kim Chol-su"),
    ("김철수", "Gim Cheol-su"),
    ("김철수", "Kim Ch'ŏl-su"),
    ("김철수", "Cheolsu Kim"),
    ("김철수", "KIM CHOLSU"),
    ("김철수", "Kim, Cheol Su"),
    ("김 철수", "Chol Su Kim"),
    ("리설주", "Ri Sol-ju"),
    ("리설주", "Lee Seol-ju"),
    ("이설주", "Yi Sŏl-ju"),
    ("리설주", "Rhee Seol Ju"),
    ("림영일", "Rim Yong-il"),
    ("임영일", "Lim Yeong-il"),
    ("임영일", "Im Yong Il"),
    ("류춘화", "Ryu Chun-hwa"),
    ("유춘화", "Yu Chunhwa"),
    ("류춘화", "Yoo Chun-hwa"),
    ("로명남", "Ro Myong-nam"),
    ("노명남", "Noh Myeong-nam"),
    ("노명남", "Roh Myŏng-nam"),
    ("박혁철", "Pak Hyok-chol"),
    ("박혁철", "Park Hyeok-cheol"),
    ("박혁철", "Bak Hyeokcheol"),
    ("최은희", "Choe Un-hui"),
    ("최은희", "Choi Eun-hui"),
    ("정광호", "Jong Kwang-ho"),
    ("정광호", "Jeong Gwang-ho"),
    ("정광호", "Chung Kwang Ho"),
    ("조성민", "Cho Song-min"),
    ("조성민", "Jo Seong-min"),
    ("강영수", "Kang Yŏng-su"),
    ("한명숙", "Han Myeong-suk"),
    ("한명숙", "Myong-suk Han"),
    ("윤금순", "Yun Kum-sun"),
    ("윤금순", "Yoon Geum-sun"),
    ("장철", "Jang Cheol"),
    ("장철", "Chang Ch'ŏl"),
    ("신옥희", "Shin Ok-hui"),
    ("신옥희", "Sin Okhui"),
    ("권혁", "Kwon Hyok"),
    ("황보영", "Hwangbo Yong"),
    ("남궁민", "Namgung Min"),
    ("남궁민", "Namgoong Min"),
    ("리룡철", "Ri Ryong-chol"),
    ("리룡철", "Lee Yong-cheol"),
    ("이용철", "Yi Yong-ch'ŏl"),
    ("김대중", "Kim Tae-jung"),
    ("김대중", "Gim Dae-jung"),
    ("김대중", "Kim Dae Jung"),
    ("량순희", "Yang Sun-hui"),
    ("량순희", "Ryang Sun-hui"),
    ("문선녀", "Mun Sŏn-nyŏ"),
    ("문선녀", "Moon Seon-nyeo"),
    ("송혜련", "Song Hye-ryon"),
    ("송혜련", "Song Hye-ryeon"),
    ("허진", "Heo Jin"),
    ("허진", "Hur Chin"),
    ("오영남", "O Yong-nam"),
    ("오영남", "Oh Young-nam"),
    ("백설", "Paek Sol"),
    ("백설", "Baek Seol"),
    ("리은주", "Rhee Eun-joo"),
    ("전광일", "Chon Kwang-il"),
    ("전광일", "Jeon Gwang-il"),
    ("홍길동", "Hong Kil-tong"),
    ("홍길동", "Hong Gil-dong"),
    ("손미란", "Sohn Mi-lan"),
]

APART = [
    ("김철수", "김철호"),
    ("Kim Chol-su", "Pak Chol-su"),
    ("이영희", "임영희"),
    ("유춘화", "윤춘화"),
    ("Kim Song-il", "Kim Song-ho"),
    ("정은", "정훈"),
    ("최은희", "최은혜"),
    ("Ri Sol-ju", "Ri Sol-hui"),
    ("김철수", "김수철"),
    ("Han Myong-suk", "Han Myong-sun"),
    ("Kang Chol", "Kwak Chol"),
    ("류명남", "로명남"),
    ("Kim Il-song", "Kim Il-sung-ho"),
    ("박영", "박영수"),
]


def test_enough_hand_checked_pairs():
    assert len(SAME) >= 50


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_name_meet(a, b):
    assert name_key(a) == name_key(b)
    assert name_features(a) == name_features(b)


@pytest.mark.parametrize(("a", "b"), APART)
def test_different_names_stay_apart(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize(
    ("skeleton", "syllables"),
    [
        ("colsu", ("col", "su")),
        ("yongil", ("yong", "il")),
        ("hyokcol", ("hyok", "col")),
        ("kwangho", ("kwang", "ho")),
        ("", ()),
        ("xqz", ("xqz",)),
    ],
)
def test_split_syllables(skeleton, syllables):
    assert split_syllables(skeleton) == syllables


def test_syllables_agree_across_scripts():
    forms = [name_features(n) for n in ("박혁철", "Pak Hyok-chol", "Hyeokcheol Park")]
    assert {f[3:5] for f in forms} == {("hyok", "col")}


def test_order_swap_has_same_sorted_syllables():
    # both ends look like family names and the rarer is read as the family
    a, b = name_features("Song Min"), name_features("Min Song")
    assert a[5] == b[5]


def test_name_parts_blank():
    assert name_parts("  ") == ("", "")
