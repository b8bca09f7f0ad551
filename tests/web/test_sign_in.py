"""Signing in and out: sessions, CSRF on the sign-in form, throttling, fixation."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from rightsledger.domain import Role
from rightsledger.ledger import Ledger

from .conftest import ROLE_USERS, csrf_of, login_token, password_of, sign_in


def test_pages_need_a_sign_in(anonymous: TestClient) -> None:
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"
    api = anonymous.get("/?format=json")
    assert api.status_code == 401
    assert api.json() == {
        "ok": False,
        "error": "sign in or send an API token",
        "errors": [],
        "status": 401,
    }


def test_sign_in_then_out(anonymous: TestClient, web_ledger: Ledger) -> None:
    sign_in(anonymous, ROLE_USERS[Role.ANALYST])
    assert anonymous.get("/").status_code == 200
    token = csrf_of(anonymous)
    out = anonymous.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    actions = [e.action for e in web_ledger.custody()]
    assert "sign-in" in actions and "sign-out" in actions


def test_wrong_password_is_refused_and_logged(
    anonymous: TestClient, web_ledger: Ledger
) -> None:
    token = login_token(anonymous)
    for user in (ROLE_USERS[Role.VIEWER], "nobody-at-all"):
        response = anonymous.post(
            "/login",
            data={"user": user, "password": "not-the-password", "login_csrf": token},
        )
        assert response.status_code == 401
        assert "Wrong user name or password." in response.text
    denied = [e for e in web_ledger.custody() if e.action == "denied"]
    reasons = {e.detail["why"] for e in denied}
    assert {"wrong password", "unknown user"} <= reasons


def test_sign_in_form_needs_its_token(anonymous: TestClient) -> None:
    login_token(anonymous)
    user = ROLE_USERS[Role.VIEWER]
    response = anonymous.post(
        "/login",
        data={"user": user, "password": password_of(user), "login_csrf": "forged"},
    )
    assert response.status_code == 403
    assert "rl_session" not in anonymous.cookies


def test_failed_sign_ins_are_throttled(anonymous: TestClient) -> None:
    token = login_token(anonymous)
    user = ROLE_USERS[Role.VIEWER]
    codes = [
        anonymous.post(
            "/login",
            data={"user": user, "password": "guess-guess", "login_csrf": token},
        ).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    right = anonymous.post(
        "/login",
        data={"user": user, "password": password_of(user), "login_csrf": token},
    )
    assert right.status_code == 429  # even the right password waits
    assert int(right.headers["retry-after"]) > 0


def test_a_planted_session_id_is_never_promoted(anonymous: TestClient) -> None:
    anonymous.cookies.set("rl_session", "planted-by-an-attacker", domain="testserver")
    sign_in(anonymous, ROLE_USERS[Role.ANALYST])
    values = {c.value for c in anonymous.cookies.jar if c.name == "rl_session"}
    assert values - {"planted-by-an-attacker"}, "sign-in must issue a new session id"
    with TestClient(anonymous.app, base_url="https://testserver") as attacker:
        attacker.cookies.set(
            "rl_session", "planted-by-an-attacker", domain="testserver"
        )
        assert attacker.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_flags(anonymous: TestClient) -> None:
    token = login_token(anonymous)
    user = ROLE_USERS[Role.VIEWER]
    response = anonymous.post(
        "/login",
        data={"user": user, "password": password_of(user), "login_csrf": token},
        follow_redirects=False,
    )
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("rl_session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags


def test_sign_out_needs_the_csrf_token(
    client_as: Callable[[Role], TestClient],
) -> None:
    client = client_as(Role.VIEWER)
    refused = client.post("/logout", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_next_never_leaves_the_site(anonymous: TestClient) -> None:
    token = login_token(anonymous)
    user = ROLE_USERS[Role.VIEWER]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        anonymous.cookies.clear()
        token = login_token(anonymous)
        response = anonymous.post(
            "/login",
            data={
                "user": user,
                "password": password_of(user),
                "login_csrf": token,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_security_headers(anonymous: TestClient) -> None:
    response = anonymous.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
