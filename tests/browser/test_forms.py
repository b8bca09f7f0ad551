"""The web app's forms in Debian's Chromium: an investigator files a source and
accepts a link in the review queue; an analyst checks an agreement text. Each
result is checked in the ledger (or against the coverage engine), not only on
the page."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator

from rightsledger.catalogue import load_catalogue, load_matching
from rightsledger.domain import Role
from rightsledger.texts.matching import check_coverage
from rightsledger.vault.custody import CustodyEntry

from .conftest import Demo, Served, Visit

pytestmark = pytest.mark.browser

#: A deal text with two clear commitments (numbered clauses).
DEAL_TEXT = (
    "1. The DPRK shall release all political prisoners within six months.\n"
    "2. The DPRK shall grant the ICRC access to all places of detention.\n"
)

FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button])"
    ":not([type=reset]):not([type=search]), select, textarea"
)


def form_with(visit: Visit, inner: str) -> Locator:
    """The page's main form that holds ``inner`` (not the header's forms)."""
    forms = visit.page.locator("main form").filter(has=visit.page.locator(inner))
    assert forms.count() >= 1, f"no form with {inner} on {visit.page.url}"
    return forms.first


def fill_field(field: Locator, marker: str) -> None:
    """Give one form field a plausible value that carries ``marker``."""
    tag = field.evaluate("e => e.tagName.toLowerCase()")
    kind = (field.get_attribute("type") or "text").lower()
    if tag == "select":
        values = field.locator("option").evaluate_all(
            "options => options.map(o => o.value).filter(v => v)"
        )
        if values and not field.input_value():
            field.select_option(values[0])
    elif kind in {"checkbox", "file"}:
        return
    elif kind == "radio":
        name = field.get_attribute("name")
        group = field.page.locator(f"main input[type=radio][name='{name}']")
        if not any(group.nth(i).is_checked() for i in range(group.count())):
            field.check()
    elif kind == "date":
        field.fill("2026-01-15")
    elif kind == "number":
        field.fill(field.get_attribute("min") or "1")
    elif kind == "url":
        field.fill(f"https://example.org/{marker}")
    elif tag == "textarea":
        field.fill(f"{marker}: filed by the browser test.")
    elif field.get_attribute("pattern") or field.get_attribute("name") in {"id"}:
        field.fill(marker)
    else:
        field.fill(f"Browser test {marker}")


def fill_form(form: Locator, marker: str) -> None:
    """Fill every visible field the page left empty (choices: the first one)."""
    fields = form.locator(FIELDS)
    for i in range(fields.count()):
        field = fields.nth(i)
        if not (field.is_visible() and field.is_enabled()):
            continue
        kind = (field.get_attribute("type") or "").lower()
        if kind in {"radio", "checkbox"} or not field.input_value():
            fill_field(field, marker)


def submit(visit: Visit, form: Locator) -> None:
    """Press the form's submit button and wait for what it loads."""
    button = form.locator("button:not([type=button]), input[type=submit]").last
    with visit.page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    assert posted.value.status < 400, posted.value.text()[:500]
    visit.page.wait_for_load_state("load")


def test_an_investigator_files_a_source_through_the_form(
    visit: Visit, demo: Demo, live_server: Served
) -> None:
    if not live_server.has_route("/sources/new"):
        pytest.skip("create_app serves no GET /sources/new (the intake form)")
    visit.sign_in(*demo.users[Role.INVESTIGATOR])
    assert visit.open("/sources/new").ok
    visit.shoot("investigator-sources-new")
    marker = f"browser-{uuid.uuid4().hex[:8]}"
    form = form_with(visit, "[name=title]")
    fill_form(form, marker)
    submit(visit, form)
    visit.shoot("investigator-sources-new-filed")
    assert marker in visit.page.inner_text("main")
    with demo.open_as(Role.INVESTIGATOR) as ledger:
        filed = [s for s in ledger.sources().values() if marker in s.title]
    assert len(filed) == 1, "the source is not in the ledger"
    visit.assert_clean()


def test_an_investigator_accepts_a_link_in_the_review_queue(
    visit: Visit, demo: Demo, live_server: Served
) -> None:
    if not live_server.has_route("/review"):
        pytest.skip("create_app serves no GET /review (the link review queue)")
    with demo.open_as(Role.ANALYST) as ledger:
        before = ledger.link_decisions()
    visit.sign_in(*demo.users[Role.INVESTIGATOR])
    assert visit.open("/review").ok
    visit.shoot("investigator-review-before")
    accept = visit.page.locator("main form button").filter(
        has_text=re.compile(r"accept|same person|match", re.IGNORECASE)
    )
    assert accept.count() > 0, "no accept button in the review queue"
    with visit.page.expect_response(lambda r: r.request.method == "POST") as posted:
        accept.first.click()
    assert posted.value.status < 400, posted.value.text()[:500]
    visit.page.wait_for_load_state("load")
    visit.shoot("investigator-review-after")
    with demo.open_as(Role.ANALYST) as ledger:
        after = ledger.link_decisions()
    assert len(after) == len(before) + 1
    assert after[-1].accept is True
    actions = [e.action for e in ledger_custody(demo)]
    assert actions.count("accept-link") == sum(d.accept for d in after)
    visit.assert_clean()


def ledger_custody(demo: Demo) -> list[CustodyEntry]:
    with demo.open_as(Role.ADMIN) as ledger:
        return ledger.custody()


def test_an_analyst_checks_an_agreement_text(
    visit: Visit, demo: Demo, live_server: Served
) -> None:
    if not live_server.has_route("/agreements"):
        pytest.skip("create_app serves no GET /agreements (the agreements page)")
    catalogue = load_catalogue()
    report = check_coverage(DEAL_TEXT, catalogue.benchmarks, load_matching())
    bound = [b for b in catalogue.benchmarks if b.id in report.bound]
    assert len(bound) == 2  # the text's two commitments, by the same engine
    visit.sign_in(*demo.users[Role.ANALYST])
    assert visit.open("/agreements").ok
    form = form_with(visit, "textarea")
    form.locator("textarea").first.fill(DEAL_TEXT)
    fill_form(form, "browser-deal")
    submit(visit, form)
    visit.shoot("analyst-agreement-checked")
    shown = " ".join(visit.page.inner_text("main").split())
    assert "release all political prisoners" in shown
    for benchmark in catalogue.benchmarks:  # each row says bound or not, rightly
        row = visit.page.locator("main tr").filter(has_text=benchmark.title).first
        said = " ".join(row.inner_text().split()).lower()
        bound_here = re.search(r"\bbound\b", said) is not None
        assert bound_here == (benchmark.id in report.bound), (benchmark.id, said)
    visit.assert_clean()
