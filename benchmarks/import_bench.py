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
takes cores from it.

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


def measure(
    backend: str, records: Path, workers: int | None, repeat: int
) -> dict[str, float]:
    """The fastest of ``repeat`` runs, each in a new child process, with the
    load average when it started (other work on the machine slows a run)."""
    command = [sys.executable, __file__, "--child", backend, "--file", str(records)]
    if workers is not None:
        command += ["--workers", str(workers)]
    best: dict[str, float] = {"seconds": float("inf")}
    for _ in range(max(repeat, 1)):
        load = os.getloadavg()[0]
        # our own script, run again as a child: no outside input in the command
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise SystemExit(f"child failed ({backend}):\n{done.stderr}")
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        result["load"] = load
        if result["seconds"] < best["seconds"]:
            best = result
    return best


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
    lines = [
        "| database | workers | records | seconds | records/s | CPU µs per record:"
        " import process + workers | peak RSS, import process (MB) | peak RSS,"
        " a worker (MB) | load average at start |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
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
            runs: list[tuple[str, int | None]] = [(b, None) for b in backends]
            if args.serial:
                runs.append(("sqlite", 0))
            for backend, workers in runs:
                r = measure(backend, records, workers, args.repeat)
                shown = importer.WORKERS if workers is None else workers
                if records.stat().st_size < importer.PARALLEL_MIN_BYTES:
                    shown = 0  # a small file is prepared in the import process
                row = (
                    f"| {'PostgreSQL' if backend == 'postgres' else 'SQLite'} | "
                    f"{shown} | {int(r['added']):,} | {r['seconds']:.1f} | "
                    f"{r['added'] / r['seconds']:,.0f} | "
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
