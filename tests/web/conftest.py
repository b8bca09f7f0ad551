"""Web fixtures: an app over the `ledger` fixture (SQLite and PostgreSQL), users of
every role with passwords, and TestClients signed in through the real sign-in form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rightsledger.domain import Role
from rightsledger.ledger import Ledger
from rightsledger.web import create_app

#: One user per role; the password is the name twice (long enough for the rules).
ROLE_USERS: dict[Role, str] = {
    Role.ADMIN: "web-admin",
    Role.INVESTIGATOR: "web-investigator",
    Role.ANALYST: "web-analyst",
    Role.VIEWER: "web-viewer",
}


def password_of(user: str) -> str:
    return f"{user}-{user}"


def login_token(client: TestClient) -> str:
    """Open the sign-in form and return its double-submit token."""
    page = client.get("/login")
    found = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def sign_in(client: TestClient, user: str, password: str | None = None) -> None:
    token = login_token(client)
    response = client.post(
        "/login",
        data={
            "user": user,
            "password": password or password_of(user),
            "login_csrf": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a page's sign-out form."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.fixture
def web_ledger(ledger: Ledger) -> Ledger:
    """The `ledger` fixture with one user of each role (see ROLE_USERS)."""
    for role, user in ROLE_USERS.items():
        ledger.add_user(user, role, password=password_of(user))
    return ledger


@pytest.fixture
def app(web_ledger: Ledger) -> FastAPI:
    return create_app(web_ledger.settings, ledger=web_ledger)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def client_as(app: FastAPI) -> Iterator[Callable[[Role], TestClient]]:
    """A TestClient signed in as the user of a role, through the sign-in form."""
    clients: list[TestClient] = []

    def _client(role: Role) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        clients.append(client)
        sign_in(client, ROLE_USERS[role])
        return client

    yield _client
    for client in clients:
        client.__exit__(None, None, None)
