"""The load generator of the web benchmark: signed-in httpx clients that request
one path at a time, concurrently, for a fixed time, and what the server's
processes used meanwhile (the server and, with several workers, uvicorn's
supervisor and its children: CPU from ``/proc/<pid>/stat``, peak memory from
``VmHWM``, summed over the process tree).

Each client signs in through the sign-in form once (the double-submit token of
the form, then the session cookie it gets back) and keeps its own keep-alive
connection. Cookies are sent by hand: the app marks them ``Secure``, and a
client library keeps ``Secure`` cookies off plain http (browsers make an
exception for localhost, which httpx does not). Paths under ``/api/`` are asked
with the user's API token instead, as a script would.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import httpx2 as httpx

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class PathResult:
    """One path under load: latencies of the answered requests (seconds), the
    count of each status, and what the server and this process used meanwhile."""

    path: str
    first_status: int
    first_seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    load: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return self.requests - self.statuses.get("200", 0)

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0..1) of the latencies, nearest rank, in ms."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000


@dataclass
class Visitor:
    """One client: its connection and the headers that sign it in."""

    client: httpx.AsyncClient
    session: dict[str, str]
    token: dict[str, str]

    def headers(self, path: str) -> dict[str, str]:
        return self.token if path.startswith("/api/") else self.session


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, parents first (from
    ``/proc/<pid>/task/*/children``); processes that ended meanwhile are left
    out."""
    found = [pid]
    for parent in found:  # grows while it is walked
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                found += [int(c) for c in children.read_text().split()]
            except OSError:  # the thread or the process ended
                continue
    return found


def _own_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its descendants (all
    their threads)."""
    total = 0.0
    for each in process_tree(pid):
        try:
            total += _own_cpu(each)
        except OSError:  # ended meanwhile
            continue
    return total


def _peak_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _label(pid: int, root: int) -> str:
    """What a process of the server's tree is, from its command line."""
    words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    line = b" ".join(words).decode(errors="replace")
    if "resource_tracker" in line:
        return "resource tracker"
    if "spawn_main" in line or "forkserver" in line:
        return "worker"
    return "server" if pid == root else Path(words[0].decode()).name


def peak_rss_by_process(pid: int) -> list[tuple[int, str, float]]:
    """Peak resident memory so far (``VmHWM``, MB) of process ``pid`` and of each
    descendant: (pid, what it is, MB), parents first."""
    out = []
    for each in process_tree(pid):
        try:
            out.append((each, _label(each, pid), _peak_rss(each)))
        except OSError:  # ended meanwhile
            continue
    return out


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of ``pid``'s process tree: the sum of each
    process's own peak (an upper bound of what they held at one moment), in MB."""
    return sum(mb for _, _, mb in peak_rss_by_process(pid))


