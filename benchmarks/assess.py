"""Benchmark of assessment: the whole catalogue over many observations, and agreement
of the statuses with the synthetic scenario's truth.

Table 1 (speed): a ledger on SQLite (and PostgreSQL unless --no-postgres) gets the
packaged catalogue and N synthetic observations (all indicators, many sources with
different owners, kinds and grades, 20 years of dates, some facilities, supports,
contradictions and state claims), bulk-inserted with SQLAlchemy Core (setup, timed
apart). Then it times loading the observations, ``assess_all`` for one date and
``run_assess`` for 5 dates (load + assess + store the run). References measured in
the same run: the same steps at a smaller size (scaling ratio; 10 means linear for
sizes 100,000 and 1,000,000) and PostgreSQL against SQLite.

Table 2 (truth): over many seeds of the default scenario, per story indicator, the
share of seeds whose status at the last year end is the one the truth implies
(achieved -> verified, achieved-then-reversed -> regressed, not-achieved -> claimed,
partly-achieved -> as docs/simulate.md documents), and the share that also reach the
expected standard of proof.

Usage:
    .venv/bin/python benchmarks/assess.py [--sizes 100000 1000000] [--seeds 50]
        [--no-postgres] [--out benchmarks/results/assess.md]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from _databases import (  # benchmarks/ is on sys.path when run as a script
    bench_settings,
)
from sqlalchemy import insert

from rightsledger.assess import assess_all, assess_indicator
from rightsledger.catalogue import load_catalogue
from rightsledger.chain import run_assess
from rightsledger.domain import (
    Catalogue,
    Credibility,
    IndicatorKind,
    Observation,
    Origin,
    Reliability,
    Source,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
)
from rightsledger.intake import citation_sources
from rightsledger.ledger import Ledger
from rightsledger.simulate import ScenarioConfig, simulate
from rightsledger.store.tables import ObservationRow

AS_OF = date(2026, 12, 31)
DATES = [date(y, 12, 31) for y in (2010, 2014, 2018, 2022, 2026)]
CHUNK = 50_000

# -- synthetic evidence ------------------------------------------------------------


def synthetic_sources(rng: random.Random, n: int = 300) -> list[Source]:
    """``n`` sources over every kind; state claims share one owner, others ~n/4."""
    kinds = list(SourceKind)
    grades = list(Reliability)
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        owner = "state" if kind is SourceKind.STATE_CLAIM else f"owner-{i % (n // 4)}"
        grade = rng.choices(grades, weights=(3, 5, 4, 2, 1, 1))[0]
        out.append(
            Source(
                id=f"bench-src-{i:04d}",
                kind=kind,
                title=f"Benchmark source {i}",
                owner=owner,
                reliability=grade,
                published_on=None,
                origin=Origin.SIMULATED,
            )
        )
    return out


def _observation(
    rng: random.Random, i: int, catalogue: Catalogue, sources: list[Source]
) -> Observation:
    ind = rng.choice(catalogue.indicators())
    src = rng.choice(sources)
    stance = Stance.CONTRADICTS if rng.random() < 0.25 else Stance.SUPPORTS
    facility = None
    if rng.random() < 0.15:
        facility = rng.choice(catalogue.facilities).id
    value = float(rng.randint(1, 5000)) if ind.kind is IndicatorKind.COUNT else None
    return Observation(
        source_id=src.id,
        indicator_key=ind.key,
        observed_on=date(2007, 1, 1) + timedelta(days=rng.randrange(20 * 365)),
        stance=stance,
        credibility=Credibility(rng.choices(range(1, 7), (2, 4, 3, 2, 1, 1))[0]),
        summary=f"Synthetic benchmark observation {i}.",
        facility_id=facility,
        value=value,
        origin=Origin.SIMULATED,
    )


def _row(o: Observation, at: datetime) -> dict[str, Any]:
    return {
        "id": o.id,
        "source_id": o.source_id,
        "indicator_key": o.indicator_key,
        "facility_id": o.facility_id,
        "observed_on": o.observed_on,
        "stance": o.stance.value,
        "credibility": int(o.credibility),
        "summary": o.summary,
        "value": o.value,
        "status": o.status,
        "origin": o.origin.value,
        "recorded_at": at,
        "recorded_by": "bench",
    }


def synthetic_rows(
    n: int, catalogue: Catalogue, sources: list[Source], seed: int
) -> Iterator[list[dict[str, Any]]]:
    """``n`` observation rows in chunks (ids are the content hashes)."""
    rng = random.Random(seed)
    at = datetime(2027, 1, 1, tzinfo=UTC)
    for start in range(0, n, CHUNK):
        yield [
            _row(_observation(rng, i, catalogue, sources), at)
            for i in range(start, min(n, start + CHUNK))
        ]


# -- one ledger ----------------------------------------------------------------------


def _fill(led: Ledger, n: int, seed: int) -> None:
    catalogue = led.load_catalogue()
    sources = synthetic_sources(random.Random(seed))
    led.add_evidence(sources=sources, origin=Origin.SIMULATED, label="bench")
    table = ObservationRow.__table__
    with led.engine.begin() as conn:
        for chunk in synthetic_rows(n, catalogue, sources, seed):
            conn.execute(insert(table), chunk)


def _time_steps(led: Ledger, times: dict[str, float]) -> None:
    t = time.perf_counter()
    observations = led.observations()
    times["load observations"] = time.perf_counter() - t
    catalogue, sources = led.catalogue(), led.sources()
    t = time.perf_counter()
    assess_all(catalogue, observations, sources, [], AS_OF)
    times["assess_all, 1 date"] = time.perf_counter() - t
    load, assess = times["load observations"], times["assess_all, 1 date"]
    times["load + assess_all"] = load + assess
    del observations
    gc.collect()
    t = time.perf_counter()
    run_assess(led, DATES)
    times["run_assess, 5 dates"] = time.perf_counter() - t


def run_steps(kind: str, n: int, seed: int) -> dict[str, float]:
    """Seconds per step on a fresh ledger of ``kind`` with ``n`` observations."""
    times: dict[str, float] = {}
    with bench_settings(kind) as settings, Ledger.init(settings) as led:
        t = time.perf_counter()
        _fill(led, n, seed)
        times["setup: insert"] = time.perf_counter() - t
        gc.collect()
        _time_steps(led, times)
    return times


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_table(sizes: list[int], kinds: list[str], seed: int) -> list[str]:
    results = {(k, n): run_steps(k, n, seed) for n in sizes for k in kinds}
    lines = [
        "| observations | step | sqlite s | sqlite obs/s | postgres s | pg/sqlite "
        f"| × vs {sizes[0]:,} (sqlite) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        for step, s in results[("sqlite", n)].items():
            pg = results.get(("postgres", n), {}).get(step)
            small = results[("sqlite", sizes[0])][step]
            lines.append(
                f"| {n:,} | {step} | {s:.2f} | {n / s:,.0f} "
                f"| {f'{pg:.2f}' if pg else '-'} | {f'{pg / s:.2f}' if pg else '-'} "
                f"| {s / small:.1f} |"
            )
    lines += ["", f"Peak RSS of the process: {_rss_mb():,.0f} MB."]
    return lines


# -- agreement with the truth --------------------------------------------------------

BY_OUTCOME = {
    "achieved": Status.VERIFIED,
    "achieved-then-reversed": Status.REGRESSED,
    "not-achieved": Status.CLAIMED,
}
PARTLY = {
    "icrc-detention-access/icrc-coverage": Status.VERIFIED,
    "dismantle-political-prison-camps/camp-deactivated": Status.CONTESTED,
    "humanitarian-aid-monitoring/monitor-visits": Status.VERIFIED,
}


def expected_status(key: str, outcome: str) -> Status:
    """The status the truth implies (docs/simulate.md, "The story")."""
    return PARTLY[key] if outcome == "partly-achieved" else BY_OUTCOME[outcome]


def truth_table(seeds: int) -> list[str]:
    catalogue = load_catalogue()
    indicators = {i.key: i for i in catalogue.indicators()}
    hits: dict[str, list[int]] = {}
    outcomes: dict[str, set[str]] = {}
    for seed in range(seeds):
        scenario = simulate(ScenarioConfig(), seed)
        sources = {s.id: s for s in [*citation_sources(catalogue), *scenario.sources]}
        end = date(scenario.config.end.year, 12, 31)
        for t in scenario.truth.indicators:
            ind = indicators[t.key]
            got = assess_indicator(ind, scenario.observations, sources, (), end)
            want = expected_status(t.key, t.outcome)
            std = StandardOfProof.NONE if want is Status.CLAIMED else ind.rule.standard
            row = hits.setdefault(t.key, [0, 0])
            row[0] += got.status is want
            row[1] += got.status is want and got.standard is std
            outcomes.setdefault(t.key, set()).add(f"{t.outcome} -> {want}")
    lines = [
        f"| indicator | truth -> expected status | status agrees ({seeds} seeds) "
        "| status and standard agree |",
        "|---|---|---|---|",
    ]
    for key, (status_ok, both_ok) in hits.items():
        lines.append(
            f"| {key} | {'; '.join(sorted(outcomes[key]))} "
            f"| {status_ok / seeds:.0%} | {both_ok / seeds:.0%} |"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    kinds = ["sqlite"] + ([] if args.no_postgres else ["postgres"])
    sizes = sorted(args.sizes)
    lines = [
        f"# Assessment benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"seed {args.seed}",
        "",
        f"Whole catalogue; assess_all on {AS_OF}; run_assess on "
        f"{', '.join(str(d) for d in DATES)}.",
        "",
    ]
    truth_intro = "Statuses at the last year end of the default scenario vs its truth:"
    sections: list[Callable[[], list[str]]] = [
        lambda: speed_table(sizes, kinds, args.seed),
        lambda: ["", truth_intro, ""],
        lambda: truth_table(args.seeds),
    ]
    print("\n".join(lines), flush=True)
    for section in sections:
        part = section()
        print("\n".join(part), flush=True)
        lines += part
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
