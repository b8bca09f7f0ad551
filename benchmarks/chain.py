"""Benchmark of the whole chain: time per step and accuracy against the truth.

Runs the synthetic scenario at several sizes through evidence -> link -> estimate ->
assess, on SQLite and (if it answers) PostgreSQL, and prints one table. References
measured in the same run:
- time: each PostgreSQL step against the same step on SQLite (ratio column);
- accuracy: the estimate from our linkage against the estimate from the true
  clustering (perfect linkage) and against the true number.

Usage:
    .venv/bin/python benchmarks/chain.py [--scales 1 4] [--seed 2027] [--no-postgres]
        [--out benchmarks/results/chain.md]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from _databases import (  # benchmarks/ is on sys.path when run as a script
    bench_settings,
)

from rightsledger.chain import (
    estimate_population,
    run_assess,
    run_estimate,
    run_link,
)
from rightsledger.demo import store_scenario, true_count, yearly_populations
from rightsledger.domain import Clustering
from rightsledger.ledger import Ledger
from rightsledger.linkage.evaluate import pairwise_scores
from rightsledger.simulate import Scenario, ScenarioConfig, simulate

BASE = {"kwanliso-14": 1200, "kwanliso-15": 300, "kwanliso-16": 900, "kwanliso-25": 500}


def run_chain(kind: str, scenario: Scenario, cfg: ScenarioConfig) -> dict[str, float]:
    times: dict[str, float] = {}
    with bench_settings(kind) as settings:
        t = time.perf_counter()
        with Ledger.init(settings) as led:
            led.load_catalogue()
            times["init+catalogue"] = time.perf_counter() - t
            steps = [
                ("evidence", lambda: store_scenario(led, scenario)),
                ("link", lambda: run_link(led)),
                ("estimate", lambda: run_estimate(led, yearly_populations(cfg))),
                (
                    "assess",
                    lambda: run_assess(
                        led,
                        [date(y, 12, 31) for y in range(2027, 2027 + cfg.years)],
                    ),
                ),
            ]
            for name, step in steps:
                t = time.perf_counter()
                step()
                times[name] = time.perf_counter() - t
    return times


def accuracy(scenario: Scenario, cfg: ScenarioConfig) -> list[str]:
    from rightsledger.linkage import ExactKeyLinker
    from rightsledger.names import name_key

    ours = ExactKeyLinker(name_key, birth_year_tolerance=1).link(scenario.records)
    truth = Clustering(dict(scenario.truth.person_of), "truth")
    p, r, f1 = pairwise_scores(ours, truth.assignment)
    rows = [f"linkage precision {p:.3f} recall {r:.3f} F1 {f1:.3f}"]
    by_id = {rec.record_id: rec for rec in scenario.records}
    for spec in yearly_populations(cfg):
        lists = {k: v.source_id for k, v in by_id.items() if spec.includes(v)}
        cells = []
        for label, cl in (("ours", ours), ("true links", truth)):
            sub = Clustering(
                {k: v for k, v in cl.assignment.items() if k in lists}, label
            )
            fit = estimate_population(spec, sub, lists)
            cells.append(
                f"{label} {fit.estimate:,.0f} ({fit.lower:,.0f}-{fit.upper:,.0f}, "
                f"{fit.diagnostics.get('model', fit.method)})"
            )
        rows.append(
            f"{spec.end.year}: truth {true_count(scenario.truth, spec):,}; "
            + "; ".join(cells)
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    kinds = ["sqlite"] + ([] if args.no_postgres else ["postgres"])
    lines = [
        f"# Chain benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, seed {args.seed}",
        "",
    ]
    lines += [
        "| scale | records | step | sqlite s | postgres s | pg/sqlite |",
        "|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for scale in args.scales:
        cfg = replace(
            ScenarioConfig(), initial_population={k: v * scale for k, v in BASE.items()}
        )
        scenario = simulate(cfg, args.seed)
        results = {kind: run_chain(kind, scenario, cfg) for kind in kinds}
        for step in results["sqlite"]:
            s = results["sqlite"][step]
            pg = results.get("postgres", {}).get(step)
            ratio = f"{pg / s:.2f}" if pg else "-"
            pg_text = f"{pg:.2f}" if pg else "-"
            lines.append(
                f"| {scale} | {len(scenario.records):,} | {step} | {s:.2f} "
                f"| {pg_text} | {ratio} |"
            )
        notes += [f"scale {scale}: {row}" for row in accuracy(scenario, cfg)]
    lines += [
        "",
        "Accuracy (the chain's default: log-linear model chosen by BIC; 95%):",
        "",
    ]
    lines += [f"- {n}" for n in notes]
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
