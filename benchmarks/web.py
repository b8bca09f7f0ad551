"""Benchmark of the web app: latency and throughput of its pages and API under
concurrent signed-in clients, on a ledger of the full catalogue, 1,000,000
observations and 100,000 persons on SQLite.

The ledger (see ``_web_ledger``) is built once through ``Ledger.import_file``,
``chain.run_link`` and ``chain.run_assess`` and kept in ``--ledger-dir``; later
runs with the same sizes reuse it (``--rebuild`` forces a new one). The server is
uvicorn serving ``rightsledger.web.create_app(settings)`` in its own process on
127.0.0.1, so that the load generator does not share its interpreter. The load
generator (``_web_load``) signs ``--clients`` httpx clients in through the form,
then for each path: one request alone (its time is the "first request" column:
a page whose data is cached is built then), ``--warmup`` seconds of load not
counted, and ``--seconds`` of load by every client at once, each sending its next
request when the last one is answered. Paths under ``/api/`` are asked with an API
token. A path whose first answer is not 200 is reported and not loaded (a route
that does not exist yet answers 404).

Reference in the same run: the first path (default ``/static/app.css``, a static
file through the same middleware), so that other rows can be read as ratios on a
machine that other work shares; the load average is given per row.

Usage:
    .venv/bin/python benchmarks/web.py [--observations 1000000] [--persons 100000]
        [--ledger-dir /tmp/rightsledger-web-bench] [--rebuild] [--clients 20]
        [--seconds 15] [--warmup 3] [--paths / /benchmarks/ID ...]
        [--role analyst] [--routers routes.x api] [--profile DIR]
        [--after-sign-in /] [--out benchmarks/results/web.md]

At the end, ``--after-sign-in`` times one request for that path right after a
new sign-in, and once after a request with an unknown API token: both are
writes to the custody log, which is what the page cache's version counts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from _web_ledger import (  # benchmarks/ is on sys.path as a script
    ASSESS_DATES,
    Build,
    bring_up_to_date,
    build_ledger,
    cached_build,
    credentials,
)
from _web_load import PathResult, cpu_seconds, peak_rss_mb, run_load

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "web.md"
PATHS = [
    "/static/app.css",
    "/",
    "/benchmarks/release-political-prisoners",
    "/api/v1/observations?limit=100",
    "/api/v1/benchmarks",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    folder: Path, port: int, routers: list[str], log_file: Path
) -> tuple[subprocess.Popen[bytes], float]:
    """The server process, once it answers; and the seconds it took to answer.
    Its output (warnings, tracebacks of failed requests) goes to ``log_file``."""
    command = [sys.executable, str(HERE / "_web_server.py"), "--folder", str(folder)]
    command += ["--port", str(port), "--routers", *routers]
    with log_file.open("wb") as out:
        # our own helper script and options: no outside input in the command
        server = subprocess.Popen(command, stdout=out, stderr=out)  # noqa: S603
    started = time.perf_counter()
    while time.perf_counter() - started < 300:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code:
                return server, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 300 s")


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


def report(
    args: argparse.Namespace,
    build: Build,
    reused: bool,
    results: list[PathResult],
    server: dict[str, float],
    server_log: str,
) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    steps = "; ".join(f"{k} {v:.1f} s" for k, v in build.seconds.items())
    how = "reused from " if reused else "built in this run in "
    client_cpu = sum(r.client_cpu for r in results)
    measured = sum(r.seconds for r in results) or 1.0
    parts = [
        f"# Web benchmark, {stamp}",
        "",
        f"Produced by `.venv/bin/python benchmarks/web.py {' '.join(sys.argv[1:])}`.",
        "",
        f"Machine: {machine()}; load average {server['load_start']:.1f} at the "
        f"start, {os.getloadavg()[0]:.1f} at the end (shared with other work).",
        "",
        f"Ledger (SQLite, {how}`{args.ledger_dir}`, built {build.built_at}, load "
        f"{build.load_average:.1f}): the packaged catalogue, "
        f"{build.observations:,} observations, {build.records:,} person records "
        f"of {build.persons:,} synthetic people on 4 lists, linked into "
        f"{build.linked_persons:,} persons, assessed on {len(ASSESS_DATES)} dates. "
        f"Build: {steps}.",
        "",
        f"Server: uvicorn, one process, `create_app(settings)`; ready "
        f"{server['ready']:.1f} s after start; peak RSS {server['rss_ready']:.0f} MB "
        f"when ready, **{server['peak_rss']:.0f} MB** at the end. Load: "
        f"{args.clients} concurrent clients signed in as `{args.role}`, "
        f"{args.warmup:g} s warm-up then {args.seconds:g} s per path; the load "
        f"generator used {client_cpu / measured:.0%} of a core while measuring.",
        *(
            [f"Server: {line}" for line in server_log.splitlines() if "routers" in line]
            or ["Every path is served by `create_app` itself (no router added)."]
        ),
        f"Tracebacks in the server's log: {server_log.count('Traceback')}.",
        "",
        table(results),
        "",
        *verdict(results, args.target_ms),
        "",
    ]
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
    ap.add_argument("--target-ms", type=float, default=200.0)
    ap.add_argument("--out", type=Path, default=OUT)
    return ap.parse_args()


def main() -> None:
    args = parse_args()
    load_start = os.getloadavg()[0]
    wanted = Build(args.observations, args.persons, args.seed)
    build = None if args.rebuild else cached_build(args.ledger_dir, wanted)
    reused = build is not None
    if build is not None:
        bring_up_to_date(args.ledger_dir, build, log)
    else:
        log(f"building the ledger in {args.ledger_dir} ...")
        build = build_ledger(args.ledger_dir, wanted, log)
    who = credentials(args.ledger_dir, args.role)
    port = free_port()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    log_file = args.ledger_dir / "server.log"
    process, ready = start_server(args.ledger_dir, port, args.routers, log_file)
    server = {"load_start": load_start, "ready": ready}
    try:
        server["rss_ready"] = peak_rss_mb(process.pid)
        cpu = cpu_seconds(process.pid)
        log(f"server ready in {ready:.1f} s (CPU {cpu:.1f} s); loading ...")
        results, rebuild = asyncio.run(
            run_load(
                f"http://127.0.0.1:{port}",
                (who.user, who.password, who.token),
                args.paths,
                clients=args.clients,
                warmup=args.warmup,
                seconds=args.seconds,
                pid=process.pid,
                log=log,
                profile=args.profile,
                rebuild_path=args.after_sign_in or None,
            )
        )
        server["peak_rss"] = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = report(args, build, reused, results, server, log_file.read_text())
    if rebuild:
        text += (
            "\nOne request alone, after a write that moves the ledger version the "
            "page cache is keyed on:\n\n"
        )
        for r in rebuild:
            text += (
                f"- `{r.path}`: HTTP {r.first_status} in "
                f"{r.first_seconds * 1000:,.0f} ms\n"
            )
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
