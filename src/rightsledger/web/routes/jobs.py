"""Jobs on the web: the list, a job's page (its progress polled every second with
htmx), and starting a linkage or an estimation run as a background job.

Jobs run on one background thread per app (:class:`JobWorker`), so that SQLite
sees one writer. A user sees their own jobs; an admin sees everyone's. Counts in
a job's result are masked below the small-cell threshold for readers who are not
investigators.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from ...access import Permission
from ...chain import LINK_METHODS, run_estimate, run_link
from ...domain import Origin, Role
from ...errors import InputError
from ...estimate import DEFAULT_METHOD, METHODS
from ...jobs import Job, Jobs, JobWorker, ProgressFn
from ...jobs.summaries import estimate_result, import_result, link_result
from ...ledger import Ledger
from ...populations import PopulationSpec
from ...report.brief_context import masked
from ..deps import LedgerAsUser, SignedIn, State, Writer
from ..pages import page
from ..state import WebState

router = APIRouter()

#: Jobs per page of the list.
PER_PAGE = 50
#: Counts in a result that are masked when small, for readers who are not
#: investigators (they may count people).
COUNTS = frozenset({"records", "persons", "rows", "added", "skipped", "observed"})
#: How each result field is labelled (English message ids).
LABELS: dict[str, str] = {
    "run_id": "Run",
    "records": "Records",
    "persons": "Persons",
    "method": "Method",
    "pairs": "Scored pairs",
    "incremental": "New records only",
    "kind": "Kind",
    "rows": "Rows",
    "added": "Added",
    "skipped": "Already present",
    "already_imported": "Imported before",
    "sha256": "SHA-256",
}

_guard = threading.Lock()
_workers: dict[int, JobWorker] = {}


def worker_for(state: WebState) -> JobWorker:
    """The app's job thread, started on first use; a new process first marks
    the jobs that lost theirs as interrupted (see :mod:`rightsledger.jobs`)."""
    with _guard:
        worker = _workers.get(id(state))
        if worker is None:
            Jobs(state.ledger).recover_interrupted()
            worker = _workers[id(state)] = JobWorker()
    return worker


def stop_worker(state: WebState) -> None:
    """Let the app's running job finish and stop its thread (at shutdown)."""
    with _guard:
        worker = _workers.pop(id(state), None)
    if worker is not None:
        worker.shutdown(wait=True)


def web_jobs(state: WebState, ledger: Ledger) -> Jobs:
    """The jobs of ``ledger``'s user, run on the app's job thread."""
    return Jobs(ledger, worker=worker_for(state))


def start_import_job(
    state: WebState,
    ledger: Ledger,
    path: Path,
    kind: str,
    *,
    fmt: str | None = None,
    origin: Origin = Origin.REAL,
    cleanup: Callable[[], None] | None = None,
) -> str:
    """Import ``path`` as a background job of ``ledger``'s user.

    Args:
        state: The app's state (its job thread).
        ledger: The ledger acting as the user (an investigator).
        path: The uploaded file; it must stay until the job ends.
        kind: What the file holds (an intake kind).
        fmt: Its format, when the extension does not say.
        origin: Real or simulated rows.
        cleanup: Called when the job ends, done or failed (e.g. the
            ``cleanup`` of the upload's ``TemporaryDirectory``).

    Returns:
        The job's id: redirect to ``/jobs/{id}``.

    Raises:
        Forbidden: the user may not write evidence (nothing is started).
    """

    def work(progress: ProgressFn) -> dict[str, Any]:
        try:
            summary = ledger.import_file(
                path, kind, fmt=fmt, origin=origin, progress=progress
            )
        finally:
            if cleanup is not None:
                cleanup()
        state.cache.forget()
        return import_result(summary)

    try:
        return web_jobs(state, ledger).start(
            "import",
            work,
            needs=Permission.WRITE_EVIDENCE,
            target="import",
        )
    except BaseException:
        if cleanup is not None:
            cleanup()
        raise


def _shown(ledger: Ledger, key: str, value: Any) -> Any:
    small = ledger.settings.small_cell_threshold
    if (
        key in COUNTS
        and isinstance(value, int)
        and not isinstance(value, bool)
        and not ledger.actor.may(Permission.READ_IDENTITIES)
        and 0 < value < small
    ):
        return masked(value, small)
    return value


def job_view(ledger: Ledger, job: Job) -> dict[str, Any]:
    """A job as its page shows it: plain data, small counts masked."""
    view = job.as_dict()
    result = job.result
    view["items"] = [
        {"key": k, "label": LABELS[k], "value": _shown(ledger, k, result[k])}
        for k in LABELS
        if k in result
    ]
    view["estimates"] = [
        {k: _shown(ledger, k, v) for k, v in row.items()}
        for row in result.get("estimates", [])
    ]
    skipped = result.get("skipped") if job.kind == "estimate" else None
    view["skipped_populations"] = list(skipped or [])
    view["passed_over"] = result.get("passed_over") or {}
    view["result"] = {k: _shown(ledger, k, v) for k, v in result.items()}
    return view


