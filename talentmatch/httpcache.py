"""HTTP caching of the public answers (DESIGN.md §8) and compression of every text answer.

An anonymous GET of a public page, feed, export or API answer sets no cookie, carries a
strong ETag derived from the public set's version (`publication.search`: every process
rechecks it at most once a second), the language and the release, is answered 304 before
anything is rendered when the client already holds it, and says
``Cache-Control: public, max-age=…, s-maxage=…`` so nginx's proxy_cache (deploy/) or a CDN
serves the national listing's peaks. Pages (HTML) keep a browser max-age of 0: browsers
revalidate (a cheap 304) so a person who just logged in never sees a page cached while
logged out; shared caches keep them for the freshness window.

Anything else is ``private, no-store``: logged-in pages, requests that carry a session
cookie (a flash message, a form's CSRF token), answers that set a cookie.

The language travels in the URL (``?lang=en``, kept by links). The ``tm_lang`` cookie is set
only when a person chooses a language; where the URL names none, it decides, and such an
answer is ``private`` (``Vary: Cookie``). So public answers vary only on Accept-Encoding.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

import brotli
from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface

from talentmatch.config import ROOT

# Endpoints whose anonymous answers are public and cacheable.
PUBLIC_ENDPOINTS = frozenset({
    "publication.home", "publication.listing", "publication.posting",
    "publication.postings_csv", "publication.postings_xlsx", "publication.feed_atom",
    "api.postings", "api.posting", "api.openapi",
    "geo.prefectures", "geo.prefecture", "geo.api_municipalities",
    "matching.help_page",
})
# Those of them that are HTML pages: they show whether someone is logged in.
PAGE_ENDPOINTS = frozenset({
    "publication.home", "publication.listing", "publication.posting",
    "geo.prefectures", "geo.prefecture", "matching.help_page",
})
# Their one answer that is not text (a zip container: never compressed).
BINARY_ENDPOINTS = frozenset({"publication.postings_xlsx"})
# Files that are the same for everybody and say how long they keep (fingerprinted files are
# immutable, so even a logged-in person's browser keeps them).
SELF_CACHED = frozenset({"static"})
SELF_CACHED_ANONYMOUS = frozenset({"favicon"})

COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/csv", "text/plain", "text/javascript",
    "application/javascript", "application/json", "application/atom+xml", "application/xml",
    "image/svg+xml",
})
MIN_COMPRESS_BYTES = 512
GZIP_LEVEL = 6
BROTLI_QUALITY = 4  # fast enough for pages rendered per request; nginx caches the result
ENCODING_SUFFIX = {"br": "-br", "gzip": "-gz", None: ""}


# --------------------------------------------------------------------------- release


@lru_cache(maxsize=1)
def release() -> str:
    """A digest of the code, templates, static files and compiled catalogues: a deploy
    changes every public ETag."""
    digest = hashlib.sha256()
    for folder, pattern in (("talentmatch", "*.py"), ("templates", "*"), ("static", "*"),
                            ("translations", "*.mo")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- sessions


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a request which brought no session cookie
    and left the session empty gets no cookie and no ``Vary: Cookie``: its answer did not
    depend on a cookie (requests with a session cookie never get a public answer)."""

    def open_session(self, app, request):
        if self.get_cookie_name(app) not in request.cookies and app.secret_key:
            return self.session_class()  # nothing to verify: skip building the signer
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if not session and self.get_cookie_name(app) not in request.cookies:
            return
        super().save_session(app, session, response)


def has_session_cookie() -> bool:
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


# --------------------------------------------------------------------------- negotiation


def negotiated_encoding() -> str | None:
    """br or gzip when the client accepts it (its q-values respected), else None."""
    accept = request.accept_encodings
    best = accept.best_match(["br", "gzip"])
    return best if best and accept[best] > 0 else None


def _mimetype(response: Response) -> str:
    return (response.mimetype or "").lower()


# --------------------------------------------------------------------------- public answers


def _public_request() -> bool:
    return (request.method in ("GET", "HEAD") and request.endpoint in PUBLIC_ENDPOINTS
            and not has_session_cookie())


def _base_etag(lang: str) -> str:
    from talentmatch.publication.search import snapshots

    return _tag(release(), current_app.config["BASE_URL"], lang, snapshots.version())


