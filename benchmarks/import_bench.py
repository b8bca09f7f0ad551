"""Benchmark of intake: rate and peak memory of importing synthetic person records.

A CSV file of N synthetic person records (names from ``rightsledger.names.synthetic``,
never real people) is written to a temporary file, streamed. Each measurement runs in
its own child process: a new ledger (SQLite file, or a fresh PostgreSQL schema), the
packaged catalogue and one list source, then ``Ledger.import_file`` of the records,
timed. Every name and birth year is encrypted (AES-256-GCM) and every record gets its
keyed pseudonym, as in any import. The child reports its peak resident memory
(``ru_maxrss``) and that of its worker processes.

The same is done at a smaller size (default 100,000) in the same run: a rate that holds
and a peak memory that does not grow with the file are what streaming promises.
``--serial`` adds the same imports with the worker processes turned off, for
comparison. Each import runs ``--repeat`` times (default 2) and the fastest counts;
the table gives the load average when it started, since other work on the machine
takes cores from it. Because that load comes and goes, two columns do not depend
on it: the ratio of a run's rate to that of the serial run made right after it
(with ``--serial``), and the rate its CPU time per record would allow on idle
cores (see :func:`cpu_bound_rate`).

Usage:
    .venv/bin/python benchmarks/import_bench.py [--rows 1000000] [--small 100000]
        [--serial] [--repeat 2] [--no-postgres] [--out benchmarks/results/import.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _databases import bench_settings  # benchmarks/ is on sys.path as a script

from rightsledger.intake import importer
from rightsledger.ledger import Ledger
from rightsledger.names.synthetic import random_name

PROVINCES = ("North Hamgyong", "South Hamgyong", "Ryanggang", "South Pyongan", "")
FACILITIES = ("kwanliso-14", "kwanliso-15", "kwanliso-16", "kwanliso-25", "")
FATES = ("detained", "released", "dead", "transferred", "unknown")
HEADER = [
    "record_id",
    "source_id",
    "full_name",
    "sex",
    "birth_year",
    "province",
    "facility_id",
    "year_arrested",
    "seen_from",
    "seen_to",
    "fate",
]
LIST_ID = "bench-list"


def write_records(path: Path, n: int, seed: int = 1) -> None:
    """N synthetic records as CSV, written row by row (memory stays flat)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(n):
            sex = "MF"[rng.random() < 0.45]
            arrested = rng.randint(1975, 2018)
            seen = f"{arrested + rng.randint(0, 3)}-{rng.randint(1, 12):02d}-01"
            out.writerow(
                [
                    f"B-{i:08d}",
                    LIST_ID,
                    random_name(rng, sex).hangul,
                    sex if rng.random() < 0.95 else "",
                    rng.randint(1930, 2000) if rng.random() < 0.9 else "",
                    rng.choice(PROVINCES),
                    rng.choice(FACILITIES),
                    arrested,
                    seen,
                    "",
                    rng.choice(FATES),
                ]
            )


def child(backend: str, records: Path, workers: int | None) -> None:
    """Run one import in this process and print what it measured as JSON."""
    if workers is not None:
        importer.WORKERS = workers
    with bench_settings(backend) as settings, Ledger.init(settings) as ledger:
        ledger.load_catalogue()
        sources = records.with_name(f"sources-{os.getpid()}.csv")
        sources.write_text(
            "id,kind,title,owner,reliability\n"
            f"{LIST_ID},ngo-list,Synthetic benchmark list,Benchmark NGO,B\n",
            encoding="utf-8",
        )
        ledger.import_file(sources, "sources")
        cpu = _cpu()
        start = time.perf_counter()
        summary = ledger.import_file(records, "records")
        seconds = time.perf_counter() - start
        own_cpu, workers_cpu = (b - a for a, b in zip(cpu, _cpu(), strict=True))
        sources.unlink()
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "added": summary.added,
                "seconds": seconds,
                "cpu_us": own_cpu / summary.added * 1e6,
                "worker_cpu_us": workers_cpu / summary.added * 1e6,
                "rss_mb": own.ru_maxrss / 1024,
                "worker_rss_mb": kids.ru_maxrss / 1024,
            }
        )
    )


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its (ended) worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def run_child(backend: str, records: Path, workers: int | None) -> dict[str, float]:
    """One import in a new child process, with the load average when it
    started (other work on the machine slows a run)."""
    command = [sys.executable, __file__, "--child", backend, "--file", str(records)]
    if workers is not None:
        command += ["--workers", str(workers)]
    load = os.getloadavg()[0]
    # our own script, run again as a child: no outside input in the command
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"child failed ({backend}):\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = load
    return result


