import csv
import json

from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.simulate.writer import write_scenario


def _read_all(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_written_files_are_byte_identical(scenario, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_scenario(scenario, a)
    write_scenario(simulate(ScenarioConfig(), seed=7), b)
    assert _read_all(a) == _read_all(b)


def test_written_files(scenario, tmp_path):
    paths = write_scenario(scenario, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in paths.values()}
    assert {"sources.csv", "records.csv", "observations.csv", "deal.json",
            "truth/persons.csv", "truth/populations.csv", "truth/events.csv",
            "truth/README.txt"} <= names  # fmt: skip
    with (tmp_path / "records.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "record_id", "list", "full_name", "sex", "birth_year", "province",
        "facility", "year_arrested", "seen_from", "seen_to", "fate",
    ]  # fmt: skip
    assert len(rows) == len(scenario.records)
    assert rows[0]["list"] == scenario.records[0].source_id
    assert rows[0]["full_name"] == scenario.records[0].full_name
    with (tmp_path / "truth" / "persons.csv").open(encoding="utf-8", newline="") as f:
        truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(f)}
    assert truth == dict(scenario.truth.person_of)
    deal = json.loads((tmp_path / "deal.json").read_text(encoding="utf-8"))
    assert deal["title"] == scenario.deal.title
    readme = (tmp_path / "truth" / "README.txt").read_text(encoding="utf-8")
    assert "synthetic" in readme
