"""Helpers shared by the command modules."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import click
from pydantic import SecretStr
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..config import Settings
from ..ledger import Ledger, PassphraseRequired, PasswordRequired

console = Console(highlight=False, soft_wrap=True)


#: Messages of progress and prompts go to stderr, so stdout stays for results.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def open_ledger(ctx: click.Context) -> Iterator[Ledger]:
    """Open the ledger for the acting user, asking for a passphrase or a password
    when the ledger or the user has one and the environment does not give it."""
    settings: Settings = ctx.obj
    for _ in range(3):
        try:
            ledger = Ledger.open(settings)
            break
        except PassphraseRequired as e:
            if settings.passphrase is not None or not _interactive():
                raise
            secret = click.prompt(f"{e}\nPassphrase", hide_input=True, err=True)
            settings = settings.model_copy(update={"passphrase": SecretStr(secret)})
        except PasswordRequired as e:
            if settings.password is not None or not _interactive():
                raise
            secret = click.prompt(f"{e}\nPassword", hide_input=True, err=True)
            settings = settings.model_copy(update={"password": SecretStr(secret)})
    else:
        ledger = Ledger.open(settings)
    with ledger:
        yield ledger


def _interactive() -> bool:
    return sys.stdin.isatty()


@contextmanager
def byte_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for work measured in bytes of a file."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD)", param_hint=what
        ) from e
