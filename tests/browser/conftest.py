"""Browser fixtures: a demo ledger served by uvicorn on 127.0.0.1, and Debian's
Chromium driven by Playwright (never a downloaded browser).

Built once per session: a small demo scenario (assessments, estimates and a link
review queue), the web app serving it in a background thread, and one Chromium.
Each test gets a new browser context (no cookies carried over) with a `Watch` on
every request and console message, and saves full-page screenshots to
``test-artifacts/screenshots/``.

Chromium comes from the system (``scripts/system-deps.sh`` installs it;
``RIGHTSLEDGER_CHROMIUM`` names another binary); if it is missing the tests fail
rather than skip, so that CI cannot pass without them.
"""

from __future__ import annotations

import csv
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Playwright,
    Request,
    Response,
    sync_playwright,
)
from pydantic import SecretStr
from starlette.routing import Match

from rightsledger.config import Settings
from rightsledger.demo import DemoResult, run_demo
from rightsledger.domain import Role
from rightsledger.ledger import Ledger
from rightsledger.simulate import ScenarioConfig
from rightsledger.web import create_app

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path(os.environ.get("RIGHTSLEDGER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

#: A small scenario: two simulated years, 150 people per camp. It still gives
#: assessments on three dates, yearly estimates and a few dozen pairs to review,
#: and builds in about ten seconds.
SMALL_SCENARIO = ScenarioConfig(
    years=2,
    initial_population=dict.fromkeys(
        ("kwanliso-14", "kwanliso-15", "kwanliso-16", "kwanliso-25"), 150
    ),
)

#: A user who switches the interface to Korean: a language choice is remembered
#: per user, so it must not be one of the users the other tests sign in as.
KOREAN_READER = "reader-ko"


@dataclass(frozen=True)
class Demo:
    """The demo ledger built for the session, and who may sign in to it."""

    result: DemoResult
    settings: Settings
    users: dict[Role, tuple[str, str]]  # role -> (user name, password)
    korean_reader: tuple[str, str]
    names: frozenset[str]  # every synthetic person's name as lists spell it

    def open_as(self, role: Role) -> Ledger:
        """Open the ledger on the command-line path as the demo user of ``role``."""
        user, password = self.users[role]
        values = {"actor": user, "password": SecretStr(password)}
        return Ledger.open(self.settings.model_copy(update=values))


def synthetic_names(scenario: Path) -> frozenset[str]:
    """Every name in the scenario: as each list spelled it, and the true one."""
    names: set[str] = set()
    with (scenario / "records.csv").open(encoding="utf-8") as fh:
        names |= {row["full_name"].strip() for row in csv.DictReader(fh)}
    with (scenario / "truth" / "people.csv").open(encoding="utf-8") as fh:
        names |= {row["name"].strip() for row in csv.DictReader(fh)}
    return frozenset(n for n in names if n)


def name_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Matches any of ``names`` as a whole word (a Hangul name inside a longer
    Korean word of the interface is not a hit)."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The small demo scenario, stored, linked, estimated and assessed."""
    folder = tmp_path_factory.mktemp("browser") / "demo"
    result = run_demo(folder, config=SMALL_SCENARIO)
    settings = Settings(database_url=f"sqlite:///{result.database}")
    users = {
        role: (name, result.passwords[name]) for name, role in result.users.items()
    }
    reader = (KOREAN_READER, f"{KOREAN_READER}-password")
    admin, admin_password = users[Role.ADMIN]
    values = {"actor": admin, "password": SecretStr(admin_password)}
    with Ledger.open(settings.model_copy(update=values)) as ledger:
        ledger.add_user(reader[0], Role.ANALYST, password=reader[1])
    return Demo(result, settings, users, reader, synthetic_names(folder / "scenario"))


@pytest.fixture(scope="session")
def names_seen(demo: Demo) -> re.Pattern[str]:
    return name_pattern(demo.names)


@dataclass(frozen=True)
class Served:
    """The running web app: its address and the app (for its route table)."""

    base: str
    app: FastAPI

    def has_route(self, path: str) -> bool:
        """Whether the app answers GET ``path`` with a route of its own."""
        scope: dict[str, object] = {"type": "http", "method": "GET", "path": path}
        scope |= {"root_path": "", "headers": [], "query_string": b""}
        return any(
            route.matches(scope)[0] is Match.FULL for route in self.app.router.routes
        )


@pytest.fixture(scope="session")
def live_server(demo: Demo) -> Iterator[Served]:
    """The web app serving the demo ledger in a background thread.

    The app is ``create_app(settings)`` exactly as ``rightsledger serve`` builds
    it (Secure cookies included: browsers send them to http://localhost).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = create_app(demo.settings)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    try:
        yield Served(f"http://localhost:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium; the tests fail when it is missing (never downloaded)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh")
    launched = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@dataclass
class Watch:
    """What a browser context did that it should not: requests to another origin,
    Content-Security-Policy violations, script errors, missing assets."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def response(self, response: Response) -> None:
        """A style sheet, script, image or font that did not load (pages
        themselves are checked by the tests; the browser's own favicon probe is
        not ours)."""
        request = response.request
        if request.resource_type == "document" or request.url.endswith("/favicon.ico"):
            return
        if response.status >= 400:
            self.broken.append(f"{response.status} {request.url}")

    def failed(self, request: Request) -> None:
        """A request the browser gave up on (blocked, refused, cut off); not an
        htmx request cut off because the test moved on to the next page."""
        polling = request.resource_type in {"xhr", "fetch"}
        if polling and request.failure == "net::ERR_ABORTED":
            return
        if not request.url.endswith("/favicon.ico"):
            self.broken.append(f"{request.failure} {request.url}")

    def console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            self.script_errors.append(text)

    def page_error(self, error: Exception) -> None:
        self.script_errors.append(str(error))

    def problems(self) -> list[str]:
        return (
            [f"request to another origin: {u}" for u in self.foreign]
            + [f"CSP violation: {t}" for t in self.csp]
            + [f"script error: {t}" for t in self.script_errors]
            + [f"asset did not load: {t}" for t in self.broken]
        )


class Visit:
    """One test's browser context: sign in, open pages, take screenshots."""

    def __init__(self, context: BrowserContext, base: str, watch: Watch) -> None:
        self.context = context
        self.base = base
        self.watch = watch
        self.page = context.new_page()
        self.page.on("pageerror", watch.page_error)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base}{path}"

    def open(self, path: str) -> Response:
        """Go to ``path``; the response (never None for a navigation)."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, path
        return response

    def sign_in(self, user: str, password: str) -> None:
        """Sign in through the form, as a person would."""
        self.open("/login")
        self.page.fill("form[action='/login'] input[name=user]", user)
        self.page.fill("form[action='/login'] input[name=password]", password)
        with self.page.expect_navigation(wait_until="load"):
            self.page.click("form[action='/login'] button[type=submit]")
        assert urlsplit(self.page.url).path != "/login", (
            f"{user} could not sign in: {self.page.inner_text('main')}"
        )
        assert user in self.page.inner_text("header .who")

    def shoot(self, name: str) -> Path:
        """A full-page screenshot, kept as a test artifact."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def assert_clean(self) -> None:
        problems = self.watch.problems()
        assert not problems, "\n".join(problems)


@pytest.fixture
def visit(browser: Browser, live_server: Served) -> Iterator[Visit]:
    """A fresh browser context (1280 wide, English) watched for foreign requests,
    CSP violations and script errors."""
    context = browser.new_context(
        base_url=live_server.base,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
    )
    context.set_default_timeout(20_000)
    watch = Watch(origin=live_server.base)
    context.on("request", watch.request)
    context.on("console", watch.console)
    context.on("response", watch.response)
    context.on("requestfailed", watch.failed)
    try:
        yield Visit(context, live_server.base, watch)
    finally:
        context.close()
