"""Builders shared by the matching and applications tests: professionals with profiles,
published postings, and appointments."""

from __future__ import annotations

from datetime import date, timedelta

from talentmatch.extensions import db
from talentmatch.matching.matcher import ProfileData
from talentmatch.professionals.models import Professional
from tests.support.factories import make_posting, make_user

PROFILE_DEFAULTS: dict = {
    "kind": "individual",
    "skills": [],
    "free_skills": [],
    "focus_areas": [],
    "experience": "",
    "qualifications": [],
    "public_sector_experience": False,
    "preferred_prefectures": [],
    "remote_preference": "hybrid",
    "available_days_per_month": 10,
    "accepted_employment_types": [],
    "discoverable": True,
}


def make_pro(name: str, *, locale: str = "ja", **fields) -> Professional:
    user = make_user("professional", name=name, locale=locale)
    pro = Professional(user_id=user.id, **{**PROFILE_DEFAULTS, **fields})
    db.session.add(pro)
    db.session.commit()
    return pro


def as_profile(pro: Professional, used: float = 0.0) -> ProfileData:
    """The same ProfileData the matching services build from the row."""
    return ProfileData(
        id=pro.id, display_name=pro.user.display_name,
        skills=[*pro.skills, *pro.free_skills], focus_areas=list(pro.focus_areas),
        experience=pro.experience, qualifications=list(pro.qualifications),
        public_sector_experience=pro.public_sector_experience,
        preferred_prefectures=list(pro.preferred_prefectures),
        remote_preference=pro.remote_preference,
        available_days=float(pro.available_days_per_month), used_days=used,
        accepted_employment_types=list(pro.accepted_employment_types),
        discoverable=pro.discoverable,
    )


def cloud_posting(municipality_code: str = "012025", **fields):
    """A published posting asking for cloud, BPR and security skills, 4 days a month."""
    values = {
        "title": "DX推進アドバイザー",
        "required_skills": ["クラウド設計", "業務改革", "情報セキュリティ"],
        "preferred_skills": ["RPA"],
        "focus_areas": ["bpr", "security"],
        "required_experience": "自治体の業務改革(BPR)を担った経験",
        "duties": "クラウド移行と業務改革の助言",
        "employment_type": "special_part_time",
        "days_per_month": 4,
        "remote": "partial",
    }
    values.update(fields)
    return make_posting(municipality_code, "published", **values)


def appointment(pro: Professional, posting, days: float, *, start: date | None = None,
                end: date | None = None, status: str = "active"):
    from talentmatch.applications.models import Appointment

    today = date.today()
    appt = Appointment(
        professional_id=pro.id, posting_id=posting.id, municipality_code=posting.municipality_code,
        days_per_month=days, period_start=start or today - timedelta(days=30),
        period_end=end or today + timedelta(days=300), employment_type="special_part_time",
        compensation_amount=200000, compensation_unit="month", status=status,
    )
    db.session.add(appt)
    db.session.commit()
    return appt
