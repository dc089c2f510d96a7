"""Builders for the professionals tests."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.professionals.models import Professional
from tests.support.factories import make_user


def make_professional(
    *, discoverable: bool = True, name: str | None = None, email: str | None = None, **fields
) -> Professional:
    user = make_user("professional", name=name, email=email)
    values = dict(
        kind="individual",
        headline="自治体DXの支援",
        skills=["information_security"],
        free_skills=[],
        focus_areas=["security"],
        experience="情報セキュリティポリシー策定",
        qualifications=["ipa_sc"],
        public_sector_experience=False,
        preferred_prefectures=["13"],
        remote_preference="hybrid",
        available_days_per_month=4,
        accepted_employment_types=["outsourcing"],
        discoverable=discoverable,
    )
    values.update(fields)
    prof = Professional(user_id=user.id, **values)
    db.session.add(prof)
    db.session.commit()
    return prof


def profile_of_user(user) -> Professional | None:
    return db.session.scalar(select(Professional).where(Professional.user_id == user.id))


def form_data(**overrides) -> dict:
    data = {
        "kind": "individual",
        "headline": "元CIO補佐官",
        "skills": "セキュリティ",
        "experience": "",
        "qualifications": "",
        "remote_preference": "hybrid",
        "available_days_per_month": "4",
        "focus_areas": ["security"],
        "preferred_prefectures": ["13"],
        "accepted_employment_types": ["outsourcing"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
