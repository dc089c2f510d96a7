"""Advice on a posting's conditions (the seed deck's アドバイス例 and DESIGN §3)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from talentmatch.postings.template import qualifications
from talentmatch.postings.template.advice import advice as advise
from talentmatch.postings.template.validation import MSG_DEADLINE_PAST, validate

TODAY = date(2025, 1, 10)


def good_posting(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "employment_type": "special_part_time",
        "side_job_ok": True,
        "required_experience": "ICTを活用した業務改革を担った経験",
        "required_skills": ["BPR", "プロジェクト管理"],
        "preferred_qualifications": ["ITストラテジスト試験", "情報処理安全確保支援士"],
        "compensation_amount": 50_000,
        "compensation_unit": "day",
        "deadline": TODAY + timedelta(days=30),
        "publication_channels": ["own_website", "job_sites"],
    }
    data.update(overrides)
    return data


def codes(data: dict[str, object]) -> list[str]:
    return [a.code for a in advise(data, today=TODAY)]


def test_a_good_posting_gets_no_advice() -> None:
    assert advise(good_posting(), today=TODAY) == []


# --------------------------------------------------------------------------- experience wording


@pytest.mark.parametrize(
    "text",
    [
        "情報システム分野における業務経験",
        "情報システム分野における業務経験を有すること。",
        "情報システム部門での経験",
        "情報システム部門での勤務経験が3年以上",
        "情報システム分野での実務経験",
        "情報システムに関する業務経験",
        "情報システム関連業務の経験",
        "ＩＴ分野における業務経験",
        "ＩＣＴ分野での業務経験",
        "5 years of IT experience",
        "Experience in the information systems field",
    ],
)
def test_generic_experience_wording_gets_advice(text: str) -> None:
    advice = [a for a in advise(good_posting(required_experience=text), today=TODAY)]
    assert [(a.code, a.field) for a in advice] == [("experience_wording", "required_experience")]
    assert "business reform using ICT" in advice[0].message.render()


@pytest.mark.parametrize(
    "text",
    [
        "ICTを活用した業務改革を担った経験",
        "自治体や企業でDXを推進し、業務プロセスを見直した経験",
        "情報システム分野における業務経験と、業務改革(BPR)を主導した実績",
        "Experience leading business reform with digital tools",
        "",
        None,
    ],
)
def test_specific_experience_wording_gets_none(text: str | None) -> None:
    assert "experience_wording" not in codes(good_posting(required_experience=text))


# --------------------------------------------------------------------------- scarce qualifications


def test_scarce_list_comes_from_the_data_file() -> None:
    path = Path(qualifications.__file__).resolve().parents[2] / "data" / "qualifications.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scarce = {r["key"] for r in rows if r["scarce"] == "yes"}
    loaded = {q.key for q in qualifications.scarce_qualifications()} - {"ipa_advanced"}
    assert loaded == scarce
    assert "ipa_st" in loaded and "ipa_ip" not in loaded


@pytest.mark.parametrize(
    ("skill", "name"),
    [
        ("ITストラテジスト", "ITストラテジスト試験"),
        ("ＩＴストラテジスト試験合格", "ITストラテジスト試験"),
        ("情報処理安全確保支援士", "情報処理安全確保支援士試験（合格）"),
        ("登録セキスペ", "情報処理安全確保支援士試験（合格）"),
        ("RISS", "情報処理安全確保支援士（登録）"),
        ("PMP", "PMP（Project Management Professional）"),
        ("cissp", "CISSP（セキュリティプロフェッショナル認定）"),
        ("プロジェクトマネージャー試験", "プロジェクトマネージャ試験"),
        ("IT Strategist", "ITストラテジスト試験"),
        ("高度情報処理技術者試験", "高度情報処理技術者試験"),
    ],
)
def test_scarce_qualification_in_required_skills(skill: str, name: str) -> None:
    advice = advise(good_posting(required_skills=["BPR", skill]), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [
        ("scarce_qualification_required", "required_skills")
    ]
    assert advice[0].message.params["qualifications"] == name


@pytest.mark.parametrize(
    "text",
    [
        "ITストラテジスト試験に合格していること。",
        "情報処理安全確保支援士の資格を必須とします",
        "業務改革の経験。また、ITストラテジストの資格を有すること",
        "Must hold the CISA certification.",
        "応募資格：中小企業診断士",
    ],
)
def test_scarce_qualification_made_mandatory_in_experience(text: str) -> None:
    advice = advise(good_posting(required_experience=text), today=TODAY)
    assert ("scarce_qualification_required", "required_experience") in [
        (a.code, a.field) for a in advice
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ICTを活用した業務改革を担った経験。ITストラテジスト試験の合格者は歓迎します。",
        "ICTを活用した業務改革を担った経験（情報処理安全確保支援士の資格があれば尚可）",
        "ICTを活用した業務改革を担った経験。資格は不要です（ITストラテジスト等）",
        "Experience leading reform with ICT. CISSP is a plus.",
        "プロジェクトマネージャーとして業務改革を担った経験",
        "基本情報技術者試験に合格していること",
        "ICTを活用した業務改革を担った経験。PMPOとして従事",
    ],
)
def test_qualification_not_mandatory_or_not_scarce_gets_no_advice(text: str) -> None:
    assert "scarce_qualification_required" not in codes(good_posting(required_experience=text))


def test_scarce_only_in_preferred_or_common_in_required_skills_gets_none() -> None:
    data = good_posting(
        required_skills=["ITパスポート", "基本情報技術者", "プロジェクトマネジメント"],
        preferred_qualifications=["ITストラテジスト", "PMP"],
    )
    assert "scarce_qualification_required" not in codes(data)


def test_several_scarce_qualifications_listed_once() -> None:
    data = good_posting(required_skills="ITストラテジスト; PMP; ITストラテジスト試験")
    advice = [a for a in advise(data, today=TODAY) if a.field == "required_skills"]
    assert len(advice) == 1
    assert advice[0].message.params["qualifications"] == (
        "ITストラテジスト試験、PMP（Project Management Professional）"
    )


# --------------------------------------------------------------------------- deadline


@pytest.mark.parametrize("days", [0, 1, 14, 20])
def test_deadline_under_three_weeks(days: int) -> None:
    advice = advise(good_posting(deadline=TODAY + timedelta(days=days)), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [("deadline_soon", "deadline")]
    assert advice[0].message.params == {"days": days}


@pytest.mark.parametrize("days", [21, 22, 60])
def test_deadline_three_weeks_or_more(days: int) -> None:
    assert codes(good_posting(deadline=TODAY + timedelta(days=days))) == []


def test_a_passed_deadline_is_an_error_never_advice() -> None:
    # It blocks submission (validation's MSG_DEADLINE_PASSED), so advice must not call it a
    # suggestion the clerk may ignore.
    assert codes(good_posting(deadline=TODAY - timedelta(days=1))) == []
    assert codes(good_posting(deadline=None)) == []
    _cleaned, errors = validate(good_posting(deadline=TODAY - timedelta(days=1)), mode="submit",
                                today=TODAY)
    assert [e.message.msgid for e in errors if e.field == "deadline"] == [MSG_DEADLINE_PAST]


# --------------------------------------------------------------------------- compensation


def test_compensation_missing() -> None:
    advice = advise(good_posting(compensation_amount=None, compensation_unit=None), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [("compensation_missing", "compensation_amount")]


def test_compensation_without_unit() -> None:
    advice = advise(good_posting(compensation_unit=None), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [
        ("compensation_unit_missing", "compensation_unit")
    ]


def test_compensation_with_unit() -> None:
    assert codes(good_posting(compensation_amount=0, compensation_unit="contract")) == []


# --------------------------------------------------------------------------- side jobs


@pytest.mark.parametrize(
    "employment", ["special_part_time", "fiscal_year_appointee", "outsourcing"]
)
def test_side_job_refused_for_part_time_role(employment: str) -> None:
    advice = advise(good_posting(employment_type=employment, side_job_ok=False), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [("side_job_not_allowed", "side_job_ok")]


@pytest.mark.parametrize(
    ("employment", "side_job"),
    [("full_time_staff", False), ("special_part_time", True), ("outsourcing", None), (None, False)],
)
def test_side_job_no_advice(employment: str | None, side_job: bool | None) -> None:
    assert codes(good_posting(employment_type=employment, side_job_ok=side_job)) == []


# --------------------------------------------------------------------------- publication


def test_own_website_only() -> None:
    advice = advise(good_posting(publication_channels=["own_website"]), today=TODAY)
    assert [(a.code, a.field) for a in advice] == [("own_website_only", "publication_channels")]
    text = advice[0].message.render()
    assert "6 applicants" in text and "247" in text and "615" in text


@pytest.mark.parametrize(
    "channels",
    [["own_website", "job_sites"], ["mic_listing"], [], None, ["own_website", "prefecture"]],
)
def test_other_publication_channels(channels: list[str] | None) -> None:
    assert codes(good_posting(publication_channels=channels)) == []


# --------------------------------------------------------------------------- live drafts


def test_advice_works_on_raw_partial_input_as_the_user_types() -> None:
    raw = {
        "deadline": "2025/1/20",
        "publication_channels": "自団体HP",
        "employment_type": "業務委託",
        "side_job_ok": "いいえ",
        "required_experience": "情報システム部門での経験",
    }
    assert codes(raw) == [
        "experience_wording",
        "deadline_soon",
        "compensation_missing",
        "side_job_not_allowed",
        "own_website_only",
    ]


def test_advice_ignores_invalid_values() -> None:
    raw = {"deadline": "someday", "compensation_amount": "a lot", "publication_channels": 5}
    assert codes(raw) == ["compensation_missing"]


def test_empty_draft() -> None:
    assert codes({}) == ["compensation_missing"]
