"""HTTP caching of the public answers (DESIGN §8): no cookie for anonymous visitors, strong
ETags from the public set's version, 304 before rendering, Cache-Control public / private,
the language in the URL or a chosen cookie, fingerprinted static files, compression, the
favicon, meta descriptions and HSTS only in production."""

from __future__ import annotations

import gzip
import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import brotli
import pytest
from flask import template_rendered
from sqlalchemy import delete, select

from talentmatch.config import Config
from talentmatch.httpcache import PAGE_ENDPOINTS, PUBLIC_ENDPOINTS
from tests.support.factories import make_posting, make_user

SAPPORO = "011002"

# One URL per public endpoint (a test fails when an endpoint is added without one).
URLS = {
    "publication.home": "/",
    "publication.listing": "/postings?q=%E3%82%BB%E3%82%AD%E3%83%A5%E3%83%AA%E3%83%86%E3%82%A3",
    "publication.posting": "/postings/{id}",
    "publication.postings_csv": "/postings.csv",
    "publication.postings_xlsx": "/postings.xlsx",
    "publication.feed_atom": "/feed.atom",
    "api.postings": "/api/v1/postings",
    "api.posting": "/api/v1/postings/{id}",
    "api.openapi": "/api/v1/openapi.json",
    "geo.prefectures": "/prefectures",
    "geo.prefecture": "/prefectures/01",
    "geo.api_municipalities": "/api/v1/municipalities?prefecture=01",
    "matching.help_page": "/help/matching",
}


@pytest.fixture
def published(app):
    with app.app_context():
        return make_posting(SAPPORO, title="CIO補佐官", title_en="CIO adviser",
                            duties="全庁のDX推進計画の策定と進行管理を支援します。").id


def urls(posting_id: int) -> list[str]:
    return [URLS[e].format(id=posting_id) for e in sorted(PUBLIC_ENDPOINTS)]


