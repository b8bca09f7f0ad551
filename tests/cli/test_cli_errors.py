"""The command line says what each command does, and turns every bad input into
one clear message with a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsledger.cli import cli

COMMANDS = [
    [],
    ["init"],
    ["verify"],
    ["catalogue"],
    ["catalogue", "validate"],
    ["catalogue", "load"],
    ["catalogue", "show"],
    ["link"],
    ["estimate", "table"],
    ["plan"],
    ["sanctions"],
    ["agreement"],
    ["agreement", "check"],
    ["estimate"],
    ["assess"],
    ["diff"],
    ["scorecard"],
    ["demo"],
    ["simulate"],
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "root")
def test_every_command_has_help(runner, args):
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) >= 3  # usage, a sentence of what it does, options


def _no_traceback(result) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_ledger_is_named(runner, tmp_path):
    db = tmp_path / "none.sqlite"
    result = runner.invoke(cli, ["-d", str(db), "assess"])
    _no_traceback(result)
    assert f"no ledger at {db}" in result.output


def test_bad_database_url_is_named(runner):
    result = runner.invoke(cli, ["-d", "oracle://me@host/db", "assess"])
    _no_traceback(result)
    assert "'oracle' is not supported" in result.output


def test_unreachable_postgres_is_named(runner, tmp_path):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = runner.invoke(cli, ["-d", url, "--key-file", str(tmp_path / "k"), "init"])
    _no_traceback(result)
    assert (
        "cannot reach the database at 'postgresql+psycopg://nobody@127.0.0.1:1/none'"
        in (result.output)
    )


def test_missing_catalogue_folder_is_named(runner, tmp_path):
    missing = tmp_path / "nowhere"
    result = runner.invoke(cli, ["catalogue", "validate", str(missing)])
    _no_traceback(result)
    assert str(missing) in result.output
    assert "does not exist" in result.output


def test_bad_catalogue_names_file_and_key(runner, tmp_path):
    from rightsledger.catalogue import default_catalogue_path

    folder = tmp_path / "cat"
    folder.mkdir()
    for f in default_catalogue_path().glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bench = folder / "benchmarks.yaml"
    bench.write_text(
        bench.read_text(encoding="utf-8").replace(
            "min_reliability: B", "min_reliability: Q", 1
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["catalogue", "validate", str(folder)])
    _no_traceback(result)
    assert "benchmarks.yaml" in result.output
    assert "min_reliability" in result.output


def test_bad_date_is_named(runner, tmp_path):
    db = tmp_path / "l.sqlite"
    assert runner.invoke(cli, ["init", str(db)]).exit_code == 0
    result = runner.invoke(cli, ["-d", str(db), "assess", "--as-of", "2027-13-01"])
    _no_traceback(result)
    assert "'2027-13-01' is not a date" in result.output


def test_init_then_validate_and_show(runner, tmp_path):
    db = tmp_path / "l.sqlite"
    result = runner.invoke(cli, ["init", str(db)])
    assert result.exit_code == 0, result.output
    assert Path(f"{db}.key").exists()
    shown = runner.invoke(cli, ["-d", str(db), "catalogue", "show"])
    assert "release-political-prisoners" in shown.output
    ok = runner.invoke(cli, ["catalogue", "validate"])
    assert ok.exit_code == 0 and ok.output.startswith("OK:")
    again = runner.invoke(cli, ["init", str(db)])
    _no_traceback(again)
    assert "already holds tables" in again.output
