"""Walking the web app as a person would: from the navigation bar, then into the
pages it links to (one or two of each kind), so that pages added later are walked
without changing the tests."""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Error as PlaywrightError

from .conftest import Visit

#: At most this many pages per walk, and per kind of page reached by a link
#: (same first path segment and depth: /benchmarks/a and /benchmarks/b are one
#: kind, drawn by one template). Every page of the navigation bar is walked.
MAX_PAGES = 25
PER_KIND = 1


@dataclass(frozen=True)
class Walked:
    """One page seen on a walk."""

    url: str
    status: int
    text: str  # what the page shows (its body's text), or the body of a non-page
    summary: str  # the start of the page's main part, to say what went wrong
    json: str | None  # the page's JSON twin, when it has one
    screenshot: str | None


def hrefs(visit: Visit, selector: str) -> list[str]:
    """The absolute URLs of the links matching ``selector``, without fragments."""
    found = visit.page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    return [str(url).split("#", 1)[0] for url in found]


def worth_walking(url: str, origin: str) -> bool:
    """Pages of this site; not static files, the API, JSON twins or sign-in."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    if parts.path.startswith(("/static/", "/api/")):
        return False
    if "format" in parse_qs(parts.query):
        return False
    return parts.path not in {"/login", "/logout", "/language"}


def kind_of(url: str) -> tuple[str, int]:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return (segments[0] if segments else "", len(segments))


def slug(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.strip("/").replace("/", "_") or "scorecard"
    return f"{name}_{parts.query}" if parts.query else name


def nav_links(visit: Visit) -> list[str]:
    """The navigation bar's pages, as the page itself lists them."""
    return list(dict.fromkeys(hrefs(visit, "header nav a[href]")))


def json_twin(visit: Visit, url: str) -> str | None:
    """The page's JSON twin (``?format=json``) as text, when it answers one."""
    joiner = "&" if urlsplit(url).query else "?"
    response = visit.context.request.get(f"{url}{joiner}format=json")
    if not response.ok or "json" not in response.headers.get("content-type", ""):
        return None
    return json.dumps(response.json(), ensure_ascii=False)


def see(visit: Visit, url: str, label: str, linked: bool) -> Walked:
    """Open one URL; pages are rendered and screenshotted, anything else (a PDF,
    a CSV) is fetched and its status kept."""
    if linked:
        head = visit.context.request.get(url)
        if "text/html" not in head.headers.get("content-type", ""):
            body = head.text()[:2000]
            return Walked(url, head.status, body, body[:300], None, None)
    try:
        response = visit.open(url)
    except PlaywrightError as e:
        why = f"the browser could not open it: {e}"
        return Walked(url, 0, why, why, None, None)
    shot = visit.shoot(f"{label}-{slug(url)}")
    return Walked(
        url,
        response.status,
        visit.page.inner_text("body"),
        " ".join(visit.page.inner_text("main").split())[:300],
        json_twin(visit, url),
        shot.name,
    )


def walk(visit: Visit, label: str) -> list[Walked]:
    """Every page of the navigation bar, then the pages they link to (breadth
    first, :data:`PER_KIND` of each kind, :data:`MAX_PAGES` in all)."""
    visit.open("/")
    queue = deque((url, False) for url in nav_links(visit))
    seen: set[str] = set()
    kinds: Counter[tuple[str, int]] = Counter()
    walked: list[Walked] = []
    while queue and len(walked) < MAX_PAGES:
        url, linked = queue.popleft()
        if url in seen or (linked and kinds[kind_of(url)] >= PER_KIND):
            continue
        seen.add(url)
        kinds[kind_of(url)] += 1
        page = see(visit, url, label, linked)
        walked.append(page)
        if page.screenshot is not None and page.status < 400:
            for link in hrefs(visit, "main a[href]"):
                if worth_walking(link, visit.base) and link not in seen:
                    queue.append((link, True))
    return walked
