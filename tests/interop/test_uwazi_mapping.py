"""The Uwazi mapping file: the shipped example and the test mapping load; every
problem of a bad one is reported with the file and the key (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rightsledger
from rightsledger.errors import InputError, InputErrors
from rightsledger.intake.kinds import KINDS
from rightsledger.interop import read_mapping
from rightsledger.interop.uwazi_mapping import strptime_format

EXAMPLE = Path(rightsledger.__file__).parent / "templates/intake/uwazi-mapping.yaml"
DATA = Path(__file__).parents[1] / "data" / "uwazi"


def test_example_mapping_is_valid_and_covers_the_kind():
    m = read_mapping(EXAMPLE)
    kind = KINDS[m.kind]
    covered = {n for c in m.columns for n in c.fields} | set(m.constants)
    assert set(kind.required) <= covered
    assert m.template == "Detainee"
    assert "Documents" in m.ignore


def test_test_mapping_reads_day_first_dates():
    m = read_mapping(DATA / "detainees-mapping.yaml")
    assert m.strptime_format == "%d/%m/%Y"
    period = next(c for c in m.columns if c.column == "Period of detention")
    assert period.fields == ("seen_from", "seen_to")
    assert period.separator(m.schema) == "~"
    assert m.values["sex"] == {"Male": "M", "Female": "F"}


@pytest.mark.parametrize(
    ("uwazi", "expected"),
    [
        ("YYYY-MM-DD", "%Y-%m-%d"),
        ("DD/MM/YYYY", "%d/%m/%Y"),
        ("yyyy/MM/dd", "%Y/%m/%d"),
        ("D MMMM YYYY", "%d %B %Y"),
        ("MM.DD.YYYY", "%m.%d.%Y"),
    ],
)
def test_uwazi_date_formats(uwazi, expected):
    assert strptime_format(uwazi) == expected


@pytest.mark.parametrize(
    "bad", ["YYYY-MM", "YYYY-QQ-DD", "DD/MM/YYYY DD", "MM/YYYY/hh"]
)
def test_bad_date_formats(bad):
    with pytest.raises(ValueError):
        strptime_format(bad)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad-mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_named_with_file_and_key(tmp_path):
    path = _write(
        tmp_path,
        """
kind: records
templat: Detainee
date_format: YYYY-QQ-DD
fields:
  Title: full_name
  Name: full_nam
  Sexe: sex
  Sex: sex
  Period: [seen_from, seen_to, fate]
constants:
  nope: 1
  sex: M
values:
  fate: {Released: released}
ignore: [Title]
""",
    )
    with pytest.raises(InputErrors) as err:
        read_mapping(path)
    found = {(e.location[0], e.location[2]) for e in err.value.errors}
    file = path.name
    expected = {
        (file, "templat"),
        (file, "date_format"),
        (file, "fields.Name"),
        (file, "fields.Sex"),  # sex already mapped from Sexe
        (file, "fields.Period"),
        (file, "constants.nope"),
        (file, "constants.sex"),
        (file, "values.fate"),
        (file, "ignore.Title"),
        (file, "fields"),  # record_id and source_id are neither mapped nor constant
    }
    assert expected <= found
    assert all(e.location[0] == file for e in err.value.errors)
    messages = " ".join(e.message for e in err.value.errors)
    assert "'record_id'" in messages
    assert "'source_id'" in messages


def test_unknown_kind_and_missing_fields(tmp_path):
    path = _write(tmp_path, "kind: prisoners\nfields: {}\n")
    with pytest.raises(InputErrors) as err:
        read_mapping(path)
    assert [e.location[2] for e in err.value.errors] == ["kind"]
    path = _write(tmp_path, "kind: records\n")
    with pytest.raises(InputErrors) as err:
        read_mapping(path)
    assert "fields" in {e.location[2] for e in err.value.errors}


def test_not_a_mapping_malformed_and_missing_files(tmp_path):
    with pytest.raises(InputErrors, match="expected a mapping"):
        read_mapping(_write(tmp_path, "- kind\n- records\n"))
    with pytest.raises(InputError) as err:
        read_mapping(_write(tmp_path, "kind: records\nfields: {Title: [\n"))
    assert err.value.location[0] == "bad-mapping.yaml"
    assert err.value.location[1] is not None
    with pytest.raises(InputError, match="no such mapping file"):
        read_mapping(tmp_path / "absent.yaml")
