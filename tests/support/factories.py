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
    # Prefer the current step: if the clock rolls over before the login posts, it is still
    # inside the ±1 window.
    counter = now if user.totp_last_counter is None else max(now, user.totp_last_counter + 1)
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


# --- postings (publication tests build them directly, without the workflow services) -------

POSTING_DEFAULTS: dict = {
    "title": "CIO補佐官",
    "role_type": "project_manager",
    "employment_type": "special_part_time",
    "joint_wish": "none",
    "side_job_ok": True,
    "focus_areas": ["dx_strategy"],
    "duties": "DX推進計画の策定と進行管理を支援します。",
    "required_experience": "ICTを活用した業務改革を担った経験",
    "required_skills": ["プロジェクト管理"],
    "preferred_skills": [],
    "preferred_qualifications": [],
    "days_per_month": 4,
    "hours_note": "",
    "remote": "partial",
    "work_location": "本庁舎",
    "compensation_amount": 300000,
    "compensation_unit": "month",
    "period_start": None,  # filled relative to today
    "period_end": None,
    "deadline": None,
    "selection_process": "書類選考、面接",
    "how_to_apply": "https://www.city.example.lg.jp/recruit",
    "contact_department": "デジタル推進課",
    "contact_email": "dx@city.example.lg.jp",
    "contact_phone": "03-1234-5678",
    "dx_policy_status": "adopted",
    "dx_organization": "市長を本部長とするDX推進本部",
    "cio_title": "副市長",
    "pr_text": "",
    "title_en": "",
    "summary_en": "",
    "publication_channels": ["job_sites"],
}


def posting_search_text(rev) -> str:
    """The same fields the postings service indexes for keyword search."""
    from talentmatch.geo.services import municipal_lookup
    from talentmatch.postings.services import SEARCHED_KEYS
    from talentmatch.postings.services import posting_search_text as indexed

    return indexed({k: getattr(rev, k) for k in SEARCHED_KEYS}, municipal_lookup(rev.municipality_code))


def _revision(posting, number: int, state: str, fields: dict):
    from datetime import date, timedelta

    from talentmatch.postings.models import PostingRevision

    today = date.today()
    values = {**POSTING_DEFAULTS, **fields}
    values["deadline"] = values["deadline"] or today + timedelta(days=30)
    values["period_start"] = values["period_start"] or today + timedelta(days=60)
    values["period_end"] = values["period_end"] or today + timedelta(days=425)
    published_at = values.pop("published_at", None)
    rev = PostingRevision(posting=posting, number=number, state=state,
                          municipality_code=posting.municipality_code,
                          prefecture_code=posting.prefecture_code, **values)
    if state in ("published", "closed", "superseded"):
        rev.published_at = published_at or utcnow()
    rev.focus_key = "|" + "".join(f"{a}|" for a in rev.focus_areas)
    rev.search_text = posting_search_text(rev)
    return rev


def make_posting(municipality_code: str, state: str = "published", **fields):
    """A posting whose only revision is in `state`. 'published' and 'closed' make it the
    public revision (closed also closes the posting); 'withdrawn' ends the posting; other
    states leave it in progress. Posting-level: status=, first_published_at=."""
    from talentmatch.postings.models import Posting

    status = fields.pop("status", None)
    first_published_at = fields.pop("first_published_at", None)
    posting = Posting(municipality_code=municipality_code, prefecture_code=municipality_code[:2])
    rev = _revision(posting, 1, state, fields)
    db.session.add_all([posting, rev])
    db.session.flush()
    if state in ("published", "closed"):
        posting.published_revision = rev
        posting.first_published_at = first_published_at or rev.published_at
    posting.current_revision = rev
    posting.status = status or {"closed": "closed", "withdrawn": "withdrawn"}.get(state, "open")
    if state == "closed":
        posting.closed_at = utcnow()
    db.session.commit()
    return posting


def add_revision(posting, state: str = "draft", **fields):
    """A further revision of `posting` (e.g. a draft edit of a published posting); the
    public revision stays as it is unless state is 'published'."""
    number = max(r.number for r in posting.revisions) + 1
    base = posting.published_revision or posting.current_revision
    copied = {k: getattr(base, k) for k in POSTING_DEFAULTS}
    rev = _revision(posting, number, state, {**copied, **fields})
    db.session.add(rev)
    db.session.flush()
    posting.current_revision = rev
    if state == "published":
        posting.published_revision.state = "superseded"
        posting.published_revision = rev
    db.session.commit()
    return rev
