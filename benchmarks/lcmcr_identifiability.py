"""Why LCMCR under-covers when a large group mostly escapes the lists.

(1) Coverage of LCMCR's 95% intervals when the data come from the model itself.
    Three designs, 4 lists, N uniform in 500-5,000, seeds 1000 + i:
    ``one``: a single group (homogeneous capture, independent lists);
    ``two``: the 'moderate' study design's groups (60% at 0.30-0.40, 40% at
    0.10-0.20) with independent lists within a group, so the latent-class model
    is correctly specified; ``two-dep``: the 'moderate' design itself (list 1
    doubles the odds of list 2).
(2) Does the shortfall fade with more data? The ``two`` design at N = 3,000 and
    N = 50,000: median signed error of the maximum-likelihood N of a 2-class
    model (no priors; benchmarks/_latent_class_mle.py) beside LCMCR with K = 2
    and K = 10. Where LCMCR sits below the likelihood's own answer at small N and
    joins it at large N, the priors are deciding where the data are thin.

Usage: .venv/bin/python benchmarks/lcmcr_identifiability.py [--populations 100]
           [--large 6]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from _latent_class_mle import latent_class_mle  # benchmarks/ is on sys.path
from _mse_designs import DESIGNS, Design, simulate_table

from rightsledger.estimate import fit_method

TWO = DESIGNS["moderate"].groups
STUDY = {
    "one": Design((((1.0, (0.30, 0.25, 0.20, 0.30))),), (), "one group"),
    "two": Design(TWO, (), "the moderate design's groups, independent lists"),
    "two-dep": DESIGNS["moderate"],
}
CHAINS = {"burnin": 2_000, "samples": 1_000, "thinning": 5, "chains": 2}
LONG = {"burnin": 5_000, "samples": 2_000, "thinning": 5, "chains": 2}


def _coverage_one(job: tuple[str, int]) -> tuple[bool, float]:
    design, i = job
    warnings.simplefilter("ignore")  # chain warnings are expected on short chains
    rng = np.random.default_rng(1000 + i)
    n = int(rng.integers(500, 5001))
    fit = fit_method("lcmcr", simulate_table(rng, n, STUDY[design]), seed=i, **CHAINS)
    return fit.lower <= n <= fit.upper, (fit.estimate - n) / n


def _large_one(job: tuple[int, int]) -> dict[str, float]:
    n, i = job
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(5000 + i)
    table = simulate_table(rng, n, STUDY["two"])
    row = {"mle": latent_class_mle(table, classes=2) / n - 1}
    for k in (2, 10):
        fit = fit_method("lcmcr", table, seed=i, K=k, **LONG)
        row[f"K{k}"] = fit.estimate / n - 1
        row[f"K{k}_covered"] = float(fit.lower <= n <= fit.upper)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--populations", type=int, default=100)
    ap.add_argument("--large", type=int, default=6, help="populations per N in (2)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    spawn = multiprocessing.get_context("spawn")  # numba's OpenMP forbids fork
    with ProcessPoolExecutor(args.workers, spawn) as pool:
        print(f"(1) LCMCR K=10, {CHAINS}, {args.populations} populations per design\n")
        print("| design | coverage of 95% interval | median signed relative error |")
        print("|---|---|---|")
        for design in STUDY:
            jobs = [(design, i) for i in range(args.populations)]
            rows = list(pool.map(_coverage_one, jobs))
            cover = sum(c for c, _ in rows) / len(rows)
            err = statistics.median(e for _, e in rows)
            print(f"| {design} | {cover:.2f} | {err:+.3f} |", flush=True)
        print(f"\n(2) design 'two', LCMCR {LONG}, {args.large} populations per N\n")
        print(
            "| N | 2-class MLE, median signed error | LCMCR K=2 | LCMCR K=10 "
            "| LCMCR K=10 covered |"
        )
        print("|---|---|---|---|---|")
        for n in (3_000, 50_000):
            rows = list(pool.map(_large_one, [(n, i) for i in range(args.large)]))
            med = {
                k: statistics.median(r[k] for r in rows) for k in ("mle", "K2", "K10")
            }
            covered = sum(r["K10_covered"] for r in rows)
            print(
                f"| {n:,} | {med['mle']:+.3f} | {med['K2']:+.3f} | {med['K10']:+.3f} "
                f"| {covered:.0f} of {len(rows)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
