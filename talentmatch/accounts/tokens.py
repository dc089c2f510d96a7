"""Signed, single-use, expiring links (SECURITY.md 4).

The link carries a 256-bit random token signed with the app's key; only its SHA-256 is stored,
and the row's ``used_at`` makes it single use.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"talentmatch:{purpose}")


def sign(purpose: str, raw: str) -> str:
    return _serializer(purpose).dumps(raw)


def unsign(purpose: str, signed: str, max_age: int) -> str | None:
    """The raw token, or None when the signature is forged or the link is too old."""
    try:
        value = _serializer(purpose).loads(signed, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return value if isinstance(value, str) else None