def _forms(ledger: Ledger) -> dict[str, Any]:
    return {
        "can_run": ledger.actor.may(Permission.RUN_ANALYSIS),
        "link_methods": list(LINK_METHODS),
        "estimate_methods": sorted(METHODS),
        "default_method": DEFAULT_METHOD,
    }


@router.get("/jobs", include_in_schema=False)
def jobs_page(
    request: Request,
    who: SignedIn,
    ledger: LedgerAsUser,
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> Response:
    ledger.require(Permission.READ_EVIDENCE, "jobs")
    found = Jobs(ledger).list(limit=PER_PAGE + 1, offset=(page_no - 1) * PER_PAGE)
    data = {
        "jobs": [job_view(ledger, j) for j in found[:PER_PAGE]],
        "everyone": ledger.actor.role is Role.ADMIN,
        "page": page_no,
        "more": len(found) > PER_PAGE,
        **_forms(ledger),
    }
    return page(request, who, "jobs.html.j2", data, title=who._("Jobs"))


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(
    request: Request, who: SignedIn, ledger: LedgerAsUser, job_id: str
) -> Response:
    job = Jobs(ledger).get(job_id[:64])
    data = {"job": job_view(ledger, job)}
    return page(request, who, "job.html.j2", data, title=who._("Job"))


@router.get("/jobs/{job_id}/progress", include_in_schema=False)
def job_progress(
    request: Request, who: SignedIn, ledger: LedgerAsUser, job_id: str
) -> Response:
    """The job page's progress box alone: htmx swaps it in every second while
    the job runs; a finished job's box carries no trigger, so polling stops."""
    job = Jobs(ledger).get(job_id[:64])
    data = {"job": job_view(ledger, job)}
    return page(request, who, "job_progress.html.j2", data)


def _redirect(job_id: str) -> Response:
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/link", include_in_schema=False)
def start_link(
    who: Writer,
    ledger: LedgerAsUser,
    state: State,
    method: Annotated[str, Form(max_length=40)] = "probabilistic",
    full: Annotated[bool, Form()] = False,
) -> Response:
    """Link the ledger's records as a job (analysts and up)."""
    del who  # the CSRF check is the dependency's work
    ledger.require(Permission.RUN_ANALYSIS, "records for linkage")
    if method not in LINK_METHODS:
        raise InputError(f"choose one of {', '.join(LINK_METHODS)}", field="method")

    def work(progress: ProgressFn) -> dict[str, Any]:
        summary = run_link(
            ledger, method=method, incremental=not full, progress=progress
        )
        state.cache.forget()
        return link_result(summary)

    job_id = web_jobs(state, ledger).start(
        "link", work, needs=Permission.RUN_ANALYSIS, target="records for linkage"
    )
    return _redirect(job_id)


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError("give a date as YYYY-MM-DD", field=field) from None


def population_specs(
    population: str, facilities: str, start: str, end: str, yearly: bool
) -> list[PopulationSpec]:
    """The populations an estimation form asks for (the CLI's options).

    Raises:
        InputError: a missing or reversed date, or a bad facility id.
    """
    first, last = _day(start, "from"), _day(end, "to")
    if last < first:
        raise InputError("the last day is before the first", field="to")
    ids = tuple(f.strip() for f in facilities.replace(";", ",").split(",") if f.strip())
    if any(" " in f or "/" in f for f in ids):
        raise InputError("facility ids have no spaces or slashes", field="facilities")
    pid = population.strip() or "detainees"
    if not yearly:
        return [PopulationSpec(pid, ids, first, last)]
    return [
        PopulationSpec(pid, ids, max(first, date(y, 1, 1)), min(last, date(y, 12, 31)))
        for y in range(first.year, last.year + 1)
    ]


@router.post("/jobs/estimate", include_in_schema=False)
def start_estimate(
    who: Writer,
    ledger: LedgerAsUser,
    state: State,
    start: Annotated[str, Form(alias="from", max_length=20)] = "",
    end: Annotated[str, Form(alias="to", max_length=20)] = "",
    population: Annotated[str, Form(max_length=80)] = "detainees",
    facilities: Annotated[str, Form(max_length=400)] = "",
    yearly: Annotated[bool, Form()] = False,
    method: Annotated[str, Form(max_length=40)] = DEFAULT_METHOD,
    seed: Annotated[int, Form(ge=0, le=2**31)] = 1,
) -> Response:
    """Estimate the populations as a job from the latest linkage run."""
    del who  # the CSRF check is the dependency's work
    ledger.require(Permission.RUN_ANALYSIS, "estimate")
    if method.lower() not in METHODS:
        raise InputError(f"choose one of {', '.join(sorted(METHODS))}", field="method")
    specs = population_specs(population, facilities, start, end, yearly)

    def work(progress: ProgressFn) -> dict[str, Any]:
        summary = run_estimate(
            ledger, specs, method=method.lower(), seed=seed, progress=progress
        )
        state.cache.forget()
        return estimate_result(summary)

    job_id = web_jobs(state, ledger).start(
        "estimate", work, needs=Permission.RUN_ANALYSIS, target="estimate"
    )
    return _redirect(job_id)
