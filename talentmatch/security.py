"""Security headers on every response (SECURITY.md 17), static files and errors included.
Cache-Control (public answers, `private, no-store` for everything personal) is httpcache's."""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response
from markupsafe import Markup

# The one inline script: before the first paint it tells the stylesheet that scripts run, so
# a narrow screen draws the header with its menu folded at once instead of folding it after
# menu.js has loaded (which moved the whole page, Lighthouse's layout shift 0.19). The policy
# allows exactly this text by its hash.
EARLY_SCRIPT_TAG = Markup("<script>document.documentElement.classList.add('has-menu')</script>")
EARLY_SCRIPT = EARLY_SCRIPT_TAG.removeprefix("<script>").removesuffix("</script>")
EARLY_SCRIPT_HASH = base64.b64encode(hashlib.sha256(EARLY_SCRIPT.encode()).digest()).decode()

CSP = (
    f"default-src 'self'; script-src 'self' 'sha256-{EARLY_SCRIPT_HASH}'; style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["early_script"] = EARLY_SCRIPT_TAG

    @app.after_request
    def _headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            # Production only: development serves plain HTTP, where the header means nothing
            # and would pin https on localhost for every other local project.
            h.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
