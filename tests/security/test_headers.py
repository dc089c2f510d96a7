"""Security headers on every kind of response (SECURITY.md 17): pages, every error status,
static files, the JSON API, CSV / Excel / Atom downloads; `no-store` on everything a
logged-in user is shown; cookie flags in production; production refuses to start unsafe."""

from __future__ import annotations

import pytest

from talentmatch import config as configs
from talentmatch.config import Config
from tests.security.test_authorization_matrix import ROWS as MATRIX_ROWS
from tests.support.factories import login, make_user
from tests.support.figures import figure
from tests.support.security_world import ROLES, client_for, url_of

STRONG_SECRET = "k" * 48


def check_headers(resp, *, authenticated: bool = False) -> None:
    h = resp.headers
    where = f"{resp.request.method} {resp.request.path} → {resp.status_code}"
    csp = {d.split()[0]: d.split()[1:] for d in h.get("Content-Security-Policy", "").split(";")
           if d.strip()}
    assert csp, f"{where}: no CSP"
    assert csp.get("object-src") == ["'none'"], where
    assert csp.get("base-uri") == ["'none'"], where
    assert csp.get("frame-ancestors") in (["'none'"], ["'self'"]), where
    scripts = csp.get("script-src", csp.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert "'unsafe-inline'" not in csp.get("default-src", []), where
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("Referrer-Policy") in ("strict-origin-when-cross-origin", "no-referrer",
                                        "same-origin", "strict-origin"), where
    assert h.get("Strict-Transport-Security", "").startswith("max-age="), where
    assert int(h["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000, where
    if authenticated:
        assert "no-store" in h.get("Cache-Control", ""), f"{where}: cacheable while logged in"
    figure("headers", "responses checked")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_carries_the_headers(app, world, role):
    """Each GET row of the matrix (pages, downloads, redirects, 403s, 404s) as each role."""
    client = client_for(app, world, role)
    for endpoint, method, spec, _ in MATRIX_ROWS:
        if method == "GET":
            resp = client.get(url_of(app, world, endpoint, spec))
            check_headers(resp, authenticated=role != "anon")


@pytest.mark.parametrize("path", ["/static/css/app.css", "/healthz", "/api/v1/postings",
                                  "/api/v1/openapi.json", "/api/v1/postings/999999",
                                  "/postings.csv", "/postings.xlsx", "/feed.atom", "/",
                                  "/prefectures", "/login"])
def test_public_files_api_and_downloads(client, path):
    resp = client.get(path)
    assert resp.status_code in (200, 404)
    check_headers(resp)


def test_an_api_error_carries_the_headers(client):
    resp = client.get("/api/v1/municipalities?prefecture=99")
    assert resp.status_code in (400, 404) and resp.is_json
    check_headers(resp)


def test_error_statuses(app, world):
    client = app.test_client()
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "Traceback" not in resp.get_data(as_text=True)
    check_headers(resp)
    check_headers(client.put("/"))  # 405
    resp = client_for(app, world, "pro").get("/admin/users")
    assert resp.status_code == 403
    check_headers(resp, authenticated=True)
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = client.post("/login", data=big, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413
    check_headers(resp)
    # 429: the imported-person confirmation link allows 20 tries an hour per client.
    statuses = [client.post("/professionals/confirm/forged/decline").status_code for _ in range(25)]
    assert statuses[-1] == 429, statuses
    check_headers(client.post("/professionals/confirm/forged/decline"))


def _second_app(database_uri, tmp_path, *, production: bool = False, monkeypatch=None):
    """Another app on the same database, for what the shared one must not be given: a
    route that fails, or the production configuration."""
    from talentmatch.app import create_app

    if production:
        monkeypatch.setenv("TALENTMATCH_ENV", "production")
        monkeypatch.setenv("TALENTMATCH_SECRET_KEY", STRONG_SECRET)
        cfg = Config()
        cfg.SQLALCHEMY_DATABASE_URI = database_uri
        cfg.MAIL_DIR = str(tmp_path)
        cfg.WTF_CSRF_ENABLED = False
        cfg.RATELIMIT_STORAGE_URI = "memory://"
    else:
        cfg = configs.TestingConfig(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_DIR=str(tmp_path),
                            WTF_CSRF_ENABLED=False)
    return create_app(cfg)


def test_unexpected_errors_give_500_with_headers_and_no_trace(app, database_uri, tmp_path):
    other = _second_app(database_uri, tmp_path)

    @other.get("/test-only/fails")
    def fails():
        raise RuntimeError("secret internal detail")

    @other.get("/api/v1/test-only/fails")
    def api_fails():
        raise RuntimeError("secret internal detail")

    client = other.test_client()
    for path in ("/test-only/fails", "/api/v1/test-only/fails"):
        resp = client.get(path)
        assert resp.status_code == 500
        body = resp.get_data(as_text=True)
        assert "secret internal detail" not in body and "Traceback" not in body
        check_headers(resp)
    assert client.get("/api/v1/test-only/fails").is_json


def test_logged_in_downloads_are_not_stored(app, world):
    client = client_for(app, world, "muni")
    for path in ("/subsidies/estimate.csv", "/subsidies/estimate.xlsx",
                 "/my/postings/import/template.csv", "/home"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        check_headers(resp, authenticated=True)


def _cookie_flags(resp) -> dict[str, set[str]]:
    out = {}
    for header in resp.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        out[name] = {p.strip().lower() for p in header.split(";")[1:]}
    return out


def test_cookies_in_production_are_secure_httponly_lax(app, ctx, database_uri, tmp_path,
                                                       monkeypatch):
    prod = _second_app(database_uri, tmp_path, production=True, monkeypatch=monkeypatch)
    assert prod.config["IS_PRODUCTION"] and not prod.debug
    user = make_user("municipality", municipality_code="011002")
    client = prod.test_client()
    cookies = {}
    resp = client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    cookies.update(_cookie_flags(resp))
    login(client, user)  # the whole login, second factor included
    resp = client.post("/language", data={"locale": "en"})
    cookies.update(_cookie_flags(resp))
    assert {"tm_session", "tm_lang"} <= set(cookies), cookies
    for name, flags in cookies.items():
        assert "secure" in flags, name
        assert "httponly" in flags, name
        assert "samesite=lax" in flags or "samesite=strict" in flags, name
        figure("headers", "production cookies checked")


def test_development_cookies_are_httponly_and_lax(app, world):
    client = client_for(app, world, "pro")
    resp = client.post("/language", data={"locale": "en"})
    flags = _cookie_flags(resp)["tm_lang"]
    assert "httponly" in flags and "samesite=lax" in flags


def test_production_config_with_a_strong_secret_passes_and_secures_the_cookie(monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "production")
    monkeypatch.setenv("TALENTMATCH_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("TALENTMATCH_DEBUG", "0")
    Config().check()
    assert Config().SESSION_COOKIE_SECURE is True


def test_production_without_redis_says_login_limits_are_per_process(app, database_uri, tmp_path,
                                                                    monkeypatch, caplog):
    with caplog.at_level("WARNING", logger="talentmatch"):
        _second_app(database_uri, tmp_path, production=True, monkeypatch=monkeypatch)
    assert "TALENTMATCH_REDIS_URL" in caplog.text
    caplog.clear()
    monkeypatch.setenv("TALENTMATCH_ENV", "development")
    with caplog.at_level("WARNING", logger="talentmatch"):
        _second_app(database_uri, tmp_path)  # development: one process, no warning
    assert "TALENTMATCH_REDIS_URL" not in caplog.text


@pytest.mark.parametrize(("secret", "debug", "message"), [
    ("", "0", "SECRET_KEY"), ("secret", "0", "SECRET_KEY"), ("short-but-random-9f2", "0", "SECRET_KEY"),
    (STRONG_SECRET, "1", "DEBUG"),
])
def test_production_app_refuses_to_start_unsafe(monkeypatch, secret, debug, message):
    from talentmatch.app import create_app

    monkeypatch.setenv("TALENTMATCH_ENV", "production")
    monkeypatch.setenv("TALENTMATCH_SECRET_KEY", secret)
    monkeypatch.setenv("TALENTMATCH_DEBUG", debug)
    with pytest.raises(RuntimeError, match=message):
        create_app()
