"""The production shape for the race probes (tests/foundation/test_concurrency*.py): gunicorn
with 4 sync workers on the test database, people's browsers as `requests` sessions, and
bursts — the same request released by several threads at one barrier."""

from __future__ import annotations

import threading
from collections import Counter

import pyotp
import requests
from sqlalchemy import func, select

from talentmatch.accounts.models import User
from talentmatch.bench.soak_users import csrf_of
from talentmatch.extensions import db
from tests.support.factories import PASSWORD, make_user

WORKERS = 4


def start_server(database_uri: str, env: dict[str, str]):
    """gunicorn (4 sync workers) on the test database, ready; stop() it afterwards."""
    from talentmatch.bench.http import Server

    server = Server(database_uri, workers=WORKERS, env=env)
    try:
        server.wait_ready(90)
    except Exception:
        server.stop()
        raise
    return server


class Browser(requests.Session):
    """One person's browser: its own cookies, CSRF token read from the page it posts."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def page(self, path: str) -> str:
        resp = self.get(self.base + path, allow_redirects=True, timeout=60)
        assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
        return resp.text

    def post_form(self, path: str, data) -> requests.Response:
        return self.post(self.base + path, data=data, allow_redirects=False, timeout=120)

    def login(self, user: User, code: str | None = None) -> None:
        token = csrf_of(self.page("/login"))
        resp = self.post_form("/login", {"csrf_token": token, "email": user.email, "password": PASSWORD})
        assert resp.status_code == 302, resp.text[:300]
        if user.role == "professional":
            return
        assert resp.headers["Location"].endswith("/login/mfa")
        token = csrf_of(self.page("/login/mfa"))
        code = code or pyotp.TOTP(user.totp_secret).now()
        resp = self.post_form("/login/mfa", {"csrf_token": token, "code": code})
        assert resp.status_code == 302, resp.text[:300]


def burst(calls) -> list[requests.Response]:
    """Run every call at the same instant (one thread each, released by a barrier)."""
    barrier = threading.Barrier(len(calls))
    out: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            out[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported with the statuses below
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    failures = [r for r in out if not isinstance(r, requests.Response)]
    assert not failures, failures
    return out


def statuses(responses) -> Counter:
    return Counter(r.status_code for r in responses)


def no_server_errors(responses) -> None:
    bad = [(r.status_code, r.text[:200]) for r in responses if r.status_code >= 500]
    assert not bad, bad


def count(stmt) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def browsers(live, users, codes=None) -> list[Browser]:
    out = []
    for i, user in enumerate(users):
        b = Browser(live)
        b.login(user, codes[i] if codes else None)
        out.append(b)
    return out


def staff(role: str, n: int, **where) -> list[User]:
    return [make_user(role, **where) for _ in range(n)]
