"""Every string the interface shows has a Korean translation, and Korean pages
render Korean."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

import rightsledger.web
from rightsledger.domain import Role, StandardOfProof, Status
from rightsledger.web.failures import _TITLES
from rightsledger.web.i18n import negotiate, translator, untranslated
from rightsledger.web.nav import NAV

WEB = Path(rightsledger.web.__file__).parent
MARKED = re.compile(r"""\b_\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""")


def marked_strings() -> set[str]:
    """Every literal passed to ``_()`` in the web templates and route code, plus
    the values translated dynamically (statuses, standards, roles, nav, errors)."""
    found: set[str] = set()
    files = [*WEB.rglob("*.j2"), *WEB.rglob("*.py")]
    for path in files:
        if path.name == "i18n.py":  # its docstring shows examples, not UI text
            continue
        for single, double in MARKED.findall(path.read_text(encoding="utf-8")):
            found.add((single or double).replace("\\'", "'").replace('\\"', '"'))
    found |= {s.value for s in Status} | {s.value for s in StandardOfProof}
    found |= {r.value for r in Role} | {item.label for item in NAV}
    found |= set(_TITLES.values())
    return found


def test_every_marked_string_has_a_korean_translation() -> None:
    strings = marked_strings()
    assert len(strings) > 40  # the scan finds the templates' strings
    assert untranslated("ko", strings) == []


def test_placeholders_survive_translation() -> None:
    ko = translator("ko")
    text = ko(
        "Statuses after %(date)s come from a simulated scenario and describe no "
        "real event.",
        date="2026-11-28",
    )
    assert "2026-11-28" in text and "시뮬레이션" in text


def test_accept_language_is_negotiated() -> None:
    assert negotiate("ko-KR,ko;q=0.9,en;q=0.8") == "ko"
    assert negotiate("fr-FR, en;q=0.5") == "en"
    assert negotiate("fr") is None
    assert negotiate(None) is None


def test_a_user_chooses_korean_and_keeps_it(
    client_as: Callable[[Role], TestClient],
) -> None:
    client = client_as(Role.VIEWER)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    chosen = client.post(
        "/language",
        data={"lang": "ko", "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    client.cookies.delete("rl_lang")  # the choice is kept for the user, not the browser
    page = client.get("/").text
    assert '<html lang="ko">' in page
    assert "점검표" in page  # "Scorecard"


def test_language_choice_needs_the_csrf_token_when_signed_in(
    client_as: Callable[[Role], TestClient],
) -> None:
    client = client_as(Role.VIEWER)
    refused = client.post("/language", data={"lang": "ko", "csrf_token": "x"})
    assert refused.status_code == 403


def test_the_sign_in_page_follows_the_browser_language(anonymous: TestClient) -> None:
    page = anonymous.get("/login", headers={"accept-language": "ko-KR,ko;q=0.9"})
    assert '<html lang="ko">' in page.text
    assert "로그인" in page.text


def test_stored_identifiers_read_as_words_in_english() -> None:
    en = translator("en")
    assert en("no-progress") == "no progress"
    assert en("clear-and-convincing") == "clear and convincing"
    assert en("Scorecard") == "Scorecard"


def test_no_message_is_translated_in_two_files() -> None:
    """The catalogues are merged: a message in two files would silently take
    the later file's words, so each message lives in exactly one file."""
    folder = WEB / "locale" / "ko" / "LC_MESSAGES"
    where: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="ko"):
                if message.id:
                    where.setdefault(str(message.id), []).append(path.name)
    assert {m: files for m, files in where.items() if len(files) > 1} == {}
