"""Shared fixtures: a real database built by the migrations (SQLite file by default,
PostgreSQL when TALENTMATCH_TEST_DATABASE_URL is set: a fresh schema per run), the app, a
client, `auth` to log a person in and out of that client through the real forms (second
factor included), and for the browser stories one live server and one chromium per run.
Helpers live in tests/support."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from talentmatch.config import TestingConfig, database_url

# The properties check results, not speed: on a shared, loaded machine a first example that
# takes longer than Hypothesis' default 200 ms deadline is not a failure of the code.
settings.register_profile("talentmatch", deadline=None)
settings.load_profile("talentmatch")

PG_URL = os.environ.get("TALENTMATCH_TEST_DATABASE_URL", "")
KEEP_TABLES = {"prefecture", "municipality", "alembic_version"}


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if PG_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    if not PG_URL:
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
        return
    base = database_url(PG_URL)
    schema = f"tm_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_uri, tmp_path_factory):
    from flask_migrate import upgrade

    from talentmatch.app import create_app
    from talentmatch.geo.services import load_master
    from talentmatch.subsidies.measure_services import load_seed

    mail_dir = tmp_path_factory.mktemp("mail")
    cfg = TestingConfig(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_DIR=str(mail_dir),
                        WTF_CSRF_ENABLED=False, BASE_URL="http://localhost")
    app = create_app(cfg)
    with app.app_context():
        upgrade()
        load_master()
        load_seed()
    yield app


@pytest.fixture(autouse=True)
def _clean(request):
    """Every test starts from master data only (and no mail, no rate-limit counters)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from talentmatch.extensions import db, limiter

    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
        limiter.reset()
        # The shipped measures are in place in every test, as `make run` puts them.
        from talentmatch.subsidies.measure_services import load_seed

        load_seed()
        # Process-level caches derived from the data go with it.
        from talentmatch.publication.search import snapshots

        snapshots.reset()
    mail_dir = Path(app.config["MAIL_DIR"])
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        from talentmatch.extensions import db

        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection switched on, for the tests that check it."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


class AuthActions:
    """Log a person in (password, then the second factor for staff) and out of `client`."""

    def __init__(self, client) -> None:
        self._client = client

    def login(self, person, password: str | None = None):
        from tests.support.factories import PASSWORD, login

        return login(self._client, person, password or PASSWORD)

    def logout(self):
        resp = self._client.post("/logout")
        assert resp.status_code == 302, resp.status_code
        return resp


@pytest.fixture
def auth(client):
    """`auth.login(person)` / `auth.logout()` on the test's `client`."""
    return AuthActions(client)


@pytest.fixture(scope="session")
def server(app):
    """The app served over real HTTP on 127.0.0.1 for the browser stories, once per run;
    every test still starts from master data only (`_clean`)."""
    from tests.support.browser import serve

    yield from serve(app)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, once per run; each story opens its own contexts
    (closed again by `_fresh_contexts`)."""
    from tests.support.browser import launch

    yield from launch()


@pytest.fixture(autouse=True)
def _fresh_contexts(request):
    """A story leaves no browser context (cookies, storage) behind for the next one."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()
