"""`rightsledger estimate table`: real tables in, estimate and plain words out; every
bad input one clear message and exit 1, never a traceback."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rightsledger.cli import cli
from rightsledger.cli._estimate_output import fit_json
from rightsledger.estimate import CaptureTable, fit_method

DATA = Path(__file__).parents[1] / "estimate" / "data"
SPINA = DATA / "ny_spina_bifida_madigan_york.csv"
STRATA = DATA / "methods" / "ny_spina_bifida_by_ethnicity.csv"
KEYS = {
    "method",
    "estimate",
    "lower",
    "upper",
    "confidence",
    "model",
    "n_observed",
    "lists",
    "diagnostics",
    "summary",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner, *args):
    return runner.invoke(cli, ["estimate", *map(str, args)])


def test_table_prints_estimate_model_and_plain_summary(runner):
    result = run(runner, "table", SPINA, "--method", "chapman")
    assert result.exit_code == 0, result.output
    assert "Estimate: 731" in result.output
    assert "Model: two lists" in result.output
    assert "Seen: 626 on 3 lists (S1, S2, S3)" in result.output
    assert "confidence interval" in result.output
    assert "This rests on these assumptions" in result.output


def test_table_json_has_the_documented_keys(runner):
    result = run(runner, "table", SPINA, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= KEYS
    assert out["method"] == "loglinear" and out["n_observed"] == 626
    assert out["lower"] <= out["estimate"] <= out["upper"]


def test_json_drops_big_arrays_unless_full():
    table = CaptureTable.from_csv_text(SPINA.read_text())
    fit = fit_method("chapman", table)
    sample = np.arange(500.0, 1500.0)
    big = replace(
        fit,
        diagnostics={
            **fit.diagnostics,
            "posterior_sample": sample,
            "upper_inf": float("inf"),
        },
    )
    slim = fit_json(big)
    assert "posterior_sample" not in slim["diagnostics"]
    assert slim["diagnostics"]["upper_inf"] == "inf"
    assert len(fit_json(big, full=True)["diagnostics"]["posterior_sample"]) == 1000
    json.dumps(slim)


def test_plot_and_compare(runner, tmp_path):
    png = tmp_path / "fit.png"
    result = run(runner, "table", SPINA, "--method", "chapman", "--plot", png)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    forest = tmp_path / "forest.png"
    result = run(
        runner, "table", SPINA, "--compare", "chapman,loglinear,dga", "--plot", forest
    )
    assert result.exit_code == 0, result.output
    assert "range from" in result.output and forest.exists()
    out = json.loads(
        run(runner, "table", SPINA, "--compare", "chapman,loglinear", "--json").output
    )
    assert [r["method"] for r in out["results"]] == ["chapman", "loglinear"]


def test_strata_are_fitted_separately_and_added(runner, tmp_path):
    rows = STRATA.read_text().splitlines()
    two = tmp_path / "two.csv"
    two.write_text("\n".join(r for r in rows if not r.startswith("other")) + "\n")
    result = run(runner, "table", two, "--method", "chapman", "--strata", "eth")
    assert result.exit_code == 0, result.output
    assert "Method: stratified chapman" in result.output
    assert "2 strata fitted separately" in result.output
    assert "Each stratum was estimated on its own" in result.output


def test_a_stratum_that_cannot_be_fitted_is_named(runner):
    result = run(runner, "table", STRATA, "--method", "chapman", "--strata", "eth")
    assert result.exit_code == 1
    assert "stratum 'eth=other'" in result.output
    assert "list 'S2' has nobody on it" in result.output
    missing = run(runner, "table", STRATA, "--strata", "region")
    assert missing.exit_code == 1 and "no column 'region'" in missing.output


def test_compare_with_strata_fits_every_method_per_stratum(runner, tmp_path):
    rows = STRATA.read_text().splitlines()
    two = tmp_path / "two.csv"
    two.write_text("\n".join(r for r in rows if not r.startswith("other")) + "\n")
    args = ("table", two, "--strata", "eth", "--compare", "chapman,loglinear")
    out = json.loads(run(runner, *args, "--json").output)
    got = {r["method"]: r for r in out["results"]}
    assert set(got) == {"stratified chapman", "stratified loglinear"}
    # the stratified total is the sum of the per-stratum fits, method by method
    for name in ("chapman", "loglinear"):
        parts = []
        for eth in ("caucasian", "afro-american"):
            one = tmp_path / f"{eth}.csv"
            one.write_text(
                "\n".join(r for r in rows if r.startswith(("eth", eth))) + "\n"
            )
            alone = run(
                runner, "table", one, "--strata", "eth", "--method", name, "--json"
            )
            assert alone.exit_code == 0, alone.output
            parts.append(json.loads(alone.output))
        total = sum(p["estimate"] for p in parts)
        assert got[f"stratified {name}"]["estimate"] == pytest.approx(total)
    text = run(runner, *args)
    assert text.exit_code == 0 and "range from" in text.output


def test_a_method_that_fails_on_a_stratum_is_reported_in_its_row(runner):
    args = ("table", STRATA, "--strata", "eth", "--compare", "chapman,loglinear")
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert result.output.count("stratum 'eth=other'") == 2


def test_settings_can_name_the_method_they_are_for(runner):
    args = ("table", SPINA, "--compare", "chapman,loglinear", "--json")
    scoped = run(runner, *args, "--set", "loglinear.criterion=aic")
    assert scoped.exit_code == 0, scoped.output
    fits = json.loads(scoped.output)["results"]
    assert "error" not in fits[0] and "error" not in fits[1]
    assert fits[1]["settings"]["criterion"] == "aic"
    # unscoped, the same setting goes to chapman too, which refuses it by name
    loose = json.loads(run(runner, *args, "--set", "criterion=aic").output)
    assert "chapman does not take the setting criterion" in loose["results"][0]["error"]
    other = run(runner, *args, "--set", "lcmcr.K=3")
    assert other.exit_code == 2
    assert "is for method 'lcmcr', which is not being fitted" in other.output
    single = run(
        runner,
        "table",
        SPINA,
        "--method",
        "loglinear",
        "--json",
        "--set",
        "loglinear.criterion=aic",
    )
    assert json.loads(single.output)["settings"]["criterion"] == "aic"


def test_a_stratum_column_not_named_gets_one_line_that_says_so(runner, tmp_path):
    result = run(runner, "table", STRATA)
    assert result.exit_code == 1
    assert "eth: no row holds a 0/1 flag here ('caucasian' in the first row)" in (
        result.output
    )
    assert "name it with --strata eth" in result.output
    assert "row 2" not in result.output  # not one line per row
    # a column that is a list with a few bad cells keeps its row-by-row errors
    rows = SPINA.read_text().splitlines()
    rows[2] = rows[2].replace("1", "x", 1)
    path = tmp_path / "one_bad.csv"
    path.write_text("\n".join(rows) + "\n")
    bad = run(runner, "table", path)
    assert bad.exit_code == 1 and "row 3" in bad.output and "--strata" not in bad.output


def _bad(runner, tmp_path, text, *extra):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = run(runner, "table", path, *extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,B,count\n1,1,5\n1,0,-2\n0,1,4\n", "bad.csv: row 3: count: negative"),
        ("A,B,count\n1,1,5\n1,0,2.5\n0,1,4\n", "row 3: count: non-integer"),
        ("A,B,count\n1,1,5\n1,0,2\n0,1,4\n0,0,9\n", "unobservable"),
        ("A,B,count\n1,1,5\n1,3,2\n0,1,4\n", "row 3: B: expected 0 or 1"),
        ("A,count\n1,5\n", "at least two list columns"),
        ("A,B,C,count\n1,1,0,5\n1,0,0,2\n0,1,0,4\n", "list 'C' has nobody on it"),
        ("A,B,count\n1,0,5\n0,1,4\n", "no overlap"),
        ("A,B,count\n", "no rows"),
    ],
)
def test_bad_tables_give_one_clear_message(runner, tmp_path, text, expected):
    assert expected in _bad(runner, tmp_path, text, "--method", "chapman")


def test_table_warnings_are_shown_once_as_cautions(runner):
    # SparseMSE's Artificial_3: list C shares nobody with A or B
    result = run(runner, "table", DATA / "artificial_3_nonoverlap.csv")
    assert result.exit_code == 0, result.output
    assert "Caution: list 'C' shares nobody" in result.output
    assert "EstimationWarning" not in result.output


def test_bad_options_are_usage_errors(runner, tmp_path):
    assert run(runner, "table", tmp_path / "none.csv").exit_code == 2
    assert run(runner, "table", SPINA, "--method", "magic").exit_code == 2
    assert run(runner, "table", SPINA, "--compare", "chapman,magic").exit_code == 2
    assert run(runner, "table", SPINA, "--set", "K").exit_code == 2
    out = run(runner, "table", SPINA, "--method", "chapman", "--set", "K=5")
    assert out.exit_code == 1 and "does not take the setting K=5" in out.output


def test_ledger_estimate_needs_the_period(runner, tmp_path):
    result = run(runner)
    assert result.exit_code == 2 and "--from and --to are required" in result.output
    db = tmp_path / "none.sqlite"
    result = runner.invoke(
        cli,
        [
            "-d",
            str(db),
            "estimate",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--method",
            "chapman",
        ],
    )
    assert result.exit_code == 1 and f"no ledger at {db}" in result.output
