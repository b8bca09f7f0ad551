"""`users add | list | passwd | role | disable | enable | token`."""

from __future__ import annotations

import sys

import click

from ..domain import Role
from ._common import console, open_ledger

ROLES = click.Choice([r.value for r in Role])


def _new_password(ask: bool, from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if ask:
        return str(
            click.prompt(
                "New password", hide_input=True, confirmation_prompt=True, err=True
            )
        )
    return None


@click.group()
def users() -> None:
    """Manage who may use the ledger, and in which role.

    Roles: viewer (public results), analyst (evidence by pseudonym, runs analyses),
    investigator (also names, testimony and files; imports), admin (users, keys,
    backups; no names). Every refusal is written to the custody log.
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, required=True, help="The user's role.")
@click.option("--password", "ask", is_flag=True, help="Ask for a password.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_context
def add(
    ctx: click.Context, name: str, role: str, ask: bool, password_stdin: bool
) -> None:
    """Add user NAME with a role (admins)."""
    password = _new_password(ask, password_stdin)
    with open_ledger(ctx) as ledger:
        ledger.add_user(name, Role(role), password=password)
    console.print(f"Added {name} ({role}).")


@users.command("list")
@click.pass_context
def list_users(ctx: click.Context) -> None:
    """List users, their roles, and whether they have a password or a token."""
    with open_ledger(ctx) as ledger:
        rows = ledger.users()
    for u in rows:
        flags = [
            "" if u["active"] else "disabled",
            "password" if u["password"] else "no password",
            "token" if u["token"] else "",
        ]
        console.print(
            f"{u['name']:<24} {u['role']:<13} {', '.join(f for f in flags if f)}"
        )


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_context
def passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set the password of NAME (your own, or anyone's as admin)."""
    password = _new_password(True, password_stdin)
    assert password is not None  # noqa: S101 - ask=True always yields one
    with open_ledger(ctx) as ledger:
        ledger.set_password(name, password)
    console.print(f"Password of {name} set.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=ROLES)
@click.pass_context
def role_cmd(ctx: click.Context, name: str, role: str) -> None:
    """Give NAME another role (admins)."""
    with open_ledger(ctx) as ledger:
        ledger.set_role(name, Role(role))
    console.print(f"{name} is now {role}.")


@users.command("disable")
@click.argument("name")
@click.pass_context
def disable(ctx: click.Context, name: str) -> None:
    """Stop NAME from opening the ledger (admins); the history stays."""
    with open_ledger(ctx) as ledger:
        ledger.set_role(name, None, active=False)
    console.print(f"{name} is disabled.")


@users.command("enable")
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Let a disabled user in again (admins)."""
    with open_ledger(ctx) as ledger:
        ledger.set_role(name, None, active=True)
    console.print(f"{name} is enabled.")


@users.command("token")
@click.argument("name")
@click.pass_context
def token(ctx: click.Context, name: str) -> None:
    """Issue a new API token for NAME (printed once; the old one stops working)."""
    with open_ledger(ctx) as ledger:
        value = ledger.issue_token(name)
    click.echo(value)
