"""The page cache: keyed on the data version, rebuilt once in the background,
the previous entry served while a slow rebuild runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import delete

from rightsledger.access import Actor
from rightsledger.domain import Role
from rightsledger.ledger import Ledger
from rightsledger.store.tables import Meta
from rightsledger.web.cache import PageCache


class Versions:
    def __init__(self) -> None:
        self.now = 1

    def __call__(self) -> int:
        return self.now


def test_a_value_is_reused_while_the_version_stays() -> None:
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    cache = PageCache(Versions(), recheck=0)
    for _ in range(3):
        assert cache.get("k", build) == 1
    assert builds == [1]


def test_concurrent_requests_share_one_build() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def build() -> str:
        calls.append(1)
        gate.wait(5)
        return "built"

    cache = PageCache(Versions(), recheck=0)
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", build)))
        for _ in range(5)
    ]
    for t in threads:
        t.start()
    time.sleep(0.1)
    gate.set()
    for t in threads:
        t.join()
    assert results == ["built"] * 5 and calls == [1]


def test_a_slow_rebuild_serves_the_previous_value_then_the_new_one() -> None:
    versions = Versions()
    cache = PageCache(versions, recheck=0, fresh_wait=0.05)
    assert cache.get_marked("k", lambda: "v1") == ("v1", False)
    versions.now = 2
    gate = threading.Event()

    def slow() -> str:
        gate.wait(5)
        return "v2"

    assert cache.get_marked("k", slow) == ("v1", True)  # stale, not blocked
    assert cache.get_marked("k", slow) == ("v1", True)  # one build runs, not two
    gate.set()
    deadline = time.monotonic() + 5
    while cache.get_marked("k", slow) != ("v2", False):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_fast_rebuild_answers_fresh() -> None:
    versions = Versions()
    cache = PageCache(versions, recheck=0, fresh_wait=2)
    cache.get("k", lambda: "v1")
    versions.now = 2
    assert cache.get_marked("k", lambda: "v2") == ("v2", False)


def test_a_failed_build_raises_in_the_request() -> None:
    cache = PageCache(Versions(), recheck=0)

    def broken() -> str:
        raise ValueError("no")

    try:
        cache.get("k", broken)
    except ValueError as e:
        assert str(e) == "no"
    else:
        raise AssertionError("the build's error must reach the caller")
    assert cache.get("k", lambda: "ok") == "ok"  # and the next one builds again


def test_sign_ins_and_refusals_leave_the_data_version(
    web_ledger: Ledger, client_as: Callable[[Role], TestClient]
) -> None:
    before = web_ledger.logins.version()
    client = client_as(Role.VIEWER)
    assert client.get("/records").status_code == 403  # a logged refusal
    web_ledger.issue_token("web-viewer")
    viewer = web_ledger.acting_as(Actor("web-viewer", Role.VIEWER))
    viewer.logins.set_locale(viewer.actor, "ko")
    assert web_ledger.logins.version() == before
    web_ledger.load_catalogue()  # a change of data moves it
    assert web_ledger.logins.version() > before


def test_a_ledger_without_the_version_row_reads_it_from_the_log(
    web_ledger: Ledger, client_as: Callable[[Role], TestClient]
) -> None:
    """A ledger made before the row was kept: sign-ins still leave the version."""
    with web_ledger.sessions.transaction() as s:
        s.execute(delete(Meta).where(Meta.key == "data_version"))
    before = web_ledger.logins.version()
    assert before > 0
    client_as(Role.ANALYST)  # signs in: a custody entry, not a change of data
    assert web_ledger.logins.version() == before
    web_ledger.load_catalogue()
    assert web_ledger.logins.version() > before
