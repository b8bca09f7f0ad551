"""`rightsledger agreement check` on real, model and bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsledger.catalogue import default_catalogue_path
from rightsledger.cli import _Group
from rightsledger.cli.agreement_cmds import agreement, shorten
from rightsledger.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "agreements"


def run(*args: str):
    return CliRunner().invoke(agreement, ["check", *args])


def test_singapore_binds_nothing_and_reports_the_remains():
    result = run(str(DATA / "singapore-2018.txt"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4 (humanitarian)" in out
    assert "POW/MIA remains" in out
    assert "bound (0)" in out and "mentioned only (0)" in out
    assert "omitted (17)" in out
    assert "humanitarian clauses (not coverage): 4" in out


def test_model_deal_binds_every_benchmark():
    result = run(str(DATA / "model-deal.md"))
    assert result.exit_code == 0, result.output
    assert "bound (17)" in result.output
    assert "omitted (0)" in result.output
    assert "binds separated-families" in result.output


def test_json_shape():
    result = run(str(DATA / "helsinki-1975-excerpts.txt"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"file", "clauses", "bound", "mentioned", "omitted"}
    assert data["file"].endswith("helsinki-1975-excerpts.txt")
    clause = data["clauses"][0]
    assert set(clause) == {"label", "text", "binds", "mentions", "kind", "humanitarian"}
    assert data["bound"] == ["separated-families"]
    assert "freedom-of-movement-and-returnees" in data["mentioned"]
    assert len(data["omitted"]) == 15
    kinds = {c["kind"] for c in data["clauses"]}
    assert kinds <= {"human-rights", "humanitarian", "other"}


def test_other_catalogue_folder(tmp_path):
    folder = tmp_path / "cat"
    shutil.copytree(default_catalogue_path(), folder)
    result = run(str(DATA / "model-deal.md"), "--catalogue", str(folder), "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.output)["bound"]) == 17


def test_catalogue_without_lexicon_is_an_error(tmp_path):
    folder = tmp_path / "cat"
    shutil.copytree(default_catalogue_path(), folder)
    (folder / "matching.yaml").unlink()
    result = run(str(DATA / "model-deal.md"), "--catalogue", str(folder))
    assert result.exit_code != 0
    assert "matching.yaml" in str(result.exception)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blob.bin", b"\x89PNG\x00\x00binary", "binary"),
        ("latin.txt", "Réunion".encode("latin-1"), "UTF-8"),
        ("scan.pdf", b"no pdf here", "not a PDF"),
    ],
)
def test_bad_files_name_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(str(path))
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert result.exception.location[0] == str(path)
    assert message in str(result.exception)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"The DPRK shall close the camps.\n" * 160_000)  # 5.1 MB
    result = run(str(path))
    assert isinstance(result.exception, InputError)
    assert "too large" in str(result.exception)


def test_the_root_group_turns_errors_into_a_clean_exit(tmp_path):
    root = _Group()
    root.add_command(agreement)
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    result = CliRunner().invoke(root, ["agreement", "check", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path}: the agreement file is empty" in result.output
    assert "Traceback" not in result.output


def test_shorten_cuts_at_a_word():
    assert shorten("a  b\nc") == "a b c"
    assert shorten("word " * 50, limit=22) == "word word word word …"
