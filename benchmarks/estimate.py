"""Estimators on synthetic populations of known size, and their speed.

(a) Simulation study: populations of known size N (uniform 500-5,000) under six
    designs (benchmarks/_mse_designs.py), from lists that reach every group
    well to a large group that almost no list reaches; each mixes unequally
    reachable groups (heterogeneous capture) with direct links between lists
    (dependent capture). Per method: coverage of the 95% interval, median
    relative and signed error, median relative interval width, failures and
    time per fit; and an overview of LCMCR's coverage against the 0.90 target.
(b) Speed: LCMCR sweeps per second (K = 10) through the public API on a 4-list
    and a 6-list table, with R's chain length, beside R's figure from
    reference/lcmcr.csv; the exhaustive log-linear search on a 6-list table
    beside Rcapture's closedpMS.t time.

Run:  .venv/bin/python benchmarks/estimate.py --out benchmarks/results/estimate.md
      .venv/bin/python benchmarks/estimate.py --quick   (20 populations, short chains)
      .venv/bin/python benchmarks/estimate.py --methods lcmcr --designs moderate \
          --burnin 10000 --samples 5000 --thinning 2 --chains 2 --no-speed
          (LCMCR alone, longer chains, one design; same populations and seeds)
"""

from __future__ import annotations

import argparse
import csv
import math
import multiprocessing
import statistics
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from _mse_designs import DESIGNS, simulate_table

from rightsledger.errors import EstimationError, EstimationWarning, InputError
from rightsledger.estimate import CaptureTable, available_methods, fit_method

SHARED = Path("/work/shared/datasets/mse")
METHODS = ["chapman", "loglinear", "stepwise", "lcmcr", "dga", "chao"]
LCMCR_SHORT = {"burnin": 2_000, "samples": 1_000, "thinning": 5, "chains": 2}
LCMCR_QUICK = {"burnin": 1_000, "samples": 500, "thinning": 2, "chains": 2}
#: R's timing runs: 10,000 burn-in + 10,000 samples x thinning 10 per chain.
R_CHAIN = {"burnin": 10_000, "samples": 10_000, "thinning": 10, "chains": 1}
TARGET = 0.90


Job = tuple[int, int, str, tuple[str, ...], dict[str, int]]


def _one_population(job: Job) -> list[dict[str, Any]]:
    index, seed, design, methods, chains = job
    rng = np.random.default_rng(seed)
    n = int(rng.integers(500, 5001))
    table = simulate_table(rng, n, DESIGNS[design])
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
                "signed_error": (fit.estimate - n) / n,
                "seen": table.n_observed / n,
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
        "| median signed error | median relative width | median s per fit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in methods:
        mine = [r for r in rows if r["method"] == name]
        ok = [r for r in mine if "error" in r and "not available" in r["error"]]
        if not available.get(name) or len(ok) == len(mine):
            out.append(f"| {name} | - | - | not available | - | - | - | - |")
            continue
        fits = [r for r in mine if "error" not in r]
        failed = len(mine) - len(fits)
        if not fits:
            out.append(f"| {name} | 0 | {failed} | - | - | - | - | - |")
            continue
        cover = sum(r["covered"] for r in fits) / len(fits)
        err = statistics.median(r["rel_error"] for r in fits)
        signed = statistics.median(r["signed_error"] for r in fits)
        width = statistics.median(r["rel_width"] for r in fits)
        secs = statistics.median(r["seconds"] for r in fits)
        out.append(
            f"| {name} | {len(fits)} | {failed} | {cover:.3f} | {err:.3f} "
            f"| {signed:+.3f} | {width:.2f} | {secs:.3f} |"
        )
    out.append("")
    out.append(f"{populations} populations.")
    out += _lcmcr_convergence(rows)
    return out


def lcmcr_overview(by_design: dict[str, list[dict[str, Any]]]) -> list[str]:
    """One row per design: how reachable its hardest group is, and LCMCR's coverage."""
    out = [
        "| design | lists | hardest group on any list | share of N seen (median) "
        f"| LCMCR coverage | LCMCR median signed error | target {TARGET:.2f} |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in by_design.items():
        fits = [r for r in rows if r["method"] == "lcmcr" and "error" not in r]
        if not fits:
            continue
        design = DESIGNS[name]
        cover = sum(r["covered"] for r in fits) / len(fits)
        seen = statistics.median(r["seen"] for r in fits)
        signed = statistics.median(r["signed_error"] for r in fits)
        out.append(
            f"| {name} | {design.lists} | {design.hardest_reach():.2f} | {seen:.2f} "
            f"| {cover:.3f} | {signed:+.3f} "
            f"| {'met' if cover >= TARGET else 'missed'} |"
        )
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
    """LCMCR through the public API with R's chain length, beside R's figure.

    R's seconds per 1,000 iterations come from chains of 110,000 sweeps, its own
    set-up included; we time one chain of the same length through ``fit_method``
    (validation, summary and diagnostics included), best of two.
    """
    out = [
        "| measurement | table | ours | R reference | ratio |",
        "|---|---|---|---|---|",
    ]
    r_speed = _r_lcmcr()
    sweeps = dict(R_CHAIN)
    if quick:
        sweeps = {"burnin": 1_000, "samples": 1_000, "thinning": 2, "chains": 1}
    total = sweeps["burnin"] + sweeps["samples"] * sweeps["thinning"]
    for name in ("allegheny_lesbian", "uk_modern_slavery_2013"):
        table = _load(name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", EstimationWarning)
                fit_method(
                    "lcmcr", table, seed=1, burnin=10, samples=10, thinning=1, chains=1
                )  # compile, or load the compiled kernel
                best = math.inf
                for repeat in range(2):
                    start = time.perf_counter()
                    fit_method("lcmcr", table, seed=1 + repeat, **sweeps)
                    best = min(best, time.perf_counter() - start)
            rate = total / best
            ours = f"{rate:,.0f} sweeps/s"
            ratio = f"{rate / r_speed[name]:.2f}x R"
        except EstimationError as e:
            ours, ratio = f"not available ({e})", "-"
        out.append(
            f"| LCMCR K=10, one chain of {total:,} sweeps, whole fit | {name} "
            f"({len(table.lists)} lists) | {ours} | {r_speed[name]:,.0f} sweeps/s "
            f"| {ratio} |"
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
    study, by_design = [], {}
    for design in args.designs:
        rows = simulation(populations, args.workers, design, args.methods, chains)
        by_design[design] = rows
        study += [
            f"### Design {design!r}: {DESIGNS[design].describe()}",
            "",
            DESIGNS[design].about + ".",
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
        f"{populations} populations per design, N uniform in 500-5,000, the same "
        "seeds in every design. Each design mixes groups that the lists reach "
        "unequally (heterogeneous capture) and links lists directly (dependent "
        "capture); see benchmarks/_mse_designs.py. "
        f"LCMCR with {'longer' if long_chains else 'short'} chains: "
        f"burnin {chains['burnin']:,}, {chains['samples']:,} samples x thinning "
        f"{chains['thinning']}, {chains['chains']} chains, K = 10.",
        "",
        *lcmcr_overview(by_design),
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
