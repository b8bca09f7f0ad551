"""Our LCMCR beside R's LCMCR 0.4.14 on every reference table.

R's figures are recorded in ``shared/datasets/mse/reference/lcmcr.csv`` (K = 10,
10,000 burn-in + 10,000 samples x thinning 10, 3 chains). We fit the same
settings with 3 chains and, to see how much of a difference is Monte-Carlo noise
in the tails, with ``--pooled`` chains pooled. R's own R-hat is printed: where its
chains disagreed (R-hat > 1.1), its figures are not a reference.

Run: .venv/bin/python benchmarks/lcmcr_reference.py [--pooled 30] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import warnings
from pathlib import Path

from rightsledger.estimate import CaptureTable, fit_method

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mse"
SETTINGS = {"burnin": 10_000, "samples": 10_000, "thinning": 10}


def _pct(ours: float, theirs: float) -> str:
    return f"{ours:,.0f} ({ours / theirs - 1:+.1%})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pooled", type=int, default=30, help="chains pooled, 2nd fit")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # chain warnings are part of the table
    print(
        "| table | lists | R R-hat | R median [95%] | ours, 3 chains: median | lower "
        f"| upper | R-hat | ours, {args.pooled} chains: median | lower | upper |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with (SHARED / "reference" / "lcmcr.csv").open() as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        name = r["dataset"]
        text = (SHARED / f"{name}.csv").read_text()
        table = CaptureTable.from_csv_text(text, source=name)
        med, lo, hi = float(r["median"]), float(r["lo95"]), float(r["hi95"])
        three = fit_method("lcmcr", table, seed=args.seed, chains=3, **SETTINGS)
        many = fit_method(
            "lcmcr", table, seed=args.seed, chains=args.pooled, **SETTINGS
        )
        print(
            f"| {name} | {len(table.lists)} | {float(r['rhat']):.3f} "
            f"| {med:,.0f} [{lo:,.0f}, {hi:,.0f}] "
            f"| {_pct(three.estimate, med)} | {_pct(three.lower, lo)} "
            f"| {_pct(three.upper, hi)} | {three.diagnostics['rhat']:.3f} "
            f"| {_pct(many.estimate, med)} | {_pct(many.lower, lo)} "
            f"| {_pct(many.upper, hi)} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
