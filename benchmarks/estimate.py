"""Estimators on synthetic populations of known size, and their speed.

(a) Simulation study: populations of known size N (uniform 500-5,000) seen by 4
    lists, with heterogeneous capture (two latent classes: 30% hard to reach)
    and one dependent pair (being on list 1 doubles the odds of list 2). Per
    method: coverage of the 95% interval, median relative error, median relative
    interval width, failures and time per fit.
(b) Speed: LCMCR sweeps per second (K = 10) on a 4-list and a 6-list table beside
    R's figure from reference/lcmcr.csv, and the exhaustive log-linear search on a
    6-list table beside Rcapture's closedpMS.t time.

Run:  .venv/bin/python benchmarks/estimate.py --out benchmarks/results/estimate.md
      .venv/bin/python benchmarks/estimate.py --quick   (20 populations, short chains)
      .venv/bin/python benchmarks/estimate.py --methods lcmcr --designs moderate \
          --burnin 10000 --samples 5000 --thinning 2 --chains 2 --no-speed
          (LCMCR alone, longer chains, one design; same populations and seeds)
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import statistics
import time
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from rightsledger.errors import EstimationError, EstimationWarning, InputError
from rightsledger.estimate import CaptureTable, available_methods, fit_method

SHARED = Path("/work/shared/datasets/mse")
METHODS = ["chapman", "loglinear", "stepwise", "lcmcr", "dga", "chao"]
LCMCR_SHORT = {"burnin": 2_000, "samples": 1_000, "thinning": 5, "chains": 2}
LCMCR_QUICK = {"burnin": 1_000, "samples": 500, "thinning": 2, "chains": 2}
# two latent classes per design: share, and capture probabilities on the 4 lists.
# "moderate" is the main study; "extreme" (a 30% class that 4 lists almost never
# record) shows where every method fails.
DESIGNS = {
    "moderate": [(0.6, [0.40, 0.35, 0.30, 0.40]), (0.4, [0.15, 0.10, 0.20, 0.12])],
    "extreme": [(0.7, [0.30, 0.25, 0.20, 0.30]), (0.3, [0.06, 0.04, 0.08, 0.05])],
}


def simulate_table(rng: np.random.Generator, n: int, design: str) -> CaptureTable:
    """One population of ``n`` people seen by 4 heterogeneous, dependent lists."""
    classes = DESIGNS[design]
    cls = rng.choice(len(classes), size=n, p=[c[0] for c in classes])
    probs = np.array([classes[c][1] for c in cls])
    seen = rng.random((n, 4)) < probs
    # dependence: on list 1 -> odds of list 2 doubled (drawn again for them)
    p2 = probs[:, 1]
    boosted = 2 * p2 / (1 + p2)
    seen[:, 1] = np.where(seen[:, 0], rng.random(n) < boosted, seen[:, 1])
    patterns = Counter(tuple(int(x) for x in row) for row in seen if row.any())
    return CaptureTable(("L1", "L2", "L3", "L4"), dict(patterns))


Job = tuple[int, int, str, tuple[str, ...], dict[str, int]]


def _one_population(job: Job) -> list[dict[str, Any]]:
    index, seed, design, methods, chains = job
    rng = np.random.default_rng(seed)
    n = int(rng.integers(500, 5001))
    table = simulate_table(rng, n, design)
    rows = []
    for name in methods:
        opts = chains if name == "lcmcr" else {}
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", EstimationWarning)
                fit = fit_method(name, table, seed=seed, **opts)
        except (EstimationError, InputError) as e:
            rows.append({"method": name, "N": n, "error": str(e)})
            continue
        rows.append(
            {
                "method": name,
                "N": n,
                "index": index,
                "estimate": fit.estimate,
                "covered": fit.lower <= n <= fit.upper,
                "rel_error": abs(fit.estimate - n) / n,
                "rel_width": (fit.upper - fit.lower) / n,
                "seconds": time.perf_counter() - start,
                "rhat": fit.diagnostics.get("rhat"),
                "ess": fit.diagnostics.get("ess"),
                "warned": bool(fit.diagnostics.get("warnings")),
            }
        )
    return rows


def _warm_up() -> None:
    """Compile the numba kernels in each worker before anything is timed."""
    _one_population((0, 1, "moderate", tuple(METHODS), LCMCR_QUICK))


def simulation(
    populations: int,
    workers: int,
    design: str,
    methods: tuple[str, ...],
    chains: dict[str, int],
) -> list[dict[str, Any]]:
    seeds = np.random.SeedSequence(20261127).generate_state(populations)
    jobs = [(i, int(s), design, methods, chains) for i, s in enumerate(seeds)]
    spawn = multiprocessing.get_context("spawn")  # numba's OpenMP forbids fork
    with ProcessPoolExecutor(workers, spawn, initializer=_warm_up) as pool:
        return [row for rows in pool.map(_one_population, jobs) for row in rows]


def simulation_table(
    rows: list[dict[str, Any]], populations: int, methods: tuple[str, ...]
) -> list[str]:
    available = available_methods()
    out = [
        "| method | fits | failed | coverage of 95% interval | median relative error "
        "| median relative width | median s per fit |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in methods:
        mine = [r for r in rows if r["method"] == name]
        ok = [r for r in mine if "error" in r and "not available" in r["error"]]
        if not available.get(name) or len(ok) == len(mine):
            out.append(f"| {name} | - | - | not available | - | - | - |")
            continue
        fits = [r for r in mine if "error" not in r]
        failed = len(mine) - len(fits)
        if not fits:
            out.append(f"| {name} | 0 | {failed} | - | - | - | - |")
            continue
        cover = sum(r["covered"] for r in fits) / len(fits)
        err = statistics.median(r["rel_error"] for r in fits)
        width = statistics.median(r["rel_width"] for r in fits)
        secs = statistics.median(r["seconds"] for r in fits)
        out.append(
            f"| {name} | {len(fits)} | {failed} | {cover:.3f} | {err:.3f} "
            f"| {width:.2f} | {secs:.3f} |"
        )
    out.append("")
    out.append(f"{populations} populations.")
    out += _lcmcr_convergence(rows)
    return out


def _lcmcr_convergence(rows: list[dict[str, Any]]) -> list[str]:
    """How many LCMCR fits the sampler's own convergence check flagged."""
    fits = [r for r in rows if r["method"] == "lcmcr" and "error" not in r]
    if not fits:
        return []
    rhat = [r["rhat"] for r in fits]
    high = sum(not x <= 1.1 for x in rhat)  # counts nan/inf too
    low_ess = sum(r["ess"] < 400 for r in fits)
    warned = sum(r["warned"] for r in fits)
    return [
        "",
        f"LCMCR convergence: split R-hat of N > 1.1 in {high} of {len(fits)} fits "
        f"(median R-hat {statistics.median(rhat):.3f}, largest {max(rhat):.2f}); "
        f"effective sample size < 400 in {low_ess}; {warned} fits carried a "
        "warning (R-hat > 1.1, ESS < 400 or an unbounded unseen count).",
    ]


