"""The field parsers (pure): what each accepts, what it refuses and why."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsledger.domain import Reliability
from rightsledger.intake import fields as f
from rightsledger.intake.importer import _Found, _parse_cells
from rightsledger.intake.importer import cell_parser as _cell_parser
from rightsledger.intake.kinds import KINDS, record_identity
from rightsledger.vault.crypto import FieldCipher, LedgerKey


@pytest.mark.parametrize(
    ("parse", "value", "expected"),
    [
        (f.text(5), "  abc ", "abc"),
        (f.text(5), 12, "12"),
        (f.identifier, " A-1 ", "A-1"),
        (f.integer(1, 10), " 7 ", 7),
        (f.integer(1, 10), 7, 7),
        (f.decimal, "41.5", 41.5),
        (f.day, "2020-02-29", date(2020, 2, 29)),
        (f.day, date(2020, 1, 2), date(2020, 1, 2)),
        (f.choice(Reliability), "b", Reliability.B),
        (f.choice(Reliability), " B ", Reliability.B),
        (f.one_of("x", "y"), " y", "y"),
        (f.yes_no, "Y", True),
        (f.yes_no, "false", False),
        (f.yes_no, True, True),
        (f.sex, "f", "F"),
        (f.sex, "Male", "M"),
    ],
)
def test_accepted(parse, value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize(
    ("parse", "value", "message"),
    [
        (f.text(5), "abcdef", "6 characters; at most 5 allowed"),
        (f.text(5), "a\x00b", "NUL"),
        (f.text(5), ["a"], "expected text, found list"),
        (f.text(5), True, "expected text, found bool"),
        (f.identifier, "a b", "not an id"),
        (f.identifier, "a/b", "not an id"),
        (f.identifier, "a\x00", "NUL"),
        (f.identifier, "x" * 121, "at most 120"),
        (f.integer(1, 10), "11", "outside 1..10"),
        (f.integer(1, 10), "1.5", "not a whole number"),
        (f.integer(1, 10), False, "true/false"),
        (f.decimal, "nan", "not a finite number"),
        (f.decimal, "inf", "not a finite number"),
        (f.decimal, "north", "not a number"),
        (f.decimal, True, "true/false"),
        (f.day, "2021-02-29", "not a date of the calendar"),
        (f.day, "2021-2-3", "use YYYY-MM-DD"),
        (f.day, "20210203", "use YYYY-MM-DD"),
        (f.day, "2021-02-03T10:00", "use YYYY-MM-DD"),
        (f.choice(Reliability), "G", "is not one of: A, B"),
        (f.one_of("x", "y"), "z", "not one of: x, y"),
        (f.yes_no, "maybe", "not yes or no"),
        (f.sex, "X", "not M or F"),
        (f.sex, "Mx", "not M or F"),
    ],
)
def test_refused(parse, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse(value)


def test_blank():
    assert f.blank(None) and f.blank("") and f.blank(" \t")
    assert not f.blank("0") and not f.blank(0) and not f.blank(False)


def test_every_parser_is_described():
    assert f.describe(f.text(9)) == "text, at most 9 characters"
    assert f.describe(f.integer(1, 2)) == "whole number, 1 to 2"
    assert f.describe(f.day) == "date, YYYY-MM-DD"


@pytest.mark.parametrize(
    "name", ["김철수", 'Kim "Chol" Su', "back\\slash", "tab\there", "é😀", "\u2028"]
)
@pytest.mark.parametrize("year", [None, 1961])
def test_record_identity_is_what_the_cipher_would_encrypt(name, year):
    fields = {"full_name": name, "birth_year": year}
    text = record_identity(name, year)
    assert text == json.dumps(fields, sort_keys=True, ensure_ascii=False)
    cipher = FieldCipher(LedgerKey.generate())
    blob = cipher.encrypt_text(text, context="r-1")
    assert cipher.decrypt(blob, context="r-1") == fields


# -- the compiled row parser does what the reference does ---------------------------
_TEXTS = st.one_of(
    st.sampled_from(["", " ", "\t", "x", "A-1", "a b", "1961", "19x0", "2020-02-30"]),
    st.sampled_from(["2001-05-06", "M", "f", "dead", "yes", "B", "ngo-list", "3"]),
    st.text(max_size=8),
)
_VALUES = st.one_of(
    st.none(),
    _TEXTS,
    st.integers(-5, 3000),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)))
@settings(max_examples=300, deadline=None)
def test_compiled_parser_matches_the_reference_on_dicts(data, kind):
    spec = KINDS[kind]
    keys = sorted(spec.names) + ["extra"]
    raw = data.draw(st.dictionaries(st.sampled_from(keys), _VALUES))
    found = _Found()
    mine = _cell_parser(spec, None)(raw, 7, found)
    reference = _Found()
    expected = _parse_cells(spec, raw, 7, reference, False)
    assert mine == expected
    assert found == reference


@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)))
@settings(max_examples=300, deadline=None)
def test_compiled_parser_matches_the_reference_on_csv_lists(data, kind):
    spec = KINDS[kind]
    columns = data.draw(st.permutations(sorted(spec.names)))
    columns = columns[: data.draw(st.integers(1, len(columns)))]
    values = data.draw(st.lists(_TEXTS, min_size=len(columns), max_size=len(columns)))
    found = _Found()
    mine = _cell_parser(spec, columns)(values, 3, found)
    reference = _Found()
    raw = dict(zip(columns, values, strict=True))
    assert mine == _parse_cells(spec, raw, 3, reference, False)
    assert found == reference