@contextmanager
def rendered(app):
    seen: list[str] = []

    def record(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def test_every_public_endpoint_has_a_url_here():
    assert set(URLS) == set(PUBLIC_ENDPOINTS)


def test_anonymous_public_answers_set_no_cookie_and_are_cacheable(app, client, published):
    for url in urls(published):
        resp = client.get(url)
        h = resp.headers
        assert resp.status_code == 200, url
        assert "Set-Cookie" not in h, url
        etag, weak = resp.get_etag()
        assert etag and not weak, url
        cc = {p.strip() for p in h["Cache-Control"].split(",")}
        assert "public" in cc and any(p.startswith("s-maxage=") for p in cc), (url, cc)
        assert any(p.startswith("max-age=") for p in cc), (url, cc)
        assert "no-store" not in h["Cache-Control"] and "private" not in h["Cache-Control"]
        assert [v.strip() for v in h["Vary"].split(",")] == ["Accept-Encoding"], (url, h["Vary"])
        assert not client.get_cookie("tm_session"), url


def test_conditional_requests_get_304_before_anything_is_rendered(app, client, published):
    for url in urls(published):
        etag = client.get(url).headers["ETag"]
        with rendered(app) as templates:
            again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b"" and templates == [], url
        assert again.headers["ETag"] == etag and "public" in again.headers["Cache-Control"]
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_pages_are_revalidated_by_browsers_and_kept_by_shared_caches(app, client, published):
    seconds = app.config["PUBLIC_CACHE_SECONDS"]
    for endpoint in PUBLIC_ENDPOINTS:
        cc = client.get(URLS[endpoint].format(id=published)).headers["Cache-Control"]
        if endpoint in PAGE_ENDPOINTS:
            assert cc == f"public, max-age=0, s-maxage={seconds}", endpoint
        else:
            assert cc == f"public, max-age={seconds}, s-maxage={seconds}", endpoint


def test_a_publication_changes_the_version(app, client, published):
    first = client.get("/postings")
    etag = first.headers["ETag"]
    with app.app_context():
        make_posting(SAPPORO, title="新しい募集")
    after = client.get("/postings", headers={"If-None-Match": etag})
    assert after.status_code == 200 and "新しい募集" in after.get_data(as_text=True)
    assert after.headers["ETag"] != etag
    # …and so does closing one (the posting page itself included).
    page = client.get(f"/postings/{published}?lang=en")
    with app.app_context():
        from talentmatch.extensions import db
        from talentmatch.postings.models import Posting

        db.session.get(Posting, published).status = "closed"
        db.session.commit()
    closed = client.get(f"/postings/{published}?lang=en",
                        headers={"If-None-Match": page.headers["ETag"]})
    assert closed.status_code == 200 and "This posting is closed" in closed.get_data(as_text=True)


def test_a_set_that_reuses_the_ids_of_an_earlier_one_gets_another_version(app, client):
    """SQLite gives a deleted row's id to the next one, and a restored backup brings old ids
    back: a different posting under the same ids must not revalidate an old page."""
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting, PostingRevision

    with app.app_context():
        make_posting(SAPPORO, title="前の募集", published_at=datetime(2026, 4, 1, 9, 0))
    before = client.get("/postings")
    assert "前の募集" in before.get_data(as_text=True)
    with app.app_context():
        ids = db.session.execute(select(Posting.id, Posting.published_revision_id)).all()
        posting = db.session.get(Posting, ids[0][0])
        posting.published_revision_id = posting.current_revision_id = None
        db.session.flush()
        db.session.execute(delete(PostingRevision))
        db.session.execute(delete(Posting))
        db.session.commit()
        again = make_posting(SAPPORO, title="後の募集", published_at=datetime(2026, 5, 1, 9, 0))
        same_ids = [(again.id, again.published_revision_id)] == ids
    after = client.get("/postings", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "後の募集" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"], same_ids


def test_logged_in_answers_are_private_and_never_304_from_an_anonymous_tag(app, client, auth, ctx,
                                                                           published):
    anonymous = {url: client.get(url).headers["ETag"] for url in urls(published)}
    auth.login(make_user("professional"))
    for url, etag in anonymous.items():
        resp = client.get(url, headers={"If-None-Match": etag})
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "private, no-store", url
        assert "ETag" not in resp.headers, url
    assert client.get("/home").headers["Cache-Control"] == "private, no-store"


def test_a_session_cookie_makes_public_pages_private(csrf_app, published):
    """A visitor holding a session (a form's token, a flash message) gets their own page."""
    client = csrf_app.test_client()
    assert "Set-Cookie" not in client.get("/postings").headers
    client.get("/login")  # the login form's CSRF token starts a session
    assert client.get_cookie("tm_session")
    resp = client.get("/postings")
    assert resp.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in resp.headers


def test_language_in_the_url_is_public_and_links_keep_it(app, client, published):
    resp = client.get(f"/postings/{published}?lang=en")
    html = resp.get_data(as_text=True)
    assert '<html lang="en">' in html and "CIO adviser" in html
    assert resp.headers["Cache-Control"].startswith("public") and "Set-Cookie" not in resp.headers
    assert 'href="/postings?lang=en"' in html  # the breadcrumb keeps the language
    assert resp.headers["ETag"] != client.get(f"/postings/{published}").headers["ETag"]
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates == {"ja": f"http://localhost/postings/{published}",
                          "en": f"http://localhost/postings/{published}?lang=en",
                          "x-default": f"http://localhost/postings/{published}"}
    ja = client.get("/postings").get_data(as_text=True)
    assert '<html lang="ja">' in ja and "lang=en" not in re.sub(r"<head>.*?</head>", "", ja, flags=re.S)


def test_the_switch_remembers_a_chosen_language_in_a_cookie(app, client, published):
    html = client.get("/postings?q=DX").get_data(as_text=True)
    switch = re.search(r'<form class="inline lang-switch" method="get" action="/language">(.*?)</form>',
                       html, re.S)
    assert switch and "csrf_token" not in switch.group(1)
    resp = client.get("/language?locale=en&next=/postings%3Fq%3DDX")
    assert resp.status_code == 302 and resp.headers["Location"] == "/postings?q=DX&lang=en"
    assert resp.headers["Cache-Control"] == "private, no-store"
    assert client.get_cookie("tm_lang").value == "en"
    # Where the URL names no language, the chosen one applies, in this browser only.
    page = client.get("/postings")
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in page.headers["Vary"]
    # Back to Japanese: the URL drops its lang.
    back = client.get("/language?locale=ja&next=/postings%3Flang%3Den")
    assert back.headers["Location"] == "/postings" and client.get_cookie("tm_lang").value == "ja"
    assert client.get("/language?locale=fr").status_code == 400
    assert client.get("/language?locale=en&next=https://evil.example/").headers["Location"] == "/?lang=en"


def test_static_files_are_fingerprinted_and_immutable(app, client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'<link rel="stylesheet" href="(/static/([0-9a-f]{12})/css/app\.css)">', html)
    assert css
    resp = client.get(css.group(1))
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.data == (Path(app.static_folder) / "css/app.css").read_bytes()
    assert client.get("/static/000000000000/css/app.css").status_code == 404
    assert client.get("/static/css/app.css").headers["Cache-Control"] == "public, no-cache"
    # A logged-in person's browser keeps them too.
    assert re.search(r'href="/static/[0-9a-f]{12}/favicon\.svg" type="image/svg\+xml"', html)


def test_flask_assets_build_writes_the_fingerprinted_names(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["assets", "build", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        from flask import url_for

        css = url_for("static", filename="css/app.css")
    assert (tmp_path / css.lstrip("/")).read_bytes() == (Path(app.static_folder) / "css/app.css").read_bytes()
    assert (tmp_path / "favicon.ico").exists()


def test_text_answers_are_compressed_as_the_client_asks(app, client, published):
    plain = client.get("/postings").data
    br = client.get("/postings", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain
    assert br.headers["ETag"].endswith('-br"')
    gz = client.get("/postings", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain
    assert len(gz.data) < len(plain) / 2
    # A tag of any encoding revalidates the representation.
    assert client.get("/postings", headers={"Accept-Encoding": "gzip",
                                            "If-None-Match": br.headers["ETag"]}).status_code == 304
    refused = client.get("/postings", headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain
    # Streamed downloads are compressed as they stream.
    csv_plain = client.get("/postings.csv").data
    csv_gz = client.get("/postings.csv", headers={"Accept-Encoding": "gzip"})
    assert csv_gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(csv_gz.data) == csv_plain
    # Tiny answers and binary files are left alone.
    assert "Content-Encoding" not in client.get("/healthz", headers={"Accept-Encoding": "br"}).headers
    xlsx = client.get("/postings.xlsx", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in xlsx.headers and xlsx.data[:2] == b"PK"
    css = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"


def test_favicon(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/vnd.microsoft.icon"
    assert resp.data[:4] == b"\x00\x00\x01\x00"
    assert "Set-Cookie" not in resp.headers and "max-age" in resp.headers["Cache-Control"]


def test_every_page_has_a_meta_description(app, client, published):
    seen = {}
    for endpoint in sorted(PAGE_ENDPOINTS):
        html = client.get(URLS[endpoint].format(id=published)).get_data(as_text=True)
        found = re.findall(r'<meta name="description" content="([^"]+)">', html)
        assert len(found) == 1 and len(found[0]) > 20, endpoint
        seen[endpoint] = found[0]
    assert "CIO補佐官" in seen["publication.posting"] and "DX推進計画" in seen["publication.posting"]
    listing = client.get("/postings").get_data(as_text=True)
    assert re.search(r'<meta name="description" content="[^"]*1件', listing)
    assert len({seen["publication.posting"], seen["publication.listing"], seen["publication.home"]}) == 3
    # Pages that are nobody's to index (a login form, staff pages) carry none.
    assert '<meta name="description"' not in client.get("/login").get_data(as_text=True)


def _app(database_uri, tmp_path, monkeypatch, env: str):
    from talentmatch.app import create_app

    monkeypatch.setenv("TALENTMATCH_ENV", env)
    monkeypatch.setenv("TALENTMATCH_SECRET_KEY", "k" * 48)
    monkeypatch.delenv("TALENTMATCH_HSTS", raising=False)
    cfg = Config()
    cfg.SQLALCHEMY_DATABASE_URI = database_uri
    cfg.MAIL_DIR = str(tmp_path)
    cfg.RATELIMIT_STORAGE_URI = "memory://"
    return create_app(cfg)


def test_hsts_only_in_production(app, database_uri, tmp_path, monkeypatch):
    dev = _app(database_uri, tmp_path, monkeypatch, "development").test_client()
    for path in ("/", "/healthz", "/static/css/app.css", "/no-such-page"):
        assert "Strict-Transport-Security" not in dev.get(path).headers, path
    prod = _app(database_uri, tmp_path, monkeypatch, "production").test_client()
    for path in ("/", "/healthz", "/static/css/app.css", "/no-such-page"):
        assert prod.get(path).headers["Strict-Transport-Security"].startswith("max-age=63072000")