def _cookie(response: httpx.Response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar:
            return jar[name].value
    raise RuntimeError(f"no {name} cookie in the answer ({response.status_code})")


async def sign_in(
    base: str, user: str, password: str, token: str, timeout: float
) -> Visitor:
    """A client signed in through the form (GET /login, POST /login)."""
    client = httpx.AsyncClient(base_url=base, timeout=timeout)
    form = await client.get("/login")
    found = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    if form.status_code != 200 or found is None:
        raise RuntimeError(f"no sign-in form at /login ({form.status_code})")
    login_csrf = _cookie(form, "rl_login_csrf")
    done = await client.post(
        "/login",
        data={"user": user, "password": password, "login_csrf": found.group(1)},
        headers={"Cookie": f"rl_login_csrf={login_csrf}"},
    )
    if done.status_code != 303:
        raise RuntimeError(f"sign-in failed: HTTP {done.status_code}")
    session = {"Cookie": f"rl_session={_cookie(done, 'rl_session')}"}
    return Visitor(client, session, {"Authorization": f"Bearer {token}"})


async def signed_in_get(
    base: str, credentials: tuple[str, str, str], path: str, timeout: float
) -> int:
    """Sign a new client in and ask for ``path`` once (waiting up to ``timeout``
    seconds for each answer); returns the status."""
    visitor = await sign_in(base, *credentials, timeout=timeout)
    try:
        answer = await visitor.client.get(path, headers=visitor.headers(path))
    finally:
        await visitor.client.aclose()
    return answer.status_code


async def _worker(
    visitor: Visitor, path: str, until: float, result: PathResult | None
) -> None:
    headers = visitor.headers(path)
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            answer = await visitor.client.get(path, headers=headers)
            status = str(answer.status_code)
        except httpx.HTTPError as e:
            status = type(e).__name__
        if result is None:
            continue
        result.statuses[status] += 1
        if status == "200":
            result.latencies.append(time.perf_counter() - started)


def start_profiler(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling every thread of the server (and of its worker processes)
    for ``seconds``, as collapsed
    stacks (one line per stack and its sample count) in ``out``."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    command = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds))]
    command += ["--rate", "200", "--format", "raw", "--nonblocking", "--subprocesses"]
    command += ["-o", str(out)]
    # py-spy on the server we started: no outside input in the command
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603


async def load_path(
    visitors: list[Visitor],
    path: str,
    warmup: float,
    seconds: float,
    pid: int,
    profile: Path | None = None,
) -> PathResult:
    """One request alone (the first: it may build a cache), ``warmup`` seconds of
    load that is not counted, then ``seconds`` of load by every visitor (sampled
    by py-spy into ``profile`` when given)."""
    first = visitors[0]
    started = time.perf_counter()
    answer = await first.client.get(path, headers=first.headers(path))
    result = PathResult(path, answer.status_code, time.perf_counter() - started)
    if answer.status_code != 200:
        return result
    until = time.perf_counter() + warmup
    await asyncio.gather(*(_worker(v, path, until, None) for v in visitors))
    result.load = os.getloadavg()[0]
    spy = None if profile is None else start_profiler(pid, seconds, profile)
    server, client = cpu_seconds(pid), time.process_time()
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_worker(v, path, until, result) for v in visitors))
    if spy is not None:
        await asyncio.to_thread(spy.wait)
    result.seconds = time.perf_counter() - started
    result.server_cpu = cpu_seconds(pid) - server
    result.client_cpu = time.process_time() - client
    return result


async def run_load(
    base: str,
    credentials: tuple[str, str, str],
    paths: list[str],
    *,
    clients: int,
    warmup: float,
    seconds: float,
    pid: int,
    log: object,
    profile: Path | None = None,
    rebuild_path: str | None = None,
) -> tuple[list[PathResult], list[PathResult]]:
    """Sign ``clients`` clients in, then load each path in turn (profiled into
    the folder ``profile`` when given, one file per path); last, when
    ``rebuild_path`` is given, time that path once after a new sign-in and once
    after a request with an unknown API token."""
    user, password, token = credentials
    visitors = [
        await sign_in(base, user, password, token, timeout=600) for _ in range(clients)
    ]
    results: list[PathResult] = []
    rebuild: list[PathResult] = []
    try:
        for path in paths:
            out = None
            if profile is not None:
                out = profile / (
                    re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
                )
                out = out.with_suffix(".txt")
            result = await load_path(visitors, path, warmup, seconds, pid, out)
            results.append(result)
            if callable(log):
                log(
                    f"  {path}: first {result.first_status} in "
                    f"{result.first_seconds * 1000:.0f} ms; {result.requests} requests"
                )
        if rebuild_path is not None:
            rebuild = [
                await after_sign_in(base, credentials, visitors[0], rebuild_path),
                await after_bad_token(visitors[0], rebuild_path),
            ]
    finally:
        for v in visitors:
            await v.client.aclose()
    return results, rebuild


async def after_sign_in(
    base: str, credentials: tuple[str, str, str], visitor: Visitor, path: str
) -> PathResult:
    """The time of one request for ``path`` right after another client signs in
    (a sign-in writes to the custody log; it should not make a cached page be
    built again)."""
    other = await sign_in(base, *credentials, timeout=600)
    await other.client.aclose()
    return await _timed_after_write(visitor, path, "after a sign-in")


async def after_bad_token(visitor: Visitor, path: str) -> PathResult:
    """The same after one API request with an unknown token (answered 401; the
    refusal is logged, another write that is not a change of data)."""
    bogus = {"Authorization": "Bearer not-a-token"}
    refused = await visitor.client.get("/api/v1/benchmarks", headers=bogus)
    label = f"after an unknown API token (HTTP {refused.status_code})"
    return await _timed_after_write(visitor, path, label)


async def _timed_after_write(visitor: Visitor, path: str, label: str) -> PathResult:
    await asyncio.sleep(1.0)  # past any version recheck interval of the cache
    started = time.perf_counter()
    answer = await visitor.client.get(path, headers=visitor.headers(path))
    seconds = time.perf_counter() - started
    return PathResult(f"{path} {label}", answer.status_code, seconds)