def _load(name: str) -> CaptureTable:
    text = (SHARED / f"{name}.csv").read_text()
    return CaptureTable.from_csv_text(text, source=name)


def _r_lcmcr() -> dict[str, float]:
    with (SHARED / "reference" / "lcmcr.csv").open() as f:
        return {
            r["dataset"]: 1000 / float(r["sec_per_1000_iter"])
            for r in csv.DictReader(f)
        }


def speed(quick: bool) -> list[str]:
    out = [
        "| measurement | table | ours | R reference | ratio |",
        "|---|---|---|---|---|",
    ]
    r_speed = _r_lcmcr()
    sweeps = {"burnin": 2_000, "samples": 2_000, "thinning": 4, "chains": 1}
    if quick:
        sweeps = {"burnin": 500, "samples": 500, "thinning": 2, "chains": 1}
    total = sweeps["burnin"] + sweeps["samples"] * sweeps["thinning"]
    for name in ("rome_hiv", "uk_modern_slavery_2013"):
        table = _load(name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", EstimationWarning)
                fit_method(
                    "lcmcr", table, seed=1, burnin=10, samples=10, thinning=1, chains=1
                )  # compile
                start = time.perf_counter()
                fit_method("lcmcr", table, seed=1, **sweeps)
            rate = total / (time.perf_counter() - start)
            ours = f"{rate:,.0f} sweeps/s"
            ratio = f"{rate / r_speed[name]:.2f}x R"
        except EstimationError as e:
            ours, ratio = f"not available ({e})", "-"
        out.append(
            f"| LCMCR K=10, {total:,} sweeps | {name} ({len(table.lists)} lists) | "
            f"{ours} | {r_speed[name]:,.0f} sweeps/s | {ratio} |"
        )
    out.append(_search_speed())
    return out


def _search_speed() -> str:
    table = _load("uk_modern_slavery_2013")
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EstimationWarning)
            fit = fit_method("loglinear", table)
        secs = time.perf_counter() - start
        ours = f"{secs:.1f} s (estimate {fit.estimate:,.0f}; model {fit.model})"
        ratio = f"{180.35 / secs:.0f}x faster"
    except EstimationError as e:
        ours, ratio = f"not available ({e})", "-"
    return (
        "| exhaustive log-linear search, BIC, pairwise (first call, incl. compile) "
        f"| uk_modern_slavery_2013 (6 lists) | {ours} | 180.35 s, 12,350 "
        f"(Rcapture closedpMS.t) | {ratio} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--populations", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20 populations")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--methods",
        type=_choices(METHODS),
        default=tuple(METHODS),
        help=f"comma-separated subset of {','.join(METHODS)} (default: all)",
    )
    parser.add_argument(
        "--designs",
        type=_choices(list(DESIGNS)),
        default=tuple(DESIGNS),
        help=f"comma-separated subset of {','.join(DESIGNS)} (default: all)",
    )
    lcmcr = parser.add_argument_group(
        "LCMCR chains", "default: the short chains (the --quick ones with --quick)"
    )
    for key in LCMCR_SHORT:
        lcmcr.add_argument(f"--{key}", type=int, help=f"LCMCR {key}")
    parser.add_argument(
        "--no-speed", action="store_true", help="skip part (b), the speed table"
    )
    args = parser.parse_args()
    populations = 20 if args.quick else args.populations
    chains = dict(LCMCR_QUICK if args.quick else LCMCR_SHORT)
    chains.update({k: getattr(args, k) for k in chains if getattr(args, k) is not None})
    start = time.perf_counter()
    study = []
    for design in args.designs:
        classes = DESIGNS[design]
        rows = simulation(populations, args.workers, design, args.methods, chains)
        study += [
            f"### Design {design!r}: class shares and capture probabilities {classes}",
            "",
            *simulation_table(rows, populations, args.methods),
            "",
        ]
    flags = "--quick" if args.quick else f"--populations {populations}"
    if args.methods != tuple(METHODS):
        flags += f" --methods {','.join(args.methods)}"
    if args.designs != tuple(DESIGNS):
        flags += f" --designs {','.join(args.designs)}"
    flags += "".join(f" --{k} {getattr(args, k)}" for k in chains if getattr(args, k))
    if args.no_speed:
        flags += " --no-speed"
    long_chains = chains not in (LCMCR_SHORT, LCMCR_QUICK)
    lines = [
        "# Estimators on synthetic populations, and speed",
        "",
        f"Command: `.venv/bin/python benchmarks/estimate.py {flags}` "
        f"({time.perf_counter() - start:.0f} s for the study, {args.workers} "
        "worker processes).",
        "",
        "## (a) Simulation study",
        "",
        "N uniform in 500-5,000; 4 lists; two latent classes (below); being on "
        "L1 doubles the odds of being on L2. Same seeds in both designs. "
        f"LCMCR with {'longer' if long_chains else 'short'} chains: "
        f"burnin {chains['burnin']:,}, {chains['samples']:,} samples x thinning "
        f"{chains['thinning']}, {chains['chains']} chains, K = 10.",
        "",
        *study,
    ]
    if not args.no_speed:
        lines += ["## (b) Speed", "", *speed(args.quick), ""]

    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text)


def _choices(allowed: list[str]) -> Any:
    """An argparse type: a comma-separated subset of ``allowed``, in given order."""

    def parse(text: str) -> tuple[str, ...]:
        picked = tuple(x.strip() for x in text.split(",") if x.strip())
        unknown = [x for x in picked if x not in allowed]
        if unknown or not picked:
            raise argparse.ArgumentTypeError(
                f"unknown {unknown}; choose from {','.join(allowed)}"
            )
        return picked

    return parse


if __name__ == "__main__":
    main()