@lru_cache(maxsize=64)
def _tag(release_id: str, base_url: str, lang: str, version: tuple) -> str:
    raw = f"{release_id}|{base_url}|{lang}|{version}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _client_tags() -> set[str]:
    """The If-None-Match tags without their encoding suffix (a tag is valid for the
    representation in any encoding: the suffix only keeps strong tags distinct)."""
    tags = set()
    for tag in request.if_none_match.as_set():
        for suffix in ("-br", "-gz"):
            if tag.endswith(suffix):
                tag = tag[: -len(suffix)]
        tags.add(tag)
    return tags


_ETAG = "talentmatch.public_etag"
_LANG_FROM_COOKIE = "talentmatch.lang_from_cookie"


def _before() -> Response | None:
    # Kept in the request's environ, never in g (an app context can outlive one request).
    if not _public_request():
        return None
    from talentmatch.i18n import language_from_url, visitor_locale

    from_url = language_from_url()
    lang = from_url or visitor_locale()  # no session cookie: nobody is logged in
    request.environ[_LANG_FROM_COOKIE] = from_url is None and lang != "ja"
    etag = request.environ[_ETAG] = _base_etag(lang)
    if etag in _client_tags() or request.if_none_match.star_tag:
        return Response(status=304)
    return None


def _freshness() -> int:
    return int(current_app.config.get("PUBLIC_CACHE_SECONDS", 60))


def _cache_headers(response: Response) -> None:
    h = response.headers
    etag = request.environ.get(_ETAG)
    # A public request brought no session cookie, so nobody is logged in (login is a POST).
    public = etag is not None and response.status_code in (200, 304) and "Set-Cookie" not in h
    if public:
        encoding = None if request.endpoint in BINARY_ENDPOINTS else negotiated_encoding()
        h["ETag"] = f'"{etag}{ENCODING_SUFFIX[encoding]}"'
        response.vary.add("Accept-Encoding")
        seconds = _freshness()
        if request.environ.get(_LANG_FROM_COOKIE):
            # The cookie chose the language: this browser's own copy, revalidated each time.
            h["Cache-Control"] = "private, no-cache"
            response.vary.add("Cookie")
        elif request.endpoint in PAGE_ENDPOINTS:
            # Pages show whether someone is logged in: browsers revalidate every time.
            h["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        else:
            h["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
        return
    if ("Cache-Control" in h and "Set-Cookie" not in h
            and (request.endpoint in SELF_CACHED
                 or (request.endpoint in SELF_CACHED_ANONYMOUS and not _authenticated()))):
        return
    h["Cache-Control"] = "private, no-store"


def _authenticated() -> bool:
    from flask_login import current_user

    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:
        return False


# --------------------------------------------------------------------------- compression


def _compressible(response: Response) -> bool:
    return _mimetype(response) in COMPRESSIBLE


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    comp = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := comp.compress(chunk):
            yield out
    yield comp.flush()


def _brotli_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    comp = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        if out := comp.process(chunk):
            yield out
    yield comp.finish()


def compress(response: Response) -> Response:
    """br or gzip for text answers above a small size, streamed ones included."""
    if (request.method == "HEAD" or response.status_code < 200 or response.status_code in (204, 304)
            or "Content-Encoding" in response.headers or "Content-Range" in response.headers
            or not _compressible(response)):
        return response
    response.vary.add("Accept-Encoding")
    encoding = negotiated_encoding()
    if encoding is None:
        return response
    if response.is_streamed and not response.direct_passthrough:
        body = response.response
        response.response = (_brotli_stream if encoding == "br" else _gzip_stream)(
            chunk.encode() if isinstance(chunk, str) else chunk for chunk in body)
        response.headers.pop("Content-Length", None)
    else:
        response.direct_passthrough = False
        data = response.get_data()
        if len(data) < MIN_COMPRESS_BYTES:
            return response
        if encoding == "br":
            packed = brotli.compress(data, quality=BROTLI_QUALITY)
        else:
            packed = zlib.compress(data, GZIP_LEVEL, wbits=31)
        response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag and not weak and not etag.endswith(("-br", "-gz")):
        response.set_etag(etag + ENCODING_SUFFIX[encoding])
    return response


# --------------------------------------------------------------------------- wiring


def init_app(app: Flask) -> None:
    """Register after every other before_request hook that selects the locale."""
    app.session_interface = SessionInterface()
    app.before_request(_before)

    @app.after_request
    def _after(response: Response) -> Response:
        _cache_headers(response)
        return compress(response)
