"""Concurrent writers (web requests and a job thread) take turns: the custody log
stays one unbroken chain, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest

from rightsledger.access import Permission
from rightsledger.domain import Role
from rightsledger.errors import Forbidden
from rightsledger.ledger import Ledger
from rightsledger.store import custody_log
from rightsledger.vault import custody as vault_custody


def test_threads_appending_to_the_custody_log_take_turns(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    # widen the window between reading the last entry and writing the next one
    slow_hash = vault_custody.entry_hash

    def entry_hash(*args: Any) -> str:
        time.sleep(0.002)
        return slow_hash(*args)

    monkeypatch.setattr(custody_log, "entry_hash", entry_hash)
    ledger.add_user("writer", Role.VIEWER, password="writer-writer-1")
    actor = ledger.logins.sign_in("writer", "writer-writer-1", where="test")
    errors: list[BaseException] = []

    viewer = ledger.acting_as(actor)

    def work(locale: str) -> None:
        try:
            for _ in range(15):
                ledger.logins.start_session(actor, where=f"thread {locale}")
                with contextlib.suppress(Forbidden):  # a refusal is logged
                    viewer.require(Permission.MANAGE_KEYS, f"thread {locale}")
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work, args=(x,)) for x in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ledger.verify() == []
    sign_ins = [e for e in ledger.custody() if e.action == "sign-in"]
    assert len(sign_ins) == 60
    assert len([e for e in ledger.custody() if e.action == "denied"]) == 60
