"""Test data builders: users of every role and logging them in through the real forms."""

from __future__ import annotations

import itertools

import pyotp

from talentmatch.accounts.models import User
from talentmatch.accounts.services import hash_password, new_totp_secret
from talentmatch.db import utcnow
from talentmatch.extensions import db

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
_HASH: dict[str, str] = {}


def _hash(pw: str) -> str:
    if pw not in _HASH:
        _HASH[pw] = hash_password(pw)
    return _HASH[pw]


def make_user(role: str = "professional", *, email: str | None = None, municipality_code: str | None = None,
              prefecture_code: str | None = None, name: str | None = None, password: str = PASSWORD,
              confirmed: bool = True, locale: str = "ja") -> User:
    n = next(_seq)
    user = User(
        email=email or f"{role}{n}@example.jp",
        role=role,
        display_name=name or f"{role} {n}",
        password_hash=_hash(password),
        municipality_code=municipality_code,
        prefecture_code=prefecture_code,
        email_confirmed_at=utcnow() if confirmed else None,
        locale=locale,
    )
    if role != "professional":
        user.totp_secret = new_totp_secret()
    db.session.add(user)
    db.session.commit()
    return user


def next_code(user: User) -> str:
    """A valid second-factor code that has not been used yet (the ±1 step window allows it)."""
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    now = totp.timecode(utcnow())
    counter = now - 1 if user.totp_last_counter is None else max(now - 1, user.totp_last_counter + 1)
    if counter > now + 1:
        raise RuntimeError("no unused code in the window")
    return totp.generate_otp(counter)


def login(client, user: User, password: str = PASSWORD):
    """Log in through the real login (and second-factor) forms."""
    resp = client.post("/login", data={"email": user.email, "password": password})
    if user.role != "professional":
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/login/mfa"), resp.status_code
        resp = client.post("/login/mfa", data={"code": next_code(user)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return resp
