"""`rightsledger serve --get` answers one request in process; `--workers` hands
the settings to its worker processes through the environment."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rightsledger.cli import cli
from rightsledger.cli.serve_cmds import export_settings
from rightsledger.config import Settings
from rightsledger.ledger import Ledger
from rightsledger.web.app import app_from_environment


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Path:
    db = tmp_path / "ledger.sqlite"
    settings = Settings(database_url=f"sqlite:///{db}", actor="admin")
    with Ledger.init(settings) as ledger:
        ledger.load_catalogue()
    return db


def test_get_answers_one_request_as_the_command_line_user(sqlite_ledger: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-d", str(sqlite_ledger), "serve", "--get", "/api/v1/me"]
    )
    assert result.exit_code == 0, result.output
    me = json.loads(result.output)
    assert me["name"] == "admin" and me["role"] == "admin"
    page = CliRunner().invoke(cli, ["-d", str(sqlite_ledger), "serve", "--get", "/"])
    assert page.exit_code == 0 and "<html" in page.output


def test_get_fails_on_an_error_status(sqlite_ledger: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-d", str(sqlite_ledger), "serve", "--get", "/no-such-page"]
    )
    assert result.exit_code == 1
    assert "answered HTTP 404" in result.output
    bad = CliRunner().invoke(cli, ["-d", str(sqlite_ledger), "serve", "--get", "x"])
    assert bad.exit_code == 2


def test_workers_read_the_settings_serve_was_given(
    sqlite_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("RIGHTSLEDGER_"):
            monkeypatch.delenv(name)
    settings = Settings(
        database_url=f"sqlite:///{sqlite_ledger}", small_cell_threshold=7
    )
    with monkeypatch.context() as patch:
        patch.setattr(os, "environ", dict(os.environ))
        export_settings(settings)
        assert os.environ["RIGHTSLEDGER_SMALL_CELL_THRESHOLD"] == "7"
        assert "RIGHTSLEDGER_PASSWORD" not in os.environ
        app = app_from_environment()
    with TestClient(app, base_url="https://localhost") as client:
        assert client.get("/login").status_code == 200
    assert app.state.web.settings.small_cell_threshold == 7


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_workers_serve_on_a_real_port(sqlite_ledger: Path, tmp_path: Path) -> None:
    """`serve --workers 2` starts two processes that answer over TCP."""
    port = _free_port()
    program = Path(sys.executable).with_name("rightsledger")
    command = [str(program), "-d", str(sqlite_ledger)]
    command += ["serve", "--workers", "2", "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RIGHTSLEDGER_")}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
    try:
        status, deadline = 0, time.monotonic() + 90
        while status != 200 and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as r:
                    status = r.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/app.css") as r:
            assert r.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
