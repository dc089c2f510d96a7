"""Builders for the posting and review tests: a complete template as a clerk would post it,
staff of each role, and postings moved through the real services."""

from __future__ import annotations

from datetime import timedelta

from talentmatch.clock import today_jst
from tests.support.factories import make_user

# Two municipalities of Hokkaido (A and B), one of Miyagi (prefecture Q).
MUNI_A = "011002"  # 札幌市
MUNI_B = "012025"  # 函館市
MUNI_Q = "041009"  # 仙台市
PREF_P = "01"
PREF_Q = "04"


def form_data(**overrides) -> dict:
    """Every required field filled in, as the browser posts it (text values)."""
    today = today_jst()
    data = {
        "title": "CIO補佐官",
        "role_type": "project_manager",
        "employment_type": "special_part_time",
        "joint_wish": "none",
        "side_job_ok": "yes",
        "focus_areas": ["dx_strategy", "bpr"],
        "duties": "DX推進計画の策定と進行管理を支援します。",
        "required_experience": "ICTを活用した業務改革を担った経験",
        "required_skills": "プロジェクト管理、業務改革",
        "preferred_skills": "",
        "preferred_qualifications": "",
        "days_per_month": "4",
        "hours_note": "",
        "remote": "partial",
        "work_location": "本庁舎",
        "compensation_amount": "300,000",
        "compensation_unit": "month",
        "expenses_note": "",
        "period_start": (today + timedelta(days=60)).isoformat(),
        "period_end": (today + timedelta(days=425)).isoformat(),
        "deadline": (today + timedelta(days=30)).isoformat(),
        "selection_process": "書類選考、面接",
        "how_to_apply": "https://www.city.example.lg.jp/recruit",
        "contact_department": "デジタル推進課",
        "contact_email": "dx@city.example.lg.jp",
        "contact_phone": "03-1234-5678",
        "publication_channels": ["job_sites", "mic_listing"],
        "dx_policy_status": "adopted",
        "dx_organization": "",
        "cio_title": "副市長",
        "pr_text": "",
        "title_en": "CIO adviser",
        "summary_en": "",
    }
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    """The same, as a service caller passes it (side job as a boolean)."""
    data = form_data(**overrides)
    if data.get("side_job_ok") in ("yes", "no"):
        data["side_job_ok"] = data["side_job_ok"] == "yes"
    return data


def clerk(code: str = MUNI_A, **kw):
    return make_user("municipality", municipality_code=code, **kw)


def coordinator(pref: str = PREF_P, **kw):
    return make_user("prefecture", prefecture_code=pref, **kw)


def ministry(**kw):
    return make_user("ministry", **kw)


def submitted(actor, **overrides):
    from talentmatch.postings import services as postings
    from talentmatch.review import services as review

    posting = postings.create_draft(actor, service_data(**overrides))
    review.submit(actor, posting.id)
    return posting


def relayed(actor, coord, **overrides):
    from talentmatch.review import services as review

    posting = submitted(actor, **overrides)
    review.relay(coord, posting.id)
    return posting


def published(actor, coord, mic, **overrides):
    from talentmatch.review import services as review

    posting = relayed(actor, coord, **overrides)
    review.publish(mic, posting.id)
    return posting
