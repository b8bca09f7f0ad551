"""Take the README's screenshot of the scorecard, as the demo's analyst sees it.

Builds the demo ledger (or reuses a demo folder), serves it on 127.0.0.1 for the
length of the run, signs in as the analyst through the sign-in form in Debian's
Chromium (never a downloaded browser), and writes a PNG 1280 pixels wide.

Usage:
    .venv/bin/python scripts/screenshot.py [--folder DIR] [--out PATH] [--lang ko]
        [--first-screen]

``--folder``: a demo folder from ``rightsledger demo`` to reuse (it holds
``ledger.sqlite`` and ``demo-users.txt``), or a new folder to build the demo in.
Without it the demo is built in a temporary folder and removed afterwards.
Needs Chromium and the Noto CJK fonts: ``scripts/system-deps.sh`` installs them.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

import uvicorn  # noqa: E402 - the environment variable must be set first
from playwright.sync_api import sync_playwright  # noqa: E402

from rightsledger.config import Settings  # noqa: E402
from rightsledger.demo import run_demo  # noqa: E402
from rightsledger.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WIDTH, HEIGHT = 1280, 800


def say(message: str) -> None:
    print(f"screenshot: {message}", file=sys.stderr)  # noqa: T201


def demo_folder(given: Path | None, scratch: Path) -> Path:
    """A folder holding a demo ledger: the given one, or one built now."""
    folder = given or scratch / "demo"
    if (folder / "ledger.sqlite").exists():
        say(f"reusing the demo ledger in {folder}")
        return folder
    say(f"building the demo ledger in {folder} (about half a minute)")
    run_demo(folder, progress=lambda step: say(step))
    return folder


def password_of(folder: Path, user: str) -> str:
    """The demo user's password, from the demo-users.txt the demo wrote."""
    for line in (folder / "demo-users.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) == 3 and fields[0] == user:
            return fields[2]
    raise SystemExit(f"no user {user!r} in {folder / 'demo-users.txt'}")


@contextmanager
def serving(database: Path) -> Iterator[str]:
    """Serve the ledger on a free port of 127.0.0.1; yields the base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = create_app(Settings(database_url=f"sqlite:///{database}"))
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()


def shoot(
    base: str, user: str, password: str, out: Path, *, lang: str, full: bool
) -> None:
    """Sign in through the form and screenshot the scorecard."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run scripts/system-deps.sh")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=base, viewport={"width": WIDTH, "height": HEIGHT}, locale="en-GB"
        )
        page = context.new_page()
        page.goto("/login")
        page.fill("form[action='/login'] input[name=user]", user)
        page.fill("form[action='/login'] input[name=password]", password)
        with page.expect_navigation(wait_until="load"):
            page.click("form[action='/login'] button[type=submit]")
        if page.url.rstrip("/") != base:
            raise SystemExit(f"signing in as {user} failed: {page.inner_text('main')}")
        if lang != "en":
            with page.expect_navigation(wait_until="load"):
                page.click(f"form.lang button[value={lang}]")
        page.wait_for_selector("#scorecard")
        page.evaluate("document.fonts.ready")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=full)
        browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="demo folder to reuse or build")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "images" / "scorecard.png"
    )
    parser.add_argument("--user", default="analyst", help="demo user to sign in as")
    parser.add_argument("--lang", default="en", choices=["en", "ko"])
    parser.add_argument(
        "--first-screen",
        action="store_true",
        help=f"only the first {WIDTH}x{HEIGHT} screen, not the full page",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rightsledger-shot-") as scratch:
        folder = demo_folder(args.folder, Path(scratch))
        password = password_of(folder, args.user)
        with serving(folder / "ledger.sqlite") as base:
            shoot(
                base,
                args.user,
                password,
                args.out,
                lang=args.lang,
                full=not args.first_screen,
            )
    say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
