"""Users, passwords, tokens: a user with a password cannot open the ledger
without it or with a wrong one (the wrong attempt is logged), a disabled user
cannot open it at all, an admin cannot demote or disable themselves, and no
password or token is kept in a form that gives it back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from rightsledger.cli import cli
from rightsledger.config import Settings
from rightsledger.domain import Role
from rightsledger.errors import ConfigError, Forbidden, InputError
from rightsledger.ledger import Ledger, PasswordRequired
from rightsledger.store.tables import Base, CustodyRow, UserRow

from . import (
    ADMIN,
    BYSTANDER,
    PASSWORD,
    PASSWORD_USER,
    USERS,
    Built,
    Haystack,
    as_user,
    cli_args,
    cli_env,
    later_clock,
    open_as,
)

INVESTIGATOR = USERS[Role.INVESTIGATOR]


def _select(settings: Settings, table: Any) -> list[Any]:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(table)))
    finally:
        engine.dispose()


def _last_entry(settings: Settings) -> Any:
    return max(_select(settings, CustodyRow.__table__), key=lambda e: e.seq)


def _open(settings: Settings, user: str, password: str | None = None) -> Ledger:
    return Ledger.open(as_user(settings, user, password), clock=later_clock())


def test_a_password_is_needed_and_a_wrong_one_is_logged(copy: Settings):
    with pytest.raises(PasswordRequired, match="has a password"):
        _open(copy, PASSWORD_USER)
    with pytest.raises(PasswordRequired, match="wrong password"):
        _open(copy, PASSWORD_USER, "not-the-password")
    last = _last_entry(copy)
    assert (last.action, last.actor, last.target) == (
        "denied",
        PASSWORD_USER,
        "open the ledger",
    )
    assert last.detail == {"role": "analyst", "why": "wrong password"}
    with _open(copy, PASSWORD_USER, PASSWORD) as led:
        assert led.actor.name == PASSWORD_USER
        assert led.verify() == []


def test_the_command_line_needs_the_password_too(copy: Settings):
    runner = CliRunner()
    args = [*cli_args(copy, PASSWORD_USER), "records"]
    missing = runner.invoke(
        cli, args, env={**cli_env(PASSWORD_USER), "RIGHTSLEDGER_PASSWORD": None}
    )
    assert missing.exit_code == 1 and "has a password" in missing.output
    wrong = runner.invoke(
        cli,
        args,
        env={**cli_env(PASSWORD_USER), "RIGHTSLEDGER_PASSWORD": "nope-nope-nope"},
    )
    assert wrong.exit_code == 1 and "wrong password" in wrong.output
    assert _last_entry(copy).detail["why"] == "wrong password"
    right = runner.invoke(cli, args, env=cli_env(PASSWORD_USER))
    assert right.exit_code == 0, right.output


def test_a_disabled_user_cannot_open_the_ledger(copy: Settings):
    with open_as(copy, ADMIN, later_clock()) as admin:
        admin.set_role(INVESTIGATOR, active=False)
    with pytest.raises(ConfigError, match="is disabled"):
        _open(copy, INVESTIGATOR)
    last = _last_entry(copy)
    assert (last.action, last.actor, last.detail) == (
        "denied",
        INVESTIGATOR,
        {"role": "investigator", "why": "user disabled"},
    )
    with open_as(copy, ADMIN, later_clock()) as admin:
        admin.set_role(INVESTIGATOR, active=True)
    with _open(copy, INVESTIGATOR) as inv:
        assert inv.records(purpose="check")


def test_an_unknown_user_cannot_open_the_ledger(copy: Settings):
    with pytest.raises(ConfigError, match="unknown user 'mallory'"):
        _open(copy, "mallory")


def test_an_admin_cannot_demote_or_disable_themselves(copy: Settings):
    with open_as(copy, ADMIN, later_clock()) as admin:
        for role in (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR):
            with pytest.raises(InputError, match="cannot demote or disable themselves"):
                admin.set_role(ADMIN, role)
        with pytest.raises(InputError, match="cannot demote or disable themselves"):
            admin.set_role(ADMIN, active=False)
        admin.set_role(ADMIN, Role.ADMIN)  # staying an admin is fine
        admin.add_user("admin-2", Role.ADMIN)
    with _open(copy, "admin-2") as other:
        other.set_role(ADMIN, Role.VIEWER)  # another admin may
    with _open(copy, ADMIN) as demoted:
        assert demoted.actor.role is Role.VIEWER
        with pytest.raises(Forbidden):
            demoted.users()


def test_a_new_role_holds_from_the_next_open(copy: Settings):
    with open_as(copy, ADMIN, later_clock()) as admin:
        admin.set_role(INVESTIGATOR, Role.ANALYST)
    with _open(copy, INVESTIGATOR) as led:
        with pytest.raises(Forbidden):
            led.records(purpose="review")
        assert led.pseudonymous_records()


def test_users_change_their_own_password_and_nobody_else_s(copy: Settings):
    with _open(copy, INVESTIGATOR) as inv:
        with pytest.raises(InputError, match="at least 10 characters"):
            inv.set_password(INVESTIGATOR, "short")
        inv.set_password(INVESTIGATOR, "a-new-long-password")
        with pytest.raises(Forbidden):
            inv.set_password(BYSTANDER, "taken-over-password")
        with pytest.raises(Forbidden):
            inv.issue_token(BYSTANDER)
    with pytest.raises(PasswordRequired):
        _open(copy, INVESTIGATOR)
    _open(copy, INVESTIGATOR, "a-new-long-password").close()
    _open(copy, BYSTANDER).close()  # still without a password


def test_passwords_and_tokens_are_kept_only_as_hashes(copy: Settings, built: Built):
    with open_as(copy, ADMIN, later_clock()) as admin:
        first = admin.issue_token(BYSTANDER)
        second = admin.issue_token(BYSTANDER)
        listed = admin.users()
    assert first.startswith("rl_") and second != first
    assert {tuple(sorted(u)) for u in listed} == {
        ("active", "created_at", "name", "password", "role", "token")
    }
    users = {u.name: u for u in _select(copy, UserRow.__table__)}
    assert users[BYSTANDER].token_hash == hashlib.sha256(second.encode()).hexdigest()
    assert users[PASSWORD_USER].password_hash.startswith("$argon2id$")
    everything = Haystack()
    for table in ("users", "custody_log"):
        everything.add(table, repr(_select(copy, Base.metadata.tables[table])))
    if built.kind == "sqlite":
        everything.add(
            "file", Path(copy.database_url.removeprefix("sqlite:///")).read_bytes()
        )
    whole = b"".join(everything.parts.values())
    for secret in (PASSWORD, first, second):
        assert secret.encode() not in whole
