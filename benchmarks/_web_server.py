"""The server of the web benchmark, run as its own process: uvicorn serving the
benchmark ledger as ``rightsledger serve`` does (access log off).

With ``--workers 1`` (the default): one process serving
``rightsledger.web.create_app(settings, warm=True)``. With ``--workers N`` (N > 1),
as ``serve --workers N``: the settings go into the ``RIGHTSLEDGER_*`` environment
(``export_settings``) and uvicorn's supervisor starts N worker processes, each of
which builds its own app with ``rightsledger.web.app:app_from_environment``.

``--routers routes.a api`` also includes ``rightsledger.web.routes.a`` and
``rightsledger.web.api`` (their ``router``) when
``create_app`` does not register them yet (as the web tests do for a new area);
one process only.

Run by ``benchmarks/web.py``; by hand:
    .venv/bin/python benchmarks/_web_server.py --folder DIR --port 8765 [--workers 2]
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

import uvicorn
from _web_ledger import settings_for  # benchmarks/ is on sys.path as a script
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from rightsledger.cli.serve_cmds import export_settings
from rightsledger.web import create_app

FACTORY = "rightsledger.web.app:app_from_environment"


def _included(routes: Iterable[BaseRoute]) -> tuple[set[int], set[str]]:
    """Ids of the routers included (at any depth) and the plain routes' paths."""
    routers: set[int] = set()
    paths: set[str] = set()
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI >= 0.16x
        if inner is not None:
            routers.add(id(inner))
            more_routers, more_paths = _included(inner.routes)
            routers |= more_routers
            paths |= more_paths
        elif isinstance(route, APIRoute):
            paths.add(route.path)
    return routers, paths


def include_missing(app: FastAPI, names: list[str]) -> list[str]:
    """Include the routers of ``names`` that the app does not include yet (the
    same router object, or a route of the same path); returns the names
    included."""
    added = []
    for name in names:
        router = importlib.import_module(f"rightsledger.web.{name}").router
        routers, paths = _included(app.routes)
        _, own = _included(router.routes)
        if id(router) not in routers and not own & paths:
            app.include_router(router)
            added.append(name)
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--routers", nargs="*", default=[])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--healthcheck",
        type=int,
        default=5,
        help="seconds a worker may take to answer the supervisor's health check "
        "(uvicorn's timeout_worker_healthcheck; 5 by default, as in `serve`)",
    )
    args = parser.parse_args()
    settings = settings_for(args.folder)
    if args.workers > 1:
        if args.routers:
            parser.error("--routers needs one process (--workers 1)")
        export_settings(settings)
        uvicorn.run(
            FACTORY,
            factory=True,
            workers=args.workers,
            timeout_worker_healthcheck=args.healthcheck,
            host=args.host,
            port=args.port,
            access_log=False,
            log_level="warning",
        )
        return
    app = create_app(settings, warm=True)
    added = include_missing(app, args.routers)
    if added:
        print(f"included routers not in create_app: {added}", file=sys.stderr)
    uvicorn.run(
        app, host=args.host, port=args.port, access_log=False, log_level="warning"
    )


if __name__ == "__main__":
    main()
