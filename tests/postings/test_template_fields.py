"""The standard recruitment template's fields, choices and sections."""

from __future__ import annotations

from talentmatch.postings.template import fields, headers
from tests.support.posting_data import clean


def test_fields_cover_design_and_every_field_has_a_section_and_header() -> None:
    keys = [f.key for f in fields.FIELDS]
    assert len(keys) == len(set(keys))
    assert set(headers.JA_HEADERS) == set(keys)
    in_sections = [k for s in fields.SECTIONS for k in s.fields]
    assert sorted(in_sections) == sorted(keys)
    assert len(fields.SECTIONS) == 8
    assert set(fields.REQUIRED_KEYS) == {
        "municipality_code", "title", "employment_type", "joint_wish", "focus_areas", "duties",
        "required_experience", "days_per_month", "remote", "compensation_amount",
        "compensation_unit", "period_start", "period_end", "deadline", "how_to_apply",
        "contact_department", "contact_email",
    }  # fmt: skip


def test_every_text_field_has_a_max_length() -> None:
    for f in fields.FIELDS:
        if f.type in ("text", "longtext", "url_or_text", "tags", "email", "phone", "code"):
            assert f.max_length, f.key
    assert fields.FIELDS_BY_KEY["title"].max_length == 100
    assert fields.FIELDS_BY_KEY["duties"].max_length == 4000


def test_choice_values() -> None:
    values = {k: [c.value for c in v] for k, v in fields.CHOICES.items()}
    assert values["role_type"] == ["producer", "project_manager", "service_designer", "other"]
    assert values["employment_type"] == [
        "full_time_staff", "special_part_time", "fiscal_year_appointee", "outsourcing",
    ]  # fmt: skip
    assert values["joint_wish"] == ["none", "wished", "joint"]
    assert values["remote"] == ["none", "partial", "full"]
    assert values["compensation_unit"] == ["hour", "day", "month", "year", "contract"]
    assert len(values["focus_areas"]) == 13
    assert values["dx_policy_status"] == ["adopted", "drafting", "none"]
    assert values["publication_channels"] == [
        "own_website", "job_sites", "mic_listing", "prefecture", "other",
    ]  # fmt: skip


def test_every_choice_spelling_leads_to_its_own_value() -> None:
    for key, choices in fields.CHOICES.items():
        for choice in choices:
            for spelling in (choice.value, choice.label, *choice.aliases):
                assert clean(key, spelling) == (
                    [choice.value]
                    if fields.FIELDS_BY_KEY[key].type == "multichoice"
                    else choice.value
                ), (key, spelling)
