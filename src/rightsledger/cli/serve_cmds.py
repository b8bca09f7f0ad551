"""`serve`: the web application and the JSON API, or one request with `--get`."""

from __future__ import annotations

import logging
import os
import sys

import click
from pydantic import SecretStr

from ..config import Settings
from ..ledger import Ledger, PassphraseRequired
from ._common import err_console, open_ledger


def _open_service(settings: Settings) -> Ledger:
    try:
        return Ledger.open_service(settings)
    except PassphraseRequired as e:
        if settings.passphrase is not None or not sys.stdin.isatty():
            raise
        secret = click.prompt(f"{e}\nPassphrase", hide_input=True, err=True)
        update = {"passphrase": SecretStr(secret)}
        return Ledger.open_service(settings.model_copy(update=update))


def get_one(ctx: click.Context, path: str, as_json: bool) -> None:
    """Answer one request in process, as the command line's user."""
    from fastapi.testclient import TestClient

    from ..web import create_app

    if not path.startswith("/"):
        raise click.BadParameter("the path must start with /", param_hint="--get")
    with open_ledger(ctx) as ledger:
        app = create_app(ledger.settings, ledger=ledger, preauthenticated=ledger.actor)
        headers = {"accept": "application/json"} if as_json else {}
        with TestClient(app, base_url="https://localhost") as client:
            response = client.get(path, headers=headers, follow_redirects=False)
    click.echo(response.text)
    if response.status_code >= 400:
        raise click.ClickException(f"{path} answered HTTP {response.status_code}")


#: How long a worker may take to answer uvicorn's health check before it is
#: replaced: starting one imports the whole application, and under load that
#: takes longer than uvicorn's default of 5 s.
WORKER_HEALTHCHECK_SECONDS = 60


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one request for PATH (e.g. /api/v1/benchmarks) as the command "
    "line's user, print the body and exit; no port is opened.",
)
@click.option("--json", "as_json", is_flag=True, help="With --get: ask for JSON.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes. Each keeps its own page cache and sign-in throttle; "
    "sessions are shared through the ledger.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    get_path: str | None,
    as_json: bool,
    workers: int,
) -> None:
    """Serve the web application and the JSON API (/api/v1, schema at
    /api/v1/openapi.json).

    Users sign in with the passwords an admin set (`rightsledger users passwd`);
    scripts send an API token (`rightsledger users token`) as
    `Authorization: Bearer TOKEN`. Stop with Ctrl-C.
    """
    if get_path is not None:
        get_one(ctx, get_path, as_json)
        return
    import uvicorn

    from ..web import create_app

    settings: Settings = ctx.obj
    ledger = _open_service(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    err_console.print(
        f"Serving the ledger at [bold]http://{shown}:{port}/[/bold] "
        f"({workers} process{'es' if workers > 1 else ''}; Ctrl-C stops)"
    )
    if workers > 1:
        ledger.close()  # each worker opens its own
        export_settings(ledger.settings)
        uvicorn.run(
            "rightsledger.web.app:app_from_environment",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
        )
        return
    app = create_app(settings, ledger=ledger, warm=True)
    try:
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
    finally:
        ledger.close()


def export_settings(settings: Settings) -> None:
    """Put the settings into this process's environment, where the worker
    processes read them (the passphrase too, when the ledger has one)."""
    for name, value in settings.model_dump(exclude={"password"}).items():
        if value is None:
            continue
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        os.environ[f"RIGHTSLEDGER_{name.upper()}"] = str(value)