Run = tuple[str, int | None]


def measure(records: Path, runs: list[Run], repeat: int) -> dict[Run, dict[str, float]]:
    """The fastest of ``repeat`` runs of each configuration. The configurations
    take turns (one of each, then again), so that the serial import runs next
    to the parallel one it is compared with; each parallel run on SQLite keeps
    the rate of the serial run that followed it as ``serial_rate``."""
    best: dict[Run, dict[str, float]] = {}
    for _ in range(max(repeat, 1)):
        cycle = {run: run_child(run[0], records, run[1]) for run in runs}
        serial = cycle.get(("sqlite", 0))
        for run, result in cycle.items():
            if serial is not None and run != ("sqlite", 0):
                result["serial_rate"] = serial["added"] / serial["seconds"]
            if run not in best or result["seconds"] < best[run]["seconds"]:
                best[run] = result
    return best


def cpu_bound_rate(r: dict[str, float], cores: int) -> float:
    """Records/s that the CPU time of a run allows on ``cores`` idle cores: the
    import process cannot go faster than its own time per record, and all the
    processes together share the cores. An estimate, free of other load."""
    own, workers = r["cpu_us"], r["worker_cpu_us"]
    if workers == 0:
        return 1e6 / own
    return min(1e6 / own, cores * 1e6 / (own + workers))


def machine() -> str:
    model = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
        f"load average {load:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--serial", action="store_true", help="also without workers")
    parser.add_argument("--repeat", type=int, default=2, help="runs; the best counts")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS
    )
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.workers)
        return

    backends = ["sqlite"] + ([] if args.no_postgres else ["postgres"])
    cores = len(os.sched_getaffinity(0))
    lines = [
        "| database | workers | records | seconds | records/s | ratio to serial,"
        " same moment | records/s the CPU time allows on"
        f" {cores} idle cores | CPU µs per record: import process + workers |"
        " peak RSS, import process (MB) | peak RSS, a worker (MB) |"
        " load average at start |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    before = machine()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.small, args.rows):
            records = Path(tmp) / f"records-{n}.csv"
            started = time.perf_counter()
            write_records(records, n)
            size = records.stat().st_size / 1e6
            print(
                f"wrote {n:,} records ({size:.0f} MB) in "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            runs: list[Run] = [(b, None) for b in backends]
            if args.serial:
                runs.append(("sqlite", 0))
            best = measure(records, runs, args.repeat)
            for (backend, workers), r in best.items():
                shown = f"{importer.WORKERS}" if workers is None else "off"
                if workers is None and size * 1e6 < importer.PARALLEL_MIN_BYTES:
                    shown = "0 (small file)"  # prepared in the import process
                rate = r["added"] / r["seconds"]
                ratio = f"{rate / r['serial_rate']:.2f}" if "serial_rate" in r else ""
                # PostgreSQL's server works outside the measured processes
                bound = (
                    "" if backend == "postgres" else f"{cpu_bound_rate(r, cores):,.0f}"
                )
                row = (
                    f"| {'PostgreSQL' if backend == 'postgres' else 'SQLite'} | "
                    f"{shown} | {int(r['added']):,} | {r['seconds']:.1f} | "
                    f"{rate:,.0f} | {ratio} | {bound} | "
                    f"{r['cpu_us']:.1f} + {r['worker_cpu_us']:.1f} | "
                    f"{r['rss_mb']:.0f} | "
                    f"{r['worker_rss_mb']:.0f} | {r['load']:.1f} |"
                )
                print(row, file=sys.stderr)
                lines.append(row)
            records.unlink()
    table = "\n".join(lines)
    print(table)
    if args.out:
        command = "python " + " ".join(["benchmarks/import_bench.py", *sys.argv[1:]])
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        args.out.write_text(
            f"# Import benchmark, {stamp}\n\n"
            f"Produced by `.venv/bin/{command}`.\n\n"
            f"Machine: {before} at the start, "
            f"{machine().rsplit('load average', 1)[1].strip()} at the end.\n\n"
            f"{table}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
