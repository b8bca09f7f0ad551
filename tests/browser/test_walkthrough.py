"""The web app in Debian's Chromium: every role signs in through the form and walks
every page the navigation offers; analysts and viewers never see a name; nothing
loads from another origin and the Content-Security-Policy is never violated; the
Korean interface renders Hangul with a CJK font."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rightsledger.access import Actor
from rightsledger.catalogue import load_catalogue
from rightsledger.domain import Role
from rightsledger.web.i18n import translator
from rightsledger.web.nav import nav_for

from .conftest import Demo, Served, Visit
from .walk import Walked, nav_links, walk

pytestmark = pytest.mark.browser

NAMELESS = (Role.ANALYST, Role.VIEWER)


def failures(walked: list[Walked]) -> list[str]:
    return [
        f"{page.url} answered {page.status}: {page.summary}"
        for page in walked
        if not 200 <= page.status < 400
    ]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_signs_in_and_walks_every_page(
    visit: Visit, demo: Demo, names_seen: re.Pattern[str], role: Role
) -> None:
    user, password = demo.users[role]
    visit.sign_in(user, password)
    expected_nav = {item.path for item in nav_for(Actor(user, role))}
    offered = {url.removeprefix(visit.base) for url in nav_links(visit)}
    assert offered == expected_nav

    walked = walk(visit, role.value)

    paths = [p.url.removeprefix(visit.base) for p in walked]
    assert set(paths) >= expected_nav
    assert any(path.startswith("/benchmarks/") for path in paths), "walk stayed in nav"
    broken = failures(walked)
    assert not broken, "pages that failed:\n" + "\n".join(broken)
    if role in NAMELESS:
        for page in walked:
            for shown in (page.text, page.json or ""):
                hit = names_seen.search(shown)
                assert hit is None, f"{role.value} saw {hit[0]!r} on {page.url}"
    visit.assert_clean()


def test_investigators_do_see_names(
    visit: Visit, demo: Demo, live_server: Served, names_seen: re.Pattern[str]
) -> None:
    """The other side of the name check: the review queue shows investigators
    the names, so the names the check looks for are the ones pages would show."""
    if not live_server.has_route("/review"):
        pytest.skip("create_app serves no GET /review (the link review queue)")
    visit.sign_in(*demo.users[Role.INVESTIGATOR])
    assert visit.open("/review").ok
    assert names_seen.search(visit.page.inner_text("main"))


def test_the_watch_catches_other_origins_and_csp_violations(
    visit: Visit, demo: Demo, live_server: Served
) -> None:
    """The other side of the clean walks: what the watch must report."""
    visit.sign_in(*demo.users[Role.VIEWER])
    visit.page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'https://tiles.example.invalid/0/0/0.png';
            document.body.appendChild(img);
            document.querySelector('main').setAttribute('style', 'color: red');
            const css = document.createElement('link');
            css.rel = 'stylesheet';
            css.href = '/static/no-such-sheet.css';
            document.head.appendChild(css);
        }"""
    )
    visit.page.wait_for_timeout(500)
    assert any("no-such-sheet.css" in t for t in visit.watch.broken), visit.watch
    assert any("img-src" in text for text in visit.watch.csp), visit.watch.csp
    assert any("style-src" in text for text in visit.watch.csp), visit.watch.csp
    other = live_server.base.replace("localhost", "127.0.0.1")
    visit.open(f"{other}/login")
    assert any(url.startswith(other) for url in visit.watch.foreign)


def test_korean_interface_renders_hangul_with_a_cjk_font(
    visit: Visit, demo: Demo
) -> None:
    visit.sign_in(*demo.korean_reader)
    with visit.page.expect_navigation(wait_until="load"):
        visit.page.click("form.lang button[value=ko]")
    ko = translator("ko")
    assert visit.page.get_attribute("html", "lang") == "ko"
    heading = visit.page.inner_text("main h1")
    assert heading == ko("Scorecard") and heading != "Scorecard"
    first = load_catalogue().benchmarks[0]
    assert first.title_ko and first.title_ko in visit.page.inner_text("#scorecard")
    visit.shoot("scorecard-ko")

    for selector in ("main h1", f"#row-{first.id} a [lang=ko]"):
        fonts = platform_fonts(visit, selector)
        hangul = len(re.findall(r"[\uac00-\ud7a3]", visit.page.inner_text(selector)))
        cjk = sum(int(f["glyphCount"]) for f in fonts if is_cjk_font(f["familyName"]))
        assert hangul > 0
        assert cjk >= hangul, f"{selector} drawn with {fonts}, not a CJK font"
    assert hangul_is_not_tofu(visit)
    visit.assert_clean()


def is_cjk_font(family: object) -> bool:
    return bool(re.search(r"CJK|Noto Sans KR|Nanum|Gothic|Malgun|Gulim", str(family)))


def platform_fonts(visit: Visit, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium really drew a node's text with (DevTools protocol)."""
    cdp = visit.context.new_cdp_session(visit.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
    fonts: list[dict[str, Any]] = cdp.send(
        "CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}
    )["fonts"]
    cdp.detach()
    return fonts


def hangul_is_not_tofu(visit: Visit) -> bool:
    """Distinct Hangul syllables have distinct shapes; missing glyphs (tofu) are
    all one box. Drawn in the page's font, their pixels must differ."""
    return bool(
        visit.page.evaluate(
            """() => {
                const font = getComputedStyle(document.body).font;
                const draw = (text) => {
                    const c = document.createElement('canvas');
                    c.width = 64; c.height = 64;
                    const g = c.getContext('2d');
                    g.font = font.replace(/\\d+px/, '40px');
                    g.fillText(text, 4, 48);
                    return c.toDataURL();
                };
                const a = draw('점'), b = draw('검'), box = draw('\\u{10FFFD}');
                return a !== b && a !== box && b !== box;
            }"""
        )
    )
