"""The server's life in the web benchmark: start it (``_web_server.py`` in its own
process), wait until it is ready, stop it with every process it started; and wait
for a quieter machine before a measurement.

"Ready" means what a visitor needs: the server listens (``/login`` answers), a
newly signed-in client's ``GET /`` answers 200 (with ``warm=True`` the scorecard
is built at start, and that request waits for the build), and the server's
process tree has gone idle (with several workers, every worker has finished its
own warm-up, not only the one that answered).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from _web_load import cpu_seconds, process_tree, signed_in_get

HERE = Path(__file__).resolve().parent
#: How long the server may take to listen, to answer ``GET /``, to go idle.
LIMIT = 600.0
#: CPU seconds per second of wall time below which the server tree is idle.
IDLE = 0.1


class TreeWatch(threading.Thread):
    """Every process seen in the server's tree, polled twice a second (uvicorn's
    supervisor replaces a worker that misses its health check: each replacement
    is a new process id)."""

    def __init__(self, pid: int) -> None:
        super().__init__(name="tree-watch", daemon=True)
        self.pid = pid
        self.seen: set[int] = set()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.seen.update(process_tree(self.pid))

    def count(self) -> int:
        """Processes seen so far besides the server itself."""
        return len(self.seen - {self.pid})


def start_server(
    folder: Path,
    port: int,
    routers: list[str],
    workers: tuple[int, int],
    log_file: Path,
) -> tuple[subprocess.Popen[bytes], float, TreeWatch]:
    """The server process (with several workers, uvicorn's supervisor), once it
    listens; the seconds it took; and the watch of its process tree. ``workers``
    is the number of processes and uvicorn's worker health-check timeout. Its
    output (warnings, tracebacks of failed requests) goes to ``log_file``."""
    command = [sys.executable, str(HERE / "_web_server.py"), "--folder", str(folder)]
    command += ["--port", str(port), "--workers", str(workers[0])]
    command += ["--healthcheck", str(workers[1]), "--routers", *routers]
    with log_file.open("wb") as out:
        # our own helper script and options: no outside input in the command
        server = subprocess.Popen(command, stdout=out, stderr=out)  # noqa: S603
    started = time.perf_counter()
    watch = TreeWatch(server.pid)
    watch.start()
    while time.perf_counter() - started < LIMIT:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code:
                return server, time.perf_counter() - started, watch
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"the server did not answer within {LIMIT:g} s")


def wait_ready(
    base: str, credentials: tuple[str, str, str], server: subprocess.Popen[bytes]
) -> None:
    """Return once a newly signed-in client's ``GET /`` answers 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < LIMIT:
        try:
            status = asyncio.run(signed_in_get(base, credentials, "/", LIMIT))
        except (httpx.HTTPError, RuntimeError) as e:  # a worker still starting
            if server.poll() is not None:
                stopped = f"the server stopped (exit {server.returncode})"
                raise SystemExit(stopped) from e
            time.sleep(1.0)
            continue
        if status == 200:
            return
        raise SystemExit(f"a signed-in GET / answered HTTP {status}")
    raise SystemExit(f"no signed-in GET / answered within {LIMIT:g} s")


def wait_idle(pid: int) -> float:
    """Wait until the process tree of ``pid`` uses less than ``IDLE`` of a core
    over one second; returns its CPU seconds so far."""
    started = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - started < LIMIT:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now - before < IDLE:
            return now
        before = now
    raise SystemExit(f"the server was still busy after {LIMIT:g} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (by their ids)."""
    started = process_tree(server.pid)[1:]
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)
    for pid in started:  # the supervisor stops its workers; in case it did not
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def wait_for_load(below: float, until: str, log: Callable[[str], None]) -> float:
    """Poll the 1-minute load average every 60 s until it is below ``below`` or
    the UTC clock passes ``until`` ("HH:MM", today); returns the seconds waited.
    ``below`` <= 0 does not wait."""
    started = time.perf_counter()
    deadline = None
    if until:
        hours, minutes = (int(x) for x in until.split(":"))
        deadline = datetime.now(UTC).replace(
            hour=hours, minute=minutes, second=0, microsecond=0
        )
    while below > 0 and os.getloadavg()[0] >= below:
        now = datetime.now(UTC)
        if deadline is not None and now >= deadline:
            log(f"load {os.getloadavg()[0]:.2f} at {until} UTC: not waiting longer")
            break
        log(f"load {os.getloadavg()[0]:.2f} at {now:%H:%M:%S} UTC; waiting 60 s")
        time.sleep(60)
    return time.perf_counter() - started
