"""Benchmark of the web app: latency and throughput of its pages and API under
concurrent signed-in clients, on a ledger of the full catalogue, 1,000,000
observations and 100,000 persons on SQLite.

The ledger (see ``_web_ledger``) is built once through ``Ledger.import_file``,
``chain.run_link`` and ``chain.run_assess`` and kept in ``--ledger-dir``; later
runs with the same sizes reuse it (``--rebuild`` forces a new one). The server is
started as ``rightsledger serve --workers N`` starts it (see ``_web_server``), in
its own process tree on 127.0.0.1, so that the load generator does not share its
interpreter: with N = 1 one uvicorn process serving
``create_app(settings, warm=True)``, with N > 1 uvicorn's supervisor and N worker
processes. It is ready when a signed-in ``GET /`` answers (the warm-up has built
the scorecard) and its processes are idle (see ``_web_run``). CPU and peak memory
are summed over the process tree. ``--workers 1 2`` measures one server after the
other, each in its own section of the report. The load generator (``_web_load``)
signs ``--clients`` httpx clients in through the form, then for each path: one
request alone (its time is the "first request" column), ``--warmup`` seconds of
load not counted, and ``--seconds`` of load by every client at once, each sending
its next request when the last one is answered. Paths under ``/api/`` are asked
with an API token. A path whose first answer is not 200 is reported and not
loaded (a route that does not exist yet answers 404).

Reference in the same run: the first path (default ``/static/app.css``, a static
file through the same middleware), so that other rows can be read as ratios on a
machine that other work shares; the load average is given per row. With
``--wait-load X`` each server is started only once the 1-minute load average is
below X (polled every 60 s), but not later than ``--wait-until HH:MM`` (UTC).

Usage:
    .venv/bin/python benchmarks/web.py [--observations 1000000] [--persons 100000]
        [--ledger-dir /tmp/rightsledger-web-bench] [--rebuild] [--clients 20]
        [--seconds 15] [--warmup 3] [--paths / /benchmarks/ID ...]
        [--role analyst] [--routers routes.x api] [--profile DIR]
        [--workers 1 [2 ...]] [--wait-load 2.0] [--wait-until 03:45]
        [--after-sign-in /] [--out benchmarks/results/web.md]

At the end of each server's run, ``--after-sign-in`` times one request for that
path right after a new sign-in, and once after a request with an unknown API
token: both write to the custody log, but neither changes the ledger's data, so
neither should make a cached page be built again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from _web_ledger import (  # benchmarks/ is on sys.path as a script
    ASSESS_DATES,
    Build,
    bring_up_to_date,
    build_ledger,
    cached_build,
    credentials,
    ensure_data_version,
)
from _web_load import PathResult, peak_rss_by_process, peak_rss_mb, run_load
from _web_run import start_server, stop_server, wait_for_load, wait_idle, wait_ready

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "web.md"
PATHS = [
    "/static/app.css",
    "/",
    "/benchmarks/release-political-prisoners",
    "/api/v1/observations?limit=100",
    "/api/v1/benchmarks",
]


@dataclass
class Section:
    """One server (``workers`` processes) under load: what it took to start, the
    results per path, the single requests after writes, its log."""

    workers: int
    times: dict[str, float] = field(default_factory=dict)
    processes: list[tuple[int, str, float]] = field(default_factory=list)
    results: list[PathResult] = field(default_factory=list)
    rebuild: list[PathResult] = field(default_factory=list)
    log_text: str = ""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def row(r: PathResult, reference: PathResult | None) -> str:
    if r.first_status != 200:
        return (
            f"| `{r.path}` | first answer HTTP {r.first_status}: not loaded "
            "| | | | | | | | | |"
        )
    ratio = ""
    if reference is not None and reference.latencies:
        ratio = f"{r.percentile(0.5) / reference.percentile(0.5):.1f}"
    per_request = r.server_cpu / max(r.requests, 1) * 1000
    return (
        f"| `{r.path}` | {r.requests:,} | {r.percentile(0.5):.1f} | "
        f"{r.percentile(0.95):.1f} | {r.percentile(0.99):.1f} | "
        f"{r.requests / r.seconds:.1f} | {r.errors} | {ratio} | "
        f"{r.first_seconds * 1000:.0f} | {per_request:.1f} | {r.load:.1f} |"
    )


def table(results: list[PathResult]) -> str:
    reference = results[0] if results and results[0].first_status == 200 else None
    lines = [
        "| path | requests | p50 ms | p95 ms | p99 ms | req/s | errors "
        "| p50 × reference | first request ms | server CPU ms/request | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    return "\n".join(lines + [row(r, reference) for r in results])


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def verdict(results: list[PathResult], target: float) -> list[str]:
    out = []
    for r in results[1:]:
        if r.first_status != 200:
            continue
        p95 = r.percentile(0.95)
        mark = "meets" if p95 < target else "MISSES"
        out.append(f"- `{r.path}`: p95 {p95:.0f} ms {mark} the target ({target:g} ms)")
        others = {k: v for k, v in r.statuses.items() if k != "200"}
        if others:
            out.append(f"  - non-200 answers: {dict(others)}")
    return out


def _processes(section: Section) -> str:
    return ", ".join(f"{what} {mb:.0f} MB" for _, what, mb in section.processes)


def describe(section: Section, args: argparse.Namespace) -> list[str]:
    """The section of one server: how it started, its table and verdicts."""
    t = section.times
    n = section.workers
    how = (
        "one uvicorn process, `create_app(settings, warm=True)` (as `serve`)"
        if n == 1
        else f"uvicorn's supervisor and {n} worker processes, each "
        "`app_from_environment()` = `create_app(Settings(), warm=True)` (as "
        f"`serve --workers {n}`)"
    )
    client_cpu = sum(r.client_cpu for r in section.results)
    measured = sum(r.seconds for r in section.results) or 1.0
    lines = [
        f"## {n} server process{'es' if n > 1 else ''} (`--workers {n}`)",
        "",
        f"Started at load average {t['load_start']:.1f} (after waiting "
        f"{t['waited']:.0f} s for it to fall below {args.wait_load:g}).",
        f"Server: {how}. It listened after {t['listening']:.1f} s; a signed-in "
        f"`GET /` answered after **{t['ready']:.1f} s** (the warm-up had built the "
        f"scorecard); its processes were idle after {t['idle']:.1f} s, having used "
        f"{t['cpu_ready']:.1f} s of CPU. Peak RSS summed over the process tree: "
        f"{t['rss_ready']:.0f} MB when ready, **{t['peak_rss']:.0f} MB** at the "
        f"end; per process at the end: {_processes(section)}. The load generator "
        f"used {client_cpu / measured:.0%} of a core while measuring.",
        *(
            [f"Server: {x}" for x in section.log_text.splitlines() if "routers" in x]
            or ["Every path is served by `create_app` itself (no router added)."]
        ),
        f"Tracebacks in the server's log: {section.log_text.count('Traceback')}.",
        "",
        table(section.results),
        "",
        *verdict(section.results, args.target_ms),
        "",
    ]
    if n > 1:
        lines[4:4] = [
            f"Processes the supervisor started: {t['started_ready']:.0f} until ready, "
            f"{t['started_end']:.0f} by the end ({n} workers and the resource "
            "tracker are needed; each more is a worker replaced after missing "
            f"uvicorn's {args.worker_healthcheck} s health check)."
        ]
    if section.rebuild:
        lines += [
            "One request alone, right after a write to the custody log that is "
            "not a change of data:",
            "",
            *(
                f"- `{r.path}`: HTTP {r.first_status} in "
                f"{r.first_seconds * 1000:,.0f} ms"
                for r in section.rebuild
            ),
            "",
        ]
    return lines


def report(
    args: argparse.Namespace,
    build: Build,
    reused: bool,
    sections: list[Section],
    load_start: float,
) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    steps = "; ".join(f"{k} {v:.1f} s" for k, v in build.seconds.items())
    how = "reused from " if reused else "built in this run in "
    parts = [
        f"# Web benchmark, {stamp}",
        "",
        f"Produced by `.venv/bin/python benchmarks/web.py {' '.join(sys.argv[1:])}`.",
        "",
        f"Machine: {machine()}; load average {load_start:.1f} at the "
        f"start, {os.getloadavg()[0]:.1f} at the end (shared with other work).",
        "",
        f"Ledger (SQLite, {how}`{args.ledger_dir}`, built {build.built_at}, load "
        f"{build.load_average:.1f}): the packaged catalogue, "
        f"{build.observations:,} observations, {build.records:,} person records "
        f"of {build.persons:,} synthetic people on 4 lists, linked into "
        f"{build.linked_persons:,} persons, assessed on {len(ASSESS_DATES)} dates. "
        f"Build: {steps}.",
        "",
        f"Load: {args.clients} concurrent clients signed in as `{args.role}`, "
        f"{args.warmup:g} s warm-up then {args.seconds:g} s per path. CPU and "
        "memory are the server's whole process tree.",
        "",
    ]
    for section in sections:
        parts += describe(section, args)
    return "\n".join(parts)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument(
        "--ledger-dir",
        type=Path,
        # a fixed folder on purpose: the built ledger is reused by the next run
        default=Path("/tmp/rightsledger-web-bench"),  # noqa: S108
    )
    ap.add_argument("--rebuild", action="store_true", help="build a new ledger")
    ap.add_argument("--paths", nargs="+", default=PATHS, help="first = reference")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument(
        "--role",
        default="analyst",
        choices=["admin", "investigator", "analyst", "viewer"],
    )
    ap.add_argument(
        "--routers",
        nargs="*",
        default=[],
        help="modules of rightsledger.web (e.g. routes.benchmarks api) to include "
        "when create_app does not register them yet",
    )
    ap.add_argument(
        "--profile",
        type=Path,
        help="folder: sample the server with py-spy while each path is measured "
        "(collapsed stacks, one file per path; py-spy must be installed)",
    )
    ap.add_argument(
        "--after-sign-in",
        default="/",
        help="path timed once after a new sign-in and once after an unknown API "
        "token, at the end ('' to skip)",
    )
    ap.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="server processes, as `serve --workers N`; several counts are "
        "measured one after the other",
    )
    ap.add_argument(
        "--worker-healthcheck",
        type=int,
        default=5,
        help="with several workers: seconds a worker may take to answer uvicorn's "
        "health check before it is replaced (5, uvicorn's default, as `serve`)",
    )
    ap.add_argument(
        "--wait-load",
        type=float,
        default=0.0,
        help="before each server starts, wait until the 1-minute load average is "
        "below this (0: do not wait)",
    )
    ap.add_argument(
        "--wait-until", default="", help="but not past this UTC time (HH:MM)"
    )
    ap.add_argument("--target-ms", type=float, default=200.0)
    ap.add_argument("--out", type=Path, default=OUT)
    return ap.parse_args()


def measure(
    args: argparse.Namespace, workers: int, who: tuple[str, str, str]
) -> Section:
    """Start a server of ``workers`` processes, load it, stop it."""
    section = Section(workers)
    t = section.times
    t["waited"] = wait_for_load(args.wait_load, args.wait_until, log)
    t["load_start"] = os.getloadavg()[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_file = args.ledger_dir / f"server-{workers}.log"
    started = time.perf_counter()
    process, t["listening"], watch = start_server(
        args.ledger_dir,
        port,
        args.routers,
        (workers, args.worker_healthcheck),
        log_file,
    )
    try:
        wait_ready(base, who, process)
        t["ready"] = time.perf_counter() - started
        t["cpu_ready"] = wait_idle(process.pid)
        t["idle"] = time.perf_counter() - started
        t["rss_ready"] = peak_rss_mb(process.pid)
        t["started_ready"] = watch.count()
        log(f"{workers} worker(s) ready in {t['ready']:.1f} s; loading ...")
        profile = args.profile / f"workers-{workers}" if args.profile else None
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
        section.results, section.rebuild = asyncio.run(
            run_load(
                base,
                who,
                args.paths,
                clients=args.clients,
                warmup=args.warmup,
                seconds=args.seconds,
                pid=process.pid,
                log=log,
                profile=profile,
                rebuild_path=args.after_sign_in or None,
            )
        )
        t["peak_rss"] = peak_rss_mb(process.pid)
        section.processes = peak_rss_by_process(process.pid)
        t["started_end"] = watch.count()
    finally:
        watch.stopped.set()
        stop_server(process)
    section.log_text = log_file.read_text()
    return section


def main() -> None:
    args = parse_args()
    load_start = os.getloadavg()[0]
    wanted = Build(args.observations, args.persons, args.seed)
    build = None if args.rebuild else cached_build(args.ledger_dir, wanted)
    reused = build is not None
    if build is not None:
        bring_up_to_date(args.ledger_dir, build, log)
        ensure_data_version(args.ledger_dir, build, log)
    else:
        log(f"building the ledger in {args.ledger_dir} ...")
        build = build_ledger(args.ledger_dir, wanted, log)
    if args.routers and max(args.workers) > 1:
        raise SystemExit("--routers needs one server process (--workers 1)")
    who = credentials(args.ledger_dir, args.role)
    login = (who.user, who.password, who.token)
    sections = [measure(args, n, login) for n in args.workers]
    text = report(args, build, reused, sections, load_start)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
