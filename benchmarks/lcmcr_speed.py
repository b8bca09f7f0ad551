"""Speed of the LCMCR Gibbs sampler beside R's LCMCR 0.4.14 on the same tables.

R's figures (``sec_per_1000_iter`` in ``shared/datasets/mse/reference/lcmcr.csv``)
were recorded on this machine kind with K = 10 and 3 chains of 110,000 sweeps;
they are a recorded reference, not re-measured here. We time one chain of the
same length per repeat and keep the fastest repeat (the machine is shared, so
the slower ones measure other people's load). The first call's JIT compile (or
cache load) is timed apart.

Run: ``.venv/bin/python benchmarks/lcmcr_speed.py [--repeats 3] [--K 10]``
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np

from rightsledger.estimate import _lcmcr_kernel as kernel
from rightsledger.estimate.histories import CaptureTable
from rightsledger.estimate.lcmcr import _initial_state

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mse"
DATASETS = [
    "ny_spina_bifida_madigan_york",
    "allegheny_lesbian",
    "rome_hiv",
    "us_western_site_trafficking",
    "uk_modern_slavery_2013",
    "netherlands_trafficking",
    "new_orleans_trafficking",
]
BURNIN, SAMPLES, THINNING = 10_000, 10_000, 10


def one_chain(table: CaptureTable, k: int, seed: int) -> float:
    """Seconds for one chain of BURNIN + SAMPLES * THINNING sweeps."""
    patterns = np.array(list(table.counts), dtype=np.uint8)
    counts = np.array(list(table.counts.values()), dtype=np.int64)
    rng = np.random.default_rng(seed)
    lam, pi, state = _initial_state(rng, patterns.shape[1], k, counts)
    start = time.perf_counter()
    kernel.run_chain(
        rng, patterns, counts, lam, pi, state, 0.25, 0.25, BURNIN, SAMPLES, THINNING
    )
    return time.perf_counter() - start


def compile_seconds() -> float:
    """Time of the first (compiling or cache-loading) call on a tiny table."""
    patterns = np.ones((1, 3), dtype=np.uint8)
    counts = np.ones(1, dtype=np.int64)
    rng = np.random.default_rng(0)
    lam, pi, state = _initial_state(rng, 3, 2, counts)
    start = time.perf_counter()
    kernel.run_chain(rng, patterns, counts, lam, pi, state, 1.0, 1.0, 0, 1, 1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--K", type=int, default=10)
    args = parser.parse_args()
    ref_text = (args.data / "reference" / "lcmcr.csv").read_text()
    reference = {r["dataset"]: r for r in csv.DictReader(ref_text.splitlines())}
    print(f"first call (JIT compile or cache load): {compile_seconds():.2f} s")
    sweeps = BURNIN + SAMPLES * THINNING
    print(f"\none chain = {sweeps:,} sweeps, K = {args.K}, best of {args.repeats}\n")
    head = ("dataset", "lists", "cells", "it/s", "s/1000 it", "R s/1000 it", "R/ours")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name in DATASETS:
        text = (args.data / f"{name}.csv").read_text()
        table = CaptureTable.from_csv_text(text, source=name)
        best = min(one_chain(table, args.K, seed) for seed in range(args.repeats))
        ours = 1000 * best / sweeps
        r_ref = float(reference[name]["sec_per_1000_iter"])
        row = (
            name,
            str(len(table.lists)),
            str(len(table.counts)),
            f"{sweeps / best:,.0f}",
            f"{ours:.4f}",
            f"{r_ref:.4f}" if args.K == 10 else "-",
            f"{r_ref / ours:.2f}" if args.K == 10 else "-",
        )
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
