"""The optional matching.yaml of a catalogue: accepted, validated, reported."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsledger.catalogue import (
    default_catalogue_path,
    load_catalogue,
    load_matching,
    parse_matching,
)
from rightsledger.errors import CatalogueError
from rightsledger.texts import Lexicon

PACKAGED = default_catalogue_path() / "matching.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "nk"
    shutil.copytree(default_catalogue_path(), target)
    return target


@pytest.fixture
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))
    return loaded


def problems(data: dict[str, Any], ids=None) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_matching(yaml.safe_dump(data), benchmark_ids=ids)
    return [e.describe() for e in info.value.errors]


def test_packaged_lexicon_covers_every_benchmark():
    lexicon = load_matching()
    assert isinstance(lexicon, Lexicon)
    ids = {b.id for b in load_catalogue().benchmarks}
    assert {t.benchmark_id for t in lexicon.benchmarks} == ids
    assert all(t.binds for t in lexicon.benchmarks)
    assert "shall" in lexicon.cues.commitment
    assert {t.id for t in lexicon.humanitarian} >= {"war-remains", "aid"}


def test_catalogue_loader_accepts_the_file(folder):
    assert (folder / "matching.yaml").exists()
    assert len(load_catalogue(folder).benchmarks) == 17


def test_catalogue_without_the_file_still_loads(folder):
    (folder / "matching.yaml").unlink()
    assert len(load_catalogue(folder).benchmarks) == 17
    with pytest.raises(CatalogueError, match="cannot read the lexicon"):
        load_matching(folder)


def test_catalogue_validation_reports_lexicon_problems(folder, data):
    data["benchmarks"]["no-such-benchmark"] = {"binds": ["x"]}
    (folder / "matching.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(folder)
    assert any(
        e.location == ("matching.yaml", None, "benchmarks.no-such-benchmark")
        for e in info.value.errors
    )


def test_a_misspelt_optional_file_is_still_unknown(folder):
    shutil.move(folder / "matching.yaml", folder / "matchings.yaml")
    with pytest.raises(CatalogueError, match="matchings.yaml: unknown catalogue file"):
        load_catalogue(folder)


def test_unknown_key(data):
    data["cues"]["comitment"] = ["shall"]
    assert any("cues.comitment: unknown key" in p for p in problems(data))


def test_bad_term(data):
    data["benchmarks"]["end-censorship"]["binds"].append("camp(s)")
    found = problems(data)
    assert any("benchmarks.end-censorship.binds" in p and "camp(s)" in p for p in found)


def test_missing_and_unknown_benchmarks(data):
    del data["benchmarks"]["end-censorship"]
    ids = [*data["benchmarks"], "end-censorship"]
    data["benchmarks"]["made-up"] = {"binds": ["x"]}
    found = problems(data, ids)
    assert any("'end-censorship' has no entry" in p for p in found)
    assert any("unknown benchmark id 'made-up'" in p for p in found)


def test_pitfall_topic_and_cue_groups(data):
    data["pitfalls"][0]["topic"] = "nowhere"
    data["cues"]["vague"].append("note & discuss")
    found = problems(data)
    assert any("unknown humanitarian topic 'nowhere'" in p for p in found)
    assert any("cues.vague" in p and "no '&'" in p for p in found)


def test_required_keys_and_top_level_type(data):
    del data["cues"]
    assert any("cues: required key is missing" in p for p in problems(data))
    with pytest.raises(CatalogueError, match="expected a mapping"):
        parse_matching("- a list\n")
    with pytest.raises(CatalogueError, match="line"):
        parse_matching("cues: [\n")
