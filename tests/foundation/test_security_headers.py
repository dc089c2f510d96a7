import pytest

from talentmatch.config import Config


@pytest.mark.parametrize("path", ["/prefectures", "/login", "/static/css/app.css", "/no-such-page", "/api/v1/municipalities?prefecture=99"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_error_pages_show_no_stack_trace(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert "Traceback" not in r.get_data(as_text=True)


def test_production_refuses_debug_and_weak_secret(monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "production")
    monkeypatch.setenv("TALENTMATCH_SECRET_KEY", "secret")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config().check()
    monkeypatch.setenv("TALENTMATCH_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("TALENTMATCH_DEBUG", "1")
    with pytest.raises(RuntimeError, match="DEBUG"):
        Config().check()
    monkeypatch.setenv("TALENTMATCH_DEBUG", "0")
    Config().check()
    assert Config().SESSION_COOKIE_SECURE is True


def test_production_refuses_demo_data(app, monkeypatch):
    runner = app.test_cli_runner()
    app.config["IS_PRODUCTION"] = True
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code == 1 and "refused" in result.output
