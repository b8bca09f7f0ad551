"""The web application: ``create_app(settings)`` builds it over one open ledger.

Pages and the API go through the same :class:`~rightsledger.ledger.Ledger` façade as
the command line, acting as the user who signed in, so the same role checks and the
same custody log apply to all three.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..access import Actor
from ..config import Settings
from ..domain import Role
from ..errors import NotFound, RightsLedgerError
from ..jobs import Jobs
from ..ledger import Ledger
from . import api, failures
from .cache import PageCache
from .headers import SecurityHeaders
from .routes import (
    agreements,
    auth,
    benchmarks,
    estimates,
    facilities,
    jobs,
    records,
    review,
    sanctions,
    scorecard,
    search,
    sources,
)
from .state import WebState

log = logging.getLogger("rightsledger.web")


def create_app(
    settings: Settings,
    *,
    ledger: Ledger | None = None,
    preauthenticated: Actor | None = None,
    warm: bool = False,
) -> FastAPI:
    """Build the web app.

    Args:
        settings: The ledger's settings (``web_cookie_secure`` among them).
        ledger: An open ledger to serve; by default one is opened with
            :meth:`Ledger.open_service`. The app does not close a ledger it was given.
        preauthenticated: For ``serve --get`` only: every request acts as this user.
        warm: Build the scorecard for each kind of reader in the background at
            start, so that the first visitor of a large ledger does not wait.

    Returns:
        The FastAPI application (an ASGI app).
    """
    served = ledger if ledger is not None else Ledger.open_service(settings)
    with contextlib.suppress(NotFound):  # without one, pages say how to load it
        served.catalogue()  # load once; every request shares it
    app = FastAPI(
        title="rightsledger",
        version=__version__,
        summary="Verifiable human-rights benchmarks: the ledger's JSON API.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.web = WebState(
        settings=settings,
        ledger=served,
        cache=PageCache(served.logins.version),
        preauthenticated=preauthenticated,
        cookie_secure=settings.web_cookie_secure,
    )
    failures.install(app)
    for module in (
        auth,
        scorecard,
        benchmarks,
        facilities,
        estimates,
        sanctions,
        agreements,
        search,
        sources,
        records,
        review,
        jobs,
        api,
    ):
        app.include_router(module.router)
    static = resources.files("rightsledger.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(SecurityHeaders, hsts=settings.web_cookie_secure)
    Jobs(served).recover_interrupted()
    if warm:
        threading.Thread(
            target=warm_up, args=(app.state.web,), name="rl-warm-up", daemon=True
        ).start()
    app.router.on_shutdown.append(lambda: jobs.stop_worker(app.state.web))
    if ledger is None:
        app.router.on_shutdown.append(served.close)
    return app


def warm_up(state: WebState) -> None:
    """Build the cached scorecard once for readers of public evidence and once
    for readers of all evidence (nothing is shown to anyone here)."""
    for role in (Role.VIEWER, Role.ANALYST):
        reader = state.ledger.acting_as(Actor("(warm-up)", role))
        try:
            scorecard.cached_scorecard(state, reader)
        except RightsLedgerError as e:
            log.info("warm-up skipped: %s", type(e).__name__)


def app_from_environment() -> FastAPI:
    """The app for a server process started by uvicorn itself (``serve
    --workers N``): settings from the ``RIGHTSLEDGER_*`` environment, which
    ``serve`` sets from its own options before it starts the workers."""
    return create_app(Settings(), warm=True)
