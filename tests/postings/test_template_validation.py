"""Validating a whole posting: draft and submit modes, cross-field rules, never raising."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.postings.template import advice, fields, validation
from tests.support.posting_data import TODAY, draft, errors_for, submit, valid_posting

# --------------------------------------------------------------------------- modes


def test_valid_posting_submits_with_typed_values() -> None:
    cleaned, errors = submit(valid_posting(), municipality_exists=lambda code: code == "012025")
    assert errors == []
    assert cleaned["municipality_code"] == "012025"
    assert cleaned["employment_type"] == "special_part_time"
    assert cleaned["joint_wish"] == "none"
    assert cleaned["side_job_ok"] is True
    assert cleaned["focus_areas"] == ["standardization", "ai_rpa"]
    assert cleaned["required_skills"] == ["BPR", "プロジェクト管理"]
    assert cleaned["days_per_month"] == 4.0
    assert cleaned["remote"] == "partial"
    assert cleaned["compensation_amount"] == 50_000
    assert cleaned["compensation_unit"] == "day"
    assert cleaned["period_start"] == date(2025, 4, 1)
    assert cleaned["period_end"] == date(2026, 3, 31)
    assert cleaned["deadline"] == date(2025, 2, 28)
    assert cleaned["publication_channels"] == ["own_website", "job_sites"]


@pytest.mark.parametrize("key", fields.REQUIRED_KEYS)
@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_submit_requires_each_required_field(key: str, blank: object) -> None:
    data = valid_posting()
    data[key] = blank
    cleaned, errors = submit(data)
    assert [(e.field, e.message.msgid) for e in errors] == [(key, validation.MSG_REQUIRED)]
    assert key not in cleaned


@pytest.mark.parametrize("key", fields.REQUIRED_KEYS)
def test_submit_requires_field_when_key_absent(key: str) -> None:
    data = valid_posting()
    del data[key]
    _, errors = submit(data)
    assert errors_for(errors, key) == [validation.MSG_REQUIRED]


def test_draft_saves_partial_content() -> None:
    cleaned, errors = draft({"title": "  DX推進アドバイザー ", "compensation_amount": "300,000"})
    assert errors == []
    assert cleaned["title"] == "DX推進アドバイザー"
    assert cleaned["compensation_amount"] == 300_000
    assert cleaned["deadline"] is None
    assert cleaned["focus_areas"] == []
    assert set(cleaned) == set(fields.FIELDS_BY_KEY)


def test_draft_refuses_invalid_content_and_leaves_it_out() -> None:
    cleaned, errors = draft({"title": "x" * 101, "contact_email": "not-an-email", "duties": "ok"})
    assert {e.field for e in errors} == {"title", "contact_email"}
    assert "title" not in cleaned and "contact_email" not in cleaned
    assert cleaned["duties"] == "ok"


def test_empty_draft_is_fine() -> None:
    cleaned, errors = draft({})
    assert errors == []
    assert all(v in (None, []) for v in cleaned.values())


def test_mass_assignment_is_ignored() -> None:
    data = valid_posting(
        state="published", id=99, posting_id=7, created_by=1, role="ministry", published_at="x"
    )
    data[1] = "non-string key"  # type: ignore[index]
    cleaned, errors = submit(data)
    assert errors == []
    assert set(cleaned) == set(fields.FIELDS_BY_KEY)
    assert "state" not in cleaned and "id" not in cleaned


def test_unknown_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validation.validate({}, mode="publish", today=TODAY)  # type: ignore[arg-type]


def test_code_must_exist_in_both_modes() -> None:
    seen: list[str] = []

    def exists(code: str) -> bool:
        seen.append(code)
        return False

    for mode in ("draft", "submit"):
        cleaned, errors = validation.validate(
            valid_posting(), mode=mode, today=TODAY, municipality_exists=exists
        )  # type: ignore[arg-type]
        assert errors_for(errors, "municipality_code") == [validation.MSG_CODE_UNKNOWN]
        assert "municipality_code" not in cleaned
    assert seen == ["012025", "012025"]
    # A malformed code is never looked up.
    seen.clear()
    draft({"municipality_code": "012026"}, municipality_exists=exists)
    assert seen == []


# --------------------------------------------------------------------------- cross-field rules


@pytest.mark.parametrize("end", ["2025-04-01", "2025-03-31"])
@pytest.mark.parametrize("validator", [submit, draft])
def test_period_end_must_follow_start(end: str, validator) -> None:  # type: ignore[no-untyped-def]
    _, errors = validator(valid_posting(period_start="2025-04-01", period_end=end))
    assert errors_for(errors, "period_end") == [validation.MSG_PERIOD_ORDER]


def test_period_one_day_apart_is_fine() -> None:
    _, errors = submit(valid_posting(period_start="2025-04-01", period_end="2025-04-02"))
    assert errors == []


def test_deadline_not_in_the_past_on_submit() -> None:
    _, errors = submit(valid_posting(deadline=TODAY - timedelta(days=1)))
    assert errors_for(errors, "deadline") == [validation.MSG_DEADLINE_PAST]
    _, errors = submit(valid_posting(deadline=TODAY))
    assert errors == []
    # A draft may keep an old deadline until it is submitted.
    _, errors = draft(valid_posting(deadline=TODAY - timedelta(days=1)))
    assert errors == []


def test_every_error_names_a_template_field() -> None:
    bad = {k: "\x00" for k in fields.FIELDS_BY_KEY}
    _, errors = submit(bad)
    assert {e.field for e in errors} == set(fields.FIELDS_BY_KEY)
    assert all(e.message.render() for e in errors)


# --------------------------------------------------------------------------- property

values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(["", "  ", "2025/4/1", "012025", "はい", "javascript:x", "３００，０００"]),
)
keys = st.one_of(st.sampled_from([f.key for f in fields.FIELDS]), st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=20), st.sampled_from(["draft", "submit"]))
def test_validate_never_raises(data: dict[str, object], mode: str) -> None:
    cleaned, errors = validation.validate(
        data, mode=mode, today=TODAY, municipality_exists=lambda c: True
    )  # type: ignore[arg-type]
    assert set(cleaned) <= set(fields.FIELDS_BY_KEY)
    for e in errors:
        assert e.field in fields.FIELDS_BY_KEY
        assert e.field not in cleaned
        e.message.render()
    advice.advice(data, today=TODAY)
    advice.advice(cleaned, today=TODAY)
