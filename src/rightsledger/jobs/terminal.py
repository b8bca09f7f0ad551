"""Jobs on the command line: run one here, with a progress bar on stderr.

The bar is the terminal's view of the same ticks the job's row gets (throttled
there, not here). Like every progress display of the CLI it is transient and goes
to stderr, so stdout keeps only the results.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from ..access import Permission
from ..ledger import Ledger
from .core import JobRun, ProgressFn
from .runner import Jobs


@contextmanager
def stage_progress(console: Console, label: str) -> Iterator[ProgressFn]:
    """A progress bar counting stages, its description naming the current one."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(
            done: int, total: int | None = None, message: str | None = None
        ) -> None:
            description = f"{label}: {message}" if message else label
            bar.update(task, completed=done, total=total, description=description)

        yield update


def run_here(
    ledger: Ledger,
    kind: str,
    run: JobRun,
    *,
    needs: Permission,
    target: str = "",
    echo: ProgressFn | None = None,
) -> str:
    """Run a job in this process (after marking the jobs that lost theirs as
    interrupted); its error, recorded first, is raised as if there were no job.

    Returns:
        The job's id.
    """
    jobs = Jobs(ledger)
    if ledger.actor.may(needs):
        jobs.recover_interrupted()
    return jobs.start(kind, run, needs=needs, target=target, echo=echo)
