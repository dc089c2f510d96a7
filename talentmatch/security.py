"""Security headers on every response (SECURITY.md 17), static files and errors included."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        try:
            authenticated = bool(current_user and current_user.is_authenticated)
        except Exception:
            authenticated = False
        if authenticated or request.endpoint in {"accounts.login", "accounts.mfa"}:
            h["Cache-Control"] = "no-store"
        return response
