"""Helpers shared by the command modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click
from rich.console import Console

from ..config import Settings
from ..ledger import Ledger

console = Console(highlight=False, soft_wrap=True)


@contextmanager
def open_ledger(ctx: click.Context) -> Iterator[Ledger]:
    settings: Settings = ctx.obj
    with Ledger.open(settings) as ledger:
        yield ledger


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD)", param_hint=what
        ) from e
