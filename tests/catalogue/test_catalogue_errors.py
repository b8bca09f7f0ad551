"""Every kind of bad catalogue is refused with a message naming file and key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from rightsledger.catalogue import (
    default_catalogue_path,
    load_catalogue,
    parse_catalogue,
)
from rightsledger.catalogue._yaml import parse_yaml
from rightsledger.errors import CatalogueError

Data = Any


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "nk"
    shutil.copytree(default_catalogue_path(), target)
    return target


def edit(
    folder: Path, fname: str, change: Callable[[Data], object], *, replace: bool = False
) -> None:
    """Load one file, let ``change`` mutate it (or replace it), write it back."""
    path = folder / fname
    data, problem = parse_yaml(path.read_text(encoding="utf-8"), file=fname)
    assert problem is None  # the loader's reading keeps `on:` a text key
    result = change(data)
    new = result if replace else data
    path.write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")


def failure(folder: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(folder)
    return info.value


def bench(data: Data, ident: str) -> dict[str, Any]:
    return next(b for b in data if b["id"] == ident)


def indicator(data: Data, b_id: str, i_id: str) -> dict[str, Any]:
    return next(i for i in bench(data, b_id)["indicators"] if i["id"] == i_id)


def test_good_copy_loads(folder):
    assert len(load_catalogue(folder).benchmarks) == 17


def test_missing_folder(tmp_path):
    err = failure(tmp_path / "nowhere")
    assert "nowhere" in str(err)
    assert "catalogue folder not found" in str(err)


def test_missing_required_file(folder):
    (folder / "conditions.yaml").unlink()
    err = failure(folder)
    assert "conditions.yaml: required file is missing" in str(err)


def test_unknown_file_is_a_typo(folder):
    (folder / "benchmark.yaml").write_text("[]", encoding="utf-8")
    assert "benchmark.yaml: unknown catalogue file" in str(failure(folder))


def test_unreadable_file(folder):
    (folder / "sources.yaml").write_bytes(b"- key: \xff\xfe\n")
    message = str(failure(folder))
    assert "sources.yaml: cannot read the file" in message
    assert "required file is missing" not in message


def test_invalid_yaml_names_the_line(folder):
    (folder / "agreements.yaml").write_text(
        "- id: x\n  title: ok\n  parties: [US, DPRK\n  signed_on: 2018-06-12\n",
        encoding="utf-8",
    )
    message = str(failure(folder))
    assert "agreements.yaml: invalid YAML at line 4" in message


def test_duplicate_key_in_a_mapping(folder):
    path = folder / "catalogue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "name: again\n", encoding="utf-8"
    )
    assert "found duplicate key 'name'" in str(failure(folder))


def test_wrong_top_level_type(folder):
    edit(folder, "benchmarks.yaml", lambda data: {"benchmarks": data}, replace=True)
    edit(folder, "catalogue.yaml", lambda data: [data], replace=True)
    message = str(failure(folder))
    assert "benchmarks.yaml: expected a list at the top, got a mapping" in message
    assert "catalogue.yaml: expected a mapping (key: value) at the top" in message


def test_empty_file(folder):
    (folder / "facilities.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert "facilities.yaml: expected a list at the top" in str(failure(folder))


def test_missing_required_key(folder):
    edit(
        folder, "benchmarks.yaml", lambda d: bench(d, "end-censorship").pop("baseline")
    )
    message = str(failure(folder))
    assert (
        "benchmarks.yaml: end-censorship.baseline: required key is missing" in message
    )


def test_unknown_key_suggests_the_right_one(folder):
    def change(data: Data) -> None:
        rule = indicator(data, "end-censorship", "independent-media")["rule"]
        rule["min_reliabilty"] = rule.pop("min_reliability")

    edit(folder, "benchmarks.yaml", change)
    message = str(failure(folder))
    key = "end-censorship.indicators.independent-media.rule"
    assert f"benchmarks.yaml: {key}.min_reliabilty: unknown key" in message
    assert "did you mean 'min_reliability'?" in message
    assert f"{key}.min_reliability: required key is missing" in message


def test_bad_enum_value(folder):
    def change(data: Data) -> None:
        indicator(data, "release-political-prisoners", "amnesty-law")["rule"][
            "min_reliability"
        ] = "G"

    edit(folder, "benchmarks.yaml", change)
    message = str(failure(folder))
    assert (
        "benchmarks.yaml: release-political-prisoners.indicators.amnesty-law.rule"
        ".min_reliability: 'G' is not one of A, B, C, D, E, F"
    ) in message


@pytest.mark.parametrize("value", ["2025-13-45", "17 Oct 2025", 20251017])
def test_bad_date(folder, value):
    edit(
        folder,
        "benchmarks.yaml",
        lambda d: bench(d, "end-censorship")["baseline"].update(as_of=value),
    )
    message = str(failure(folder))
    assert "end-censorship.baseline.as_of" in message
    assert "is not a date (write YYYY-MM-DD)" in message


def test_dates_may_be_yaml_dates_or_iso_strings(folder):
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")}
    assert "as_of: 2026-11-27" in texts["catalogue.yaml"]  # a YAML date
    assert "as_of: '2025-10-17'" in texts["benchmarks.yaml"]  # an ISO string
    cat = parse_catalogue(texts)
    assert cat.benchmarks[0].baseline.as_of == date(2025, 10, 17)
    assert cat.facilities[0].history[0].on == date(2016, 3, 30)


def test_yes_no_booleans_are_not_text(folder):
    def change(data: Data) -> None:
        bench(data, "end-censorship")["title"] = True  # what `title: yes` gives

    edit(folder, "benchmarks.yaml", change)
    message = str(failure(folder))
    assert "end-censorship.title: expected text, got the boolean true" in message
    assert "quote it" in message


def test_duplicate_ids(folder):
    edit(folder, "benchmarks.yaml", lambda d: d.append(dict(d[0])))
    edit(folder, "sources.yaml", lambda d: d.append(dict(d[0])))
    message = str(failure(folder))
    assert (
        "benchmarks.yaml: id: duplicate id 'dismantle-political-prison-camps'"
        in message
    )
    assert "sources.yaml: key: duplicate id 'COI-R'" in message


def test_unknown_source_key(folder):
    edit(
        folder,
        "benchmarks.yaml",
        lambda d: bench(d, "end-censorship")["baseline"]["sources"].append("NOPE-1"),
    )
    edit(
        folder,
        "facilities.yaml",
        lambda d: d[0]["history"][0]["sources"].append("NOPE-2"),
    )
    message = str(failure(folder))
    assert "end-censorship.baseline.sources: unknown source key 'NOPE-1'" in message
    assert "kwanliso-14.history[0].sources: unknown source key 'NOPE-2'" in message


def test_unknown_benchmark_in_condition_and_clause(folder):
    edit(folder, "conditions.yaml", lambda d: d[3]["benchmarks"].append("free-lunch"))
    edit(
        folder,
        "agreements.yaml",
        lambda d: d[0]["clauses"][0]["covers"].append("free-dinner"),
    )
    message = str(failure(folder))
    assert (
        "conditions.yaml: NKSPEA-401a4.benchmarks: unknown benchmark id 'free-lunch'"
        in message
    )
    assert (
        "agreements.yaml: agreed-framework-1994.clauses.af-1.covers: "
        "unknown benchmark id 'free-dinner'"
    ) in message


def test_estimate_indicator_needs_a_population(folder):
    edit(
        folder,
        "benchmarks.yaml",
        lambda d: indicator(d, "release-political-prisoners", "remaining-population")[
            "rule"
        ].pop("population"),
    )
    message = str(failure(folder))
    assert (
        "release-political-prisoners.indicators.remaining-population.rule.population: "
        "an estimate indicator needs a population id"
    ) in message


@pytest.mark.parametrize(
    ("fname", "change", "expected"),
    [
        (
            "benchmarks.yaml",
            lambda d: d[0]["indicators"][0]["rule"].update(min_independent=0),
            "acknowledge-camps.rule.min_independent: 0 is out of range",
        ),
        (
            "benchmarks.yaml",
            lambda d: d[0]["indicators"][0]["rule"].update(min_credibility=9),
            "acknowledge-camps.rule.min_credibility: 9 is not one of 1, 2, 3, 4, 5, 6",
        ),
        (
            "facilities.yaml",
            lambda d: d[0].update(latitude=123.0),
            "kwanliso-14.latitude: 123.0 is out of range",
        ),
        (
            "benchmarks.yaml",
            lambda d: d[1]["indicators"][2]["rule"].update(max_upper=-5.0),
            "remaining-population.rule.max_upper: -5.0 is out of range",
        ),
    ],
)
def test_numbers_out_of_range(folder, fname, change, expected):
    edit(folder, fname, change)
    assert expected in str(failure(folder))


def test_facility_history_out_of_order(folder):
    edit(folder, "facilities.yaml", lambda d: d[1]["history"].reverse())
    assert "kwanliso-15.history[3].on: 2014-11-08 is earlier" in str(failure(folder))


def test_item_without_id_is_named_by_position(folder):
    edit(folder, "agreements.yaml", lambda d: d[2].pop("id"))
    message = str(failure(folder))
    assert "agreements.yaml: agreements[2].id: required key is missing" in message


def test_all_problems_are_reported_at_once(folder):
    (folder / "conditions.yaml").unlink()
    edit(folder, "sources.yaml", lambda d: d[0].update(reliability="Z"))
    edit(folder, "facilities.yaml", lambda d: d[0].update(type="gulag"))
    edit(folder, "catalogue.yaml", lambda d: d.update(as_of="soon"))
    err = failure(folder)
    assert len(err.errors) == 4
    files = {e.location[0] for e in err.errors}
    assert files == {
        "conditions.yaml",
        "sources.yaml",
        "facilities.yaml",
        "catalogue.yaml",
    }
    message = str(err)
    assert message.startswith("4 problems in catalogue")
    assert "sources.yaml: COI-R.reliability: 'Z' is not one of A" in message
    assert (
        "facilities.yaml: kwanliso-14.type: 'gulag' is not one of kwanliso" in message
    )
    assert "catalogue.yaml: as_of: 'soon' is not a date" in message


def test_parse_catalogue_reports_missing_files_without_io():
    with pytest.raises(CatalogueError) as info:
        parse_catalogue({}, name="empty")
    assert str(info.value).startswith("6 problems in catalogue empty:")
