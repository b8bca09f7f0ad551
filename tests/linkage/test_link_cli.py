"""`rightsledger link file` driven through click's CliRunner."""

from __future__ import annotations

import csv
import json

import click
import pytest
from click.testing import CliRunner

from rightsledger.cli.link_cmds import link
from rightsledger.config import Settings
from rightsledger.errors import NotFound
from rightsledger.simulate import ScenarioConfig, simulate

HEADER = ["record_id", "list", "full_name", "sex", "birth_year", "province",
          "facility", "year_arrested"]  # fmt: skip


@pytest.fixture(scope="module")
def records_csv(tmp_path_factory):
    scenario = simulate(ScenarioConfig(years=1, initial_population={}), seed=3)
    path = tmp_path_factory.mktemp("link") / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for r in scenario.records:
            w.writerow([r.record_id, r.source_id, r.full_name, r.sex or "",
                        r.birth_year or "", r.province or "", r.facility_id or "",
                        r.year_arrested or ""])  # fmt: skip
    return path, scenario


def invoke(*args):
    return CliRunner().invoke(link, list(args), catch_exceptions=False)


def test_link_file_writes_person_ids(records_csv, tmp_path):
    path, scenario = records_csv
    out = tmp_path / "persons.csv"
    result = invoke("file", str(path), "--out", str(out), "--json", "--seed", "2")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["records"] == len(scenario.records)
    assert 0 < summary["persons"] < summary["records"]
    assert summary["pairs_compared"] > 0 and summary["seconds"] > 0
    with out.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["record_id", "person_id"]
    assert [r[0] for r in rows[1:]] == [r.record_id for r in scenario.records]
    names = {r.full_name for r in scenario.records}
    assert not names & {cell for row in rows for cell in row}
    truth = scenario.truth.person_of
    pairs = {(a[0], b[0]) for a in rows[1:] for b in rows[1:] if a[1] == b[1] and a < b}
    wrong = [p for p in pairs if truth[p[0]] != truth[p[1]]]
    assert len(wrong) <= max(1, len(pairs) // 50)


def test_column_mapping(records_csv, tmp_path):
    path, scenario = records_csv
    renamed = tmp_path / "renamed.csv"
    text = path.read_text(encoding="utf-8").replace("full_name", "name", 1)
    renamed.write_text(text.replace("record_id", "id", 1), encoding="utf-8")
    out = tmp_path / "p.csv"
    result = invoke("file", str(renamed), "--out", str(out), "--columns",
                    "full_name=name,record_id=id", "--threshold", "0.95")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(scenario.records) + 1


def test_bad_input_names_each_row_and_field(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record_id,list,full_name,birth_year,year_arrested\n"
        "r1,A,Kim Chol-su,1960,2001\n"
        "r2,A,,1961,\n"
        "r1,B,Pak Yong-ho,nineteen,\n"
        "r4,B,Ri Sol-ju,1970,20x1\n",
        encoding="utf-8",
    )
    out = tmp_path / "persons.csv"
    result = CliRunner().invoke(link, ["file", str(bad), "--out", str(out)])
    assert result.exit_code != 0
    message = str(result.exception)
    for expected in (
        "row 3: full_name: empty name",
        "row 4: record_id: record id 'r1' repeats row 2",
        "row 4: birth_year: 'nineteen' is not a year",
        "row 5: year_arrested: '20x1' is not a year",
    ):
        assert expected in message
    assert not out.exists()


def test_missing_required_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,list,name\nr1,A,Kim\n", encoding="utf-8")
    out = tmp_path / "persons.csv"
    result = CliRunner().invoke(link, ["file", str(bad), "--out", str(out)])
    assert result.exit_code != 0
    assert "record_id: required column is missing" in str(result.exception)
    assert "full_name: required column is missing" in str(result.exception)
    assert not out.exists()


def test_bare_link_runs_the_ledger_linkage(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'l.sqlite'}", actor="t")
    from rightsledger.ledger import Ledger

    with Ledger.init(settings):
        pass
    runner = CliRunner()
    result = runner.invoke(link, [], obj=settings)
    assert isinstance(result.exception, NotFound)  # chain.run_link: no records yet
    assert isinstance(link, click.Group) and "file" in link.commands
