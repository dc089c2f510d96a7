"""A valid posting as a form or an import sends it, and helpers that validate one field."""

from __future__ import annotations

from datetime import date

from talentmatch.messages import FieldError
from talentmatch.postings.template.validation import validate

TODAY = date(2025, 1, 10)


def valid_posting(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "municipality_code": "012025",
        "title": "CIO補佐官",
        "role_type": "producer",
        "employment_type": "特別職非常勤職員",
        "joint_wish": "なし",
        "side_job_ok": "はい",
        "focus_areas": "標準化、AI・RPAの利用推進",
        "duties": "全庁のDX推進に関する助言",
        "required_experience": "ICTを活用した業務改革を担った経験",
        "required_skills": "BPR; プロジェクト管理",
        "days_per_month": "4",
        "remote": "一部可",
        "compensation_amount": "50,000",
        "compensation_unit": "日額",
        "period_start": "2025/4/1",
        "period_end": "2026-03-31",
        "deadline": "2025-02-28",
        "how_to_apply": "https://www.city.hakodate.hokkaido.jp/recruit",
        "contact_department": "企画部 DX推進課",
        "contact_email": "dx@city.example.lg.jp",
        "contact_phone": "0138-21-3111",
        "publication_channels": "own_website;job_sites",
    }
    data.update(overrides)
    return data


def submit(data: dict[str, object], **kw: object) -> tuple[dict[str, object], list[FieldError]]:
    return validate(data, mode="submit", today=TODAY, **kw)  # type: ignore[arg-type]


def draft(data: dict[str, object], **kw: object) -> tuple[dict[str, object], list[FieldError]]:
    return validate(data, mode="draft", today=TODAY, **kw)  # type: ignore[arg-type]


def errors_for(errors: list[FieldError], field: str) -> list[str]:
    return [e.message.msgid for e in errors if e.field == field]


def clean(field: str, value: object) -> object:
    cleaned, errors = draft({field: value})
    assert errors == [], [e.message for e in errors]
    return cleaned[field]


def error(field: str, value: object) -> str:
    _, errors = draft({field: value})
    assert [e.field for e in errors] == [field], errors
    return errors[0].message.msgid
