"""Benchmark of building the scorecard context (what the web app's page cache
rebuilds): time and peak memory, before (every observation loaded) and after
(only those the scorecard reads, ``browse.scorecard_data``), and whether both
give the same context.

Ledgers: those of the web benchmark (``_web_ledger``: the full catalogue, N
synthetic observations over 2007-2025, assessed on 5 dates). The one of
``--web-ledger`` (default: the web benchmark's cached 1,000,000-observation
ledger) is copied into ``--work-dir`` and only the copy is opened; a size it does
not hold is built there (with ``--persons`` persons, as the records do not enter
the scorecard) and kept for the next run. The web ledger's evidence sources are
all restricted, so a viewer would see only the catalogue's baselines: in the
copy, every third one is made public (a direct update of the copy's sources
table, after the assessment) so that the viewer's rows read real evidence.

Each build runs in its own process: it opens the ledger with a fixed clock, loads
the latest assessments and builds the context (``scorecard.build_context``, or
the same from ``Ledger.observations()`` as before), then writes the context to a
JSON file. Peak RSS is the process's, from ``os.wait4`` (the per-child form of
``RUSAGE_CHILDREN``); "RSS before" is the process's peak before the build
(interpreter, imports, open ledger, parsed catalogue). The parent imports only
the standard library and does all other work in children too, as Linux carries
a parent's peak RSS into a child it starts. The admin sees every observation; the viewer
only those of public sources. The load average is given per row: others may
share the machine.

Usage:
    .venv/bin/python benchmarks/scorecard_build.py [--sizes 100000 1000000]
        [--web-ledger /tmp/rightsledger-web-bench]
        [--work-dir /tmp/rightsledger-scorecard-bench] [--persons 2000]
        [--roles admin viewer] [--out benchmarks/results/scorecard_build.md]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODES = ("before", "after")
PUBLIC_MARK = "public-share.done"


@dataclass
class Row:
    size: int
    role: str
    mode: str
    seconds: float
    rss_before_mb: float
    peak_mb: float
    load: float


# -- in a child process ------------------------------------------------------------


def _open(folder: Path, role: str) -> Any:
    """The ledger in ``folder`` as its admin, or as a viewer (the web app's
    service ledger), with a fixed clock so that both builds match."""
    from datetime import UTC, datetime

    from _web_ledger import settings_for

    from rightsledger.ledger import Ledger

    now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    opener = Ledger.open_service if role == "viewer" else Ledger.open
    return opener(settings_for(folder), clock=lambda: now)


def old_build_context(ledger: Any, timeline: Any, real_until: Any) -> dict[str, Any]:
    """The context as ``scorecard.build_context`` built it before: from every
    observation the reader may see."""
    from rightsledger.report import scorecard_context
    from rightsledger.store import parse_url, safe_url

    return scorecard_context(
        ledger.catalogue(),
        timeline,
        {o.id: o for o in ledger.observations()},
        ledger.sources(),
        ledger.estimates(),
        real_until=real_until,
        generated_at=ledger.now(),
        ledger_label=safe_url(parse_url(ledger.settings.database_url)),
        small_cell=ledger.settings.small_cell_threshold,
    )


def time_build(folder: Path, role: str, mode: str, out: Path) -> dict[str, Any]:
    """One timed build; writes the context to ``out``."""
    import resource
    from datetime import date

    from rightsledger.scorecard import build_context

    real_until = date(2025, 12, 31)
    with _open(folder, role) as led:
        led.catalogue()  # parsed once per ledger either way; not the build
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        timeline = led.latest_assessments()
        if mode == "after":
            context = build_context(led, timeline, real_until=real_until)
        else:
            context = old_build_context(led, timeline, real_until)
        seconds = time.perf_counter() - started
    out.write_text(json.dumps(context, sort_keys=True), encoding="utf-8")
    return {"seconds": seconds, "rss_before_mb": before}


def count_read(folder: Path, role: str) -> dict[str, Any]:
    """How many observations the new build reads, and how many the reader sees."""
    from rightsledger.browse.scorecard_data import scorecard_evidence

    with _open(folder, role) as led:
        timeline = led.latest_assessments()
        read = len(scorecard_evidence(led, timeline, led.sources()))
        return {"read": read, "seen": len(led.observations())}


def prepare(folder: Path, size: int, web: Path, persons: int) -> dict[str, Any]:
    """A ledger of ``size`` observations in ``folder``: kept from a former run, a
    copy of the web benchmark's when it holds that size, or built there; then
    every third evidence source of the copy made public (once)."""
    import shutil
    import sqlite3

    from _web_ledger import Build, build_ledger

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if not _same_size(folder, size):
        if _same_size(web, size) and (web / "ledger.sqlite").exists():
            log(f"copying {web} to {folder} (the original is never opened)")
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("ledger.sqlite", "ledger.sqlite.key", "build.json"):
                shutil.copy2(web / name, folder / name)
        else:
            log(f"building a ledger of {size:,} observations in {folder} ...")
            build_ledger(folder, Build(size, persons, 2027), log)
    if not (folder / PUBLIC_MARK).exists():
        with sqlite3.connect(folder / "ledger.sqlite") as db:
            db.execute(
                "UPDATE sources SET confidentiality = 'public' WHERE id LIKE "
                "'bench-src-%' AND CAST(substr(id, 11) AS INTEGER) % 3 = 0"
            )
        (folder / PUBLIC_MARK).write_text("every third bench-src-* made public\n")
    return {}


def _same_size(folder: Path, size: int) -> bool:
    marker = folder / "build.json"
    if not marker.exists():
        return False
    return int(json.loads(marker.read_text(encoding="utf-8"))["observations"]) == size


def child(argv: list[str]) -> None:
    """Run one step named by ``argv`` and print its result as JSON."""
    step, rest = argv[0], argv[1:]
    if step == "prepare":
        got = prepare(Path(rest[0]), int(rest[1]), Path(rest[2]), int(rest[3]))
    elif step == "count":
        got = count_read(Path(rest[0]), rest[1])
    else:
        got = time_build(Path(rest[0]), rest[1], rest[2], Path(rest[3]))
    print(json.dumps(got))


# -- in the parent -----------------------------------------------------------------


def run_child(*args: str) -> tuple[dict[str, Any], float]:
    """Run a step in a child process; its result and its peak RSS in MB (from
    ``os.wait4``)."""
    argv = [sys.executable, __file__, "--child", *args]
    # our own interpreter and script, with arguments we made
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)  # noqa: S603
    text = ""
    if proc.stdout is not None:
        with proc.stdout as pipe:
            text = pipe.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"step {' '.join(args)} failed ({proc.returncode})")
    return json.loads(text.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def table(rows: list[Row], extra: dict[tuple[int, str], tuple[int, int, bool]]) -> str:
    lines = [
        "| observations | reader | build | seconds | RSS before (MB) | peak RSS (MB) "
        "| observations read | same context | load avg |",
        "|---:|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        read, seen, same = extra[(r.size, r.role)]
        count = f"{seen:,} (all seen)" if r.mode == "before" else f"{read:,}"
        lines.append(
            f"| {r.size:,} | {r.role} | {r.mode} | {r.seconds:.2f} | "
            f"{r.rss_before_mb:.0f} | {r.peak_mb:.0f} | {count} | "
            f"{'yes' if same else 'NO'} | {r.load:.1f} |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument(
        "--web-ledger",
        type=Path,
        default=Path("/tmp/rightsledger-web-bench"),  # noqa: S108 - web.py's folder
    )
    ap.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp/rightsledger-scorecard-bench"),  # noqa: S108 - kept
    )
    ap.add_argument("--persons", type=int, default=2_000)
    ap.add_argument("--roles", nargs="+", default=["admin", "viewer"])
    ap.add_argument("--out", type=Path)
    return ap.parse_args()


def measure_size(size: int, args: argparse.Namespace, rows: list[Row]) -> Any:
    """Both builds of ``size`` for every role; (read, seen, same) per role."""
    folder = args.work_dir / f"n{size}"
    run_child(
        "prepare", str(folder), str(size), str(args.web_ledger), str(args.persons)
    )
    extra = {}
    for role in args.roles:
        files = {m: args.work_dir / f"context-{size}-{role}-{m}.json" for m in MODES}
        for mode in MODES:
            print(f"{size:,} {role} {mode} ...", file=sys.stderr, flush=True)
            load = os.getloadavg()[0]
            got, peak = run_child("time", str(folder), role, mode, str(files[mode]))
            rows.append(
                Row(size, role, mode, got["seconds"], got["rss_before_mb"], peak, load)
            )
        texts = [files[m].read_text(encoding="utf-8") for m in MODES]
        counted, _ = run_child("count", str(folder), role)
        extra[(size, role)] = (counted["read"], counted["seen"], texts[0] == texts[1])
    return extra


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    args = parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    extra: dict[tuple[int, str], tuple[int, int, bool]] = {}
    for size in args.sizes:
        extra.update(measure_size(size, args, rows))
    report = "\n".join(
        [
            "# Scorecard context build",
            "",
            f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
            f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "",
            table(rows, extra),
            "",
        ]
    )
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
