"""`rightsledger import` through the command line: a clean message naming file,
row and field, exit code 1, and nothing changed."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from rightsledger.cli import cli

from . import ROWS, write_csv, write_rows


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ledger.sqlite"
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _run(db, *args):
    return CliRunner().invoke(cli, ["-d", str(db), *args])


def test_bad_rows_exit_1_with_every_place(db, tmp_path):
    sources = write_rows(tmp_path, "sources", "csv", ROWS["sources"])
    assert _run(db, "import", str(sources), "--kind", "sources").exit_code == 0
    path = write_csv(
        tmp_path / "people.csv",
        ["record_id", "source_id", "full_name", "birth_year"],
        [["p-1", "t-list", "A", "1960"], ["p-2", "no-such-list", "B", "19x0"]],
    )
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = _run(db, "import", str(path), "--kind", "records")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error: 2 problems in people.csv (records):" in result.output
    assert (
        "people.csv: row 3: source_id: unknown source 'no-such-list'" in result.output
    )
    assert (
        "people.csv: row 3: birth_year: '19x0' is not a whole number" in result.output
    )
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_broken_file_exits_1(db, tmp_path):
    path = tmp_path / "records.json"
    path.write_text('[{"record_id": "a"', encoding="utf-8")
    result = _run(db, "import", str(path), "--kind", "records")
    assert result.exit_code == 1
    assert "records.json: row 1: truncated or malformed JSON" in result.output


def test_an_unknown_extension_asks_for_a_format(db, tmp_path):
    path = tmp_path / "records.txt"
    path.write_text("record_id\n", encoding="utf-8")
    result = _run(db, "import", str(path), "--kind", "records")
    assert result.exit_code == 1
    assert "use --format" in result.output


def test_success_and_repeat_messages(db, tmp_path):
    path = write_rows(tmp_path, "sources", "yaml", ROWS["sources"])
    first = _run(db, "import", str(path), "--kind", "sources")
    assert first.exit_code == 0, first.output
    assert "Imported 2 sources from sources-yaml.yaml (2 rows)." in first.output
    again = _run(db, "import", str(path), "--kind", "sources")
    assert again.exit_code == 0
    assert "was imported before" in again.output
    assert _run(db, "verify").exit_code == 0
