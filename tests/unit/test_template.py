"""The standard recruitment template: fields, validation rules and their messages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentmatch.messages import FieldError
from talentmatch.postings import template as t

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
    return t.validate(data, mode="submit", today=TODAY, **kw)  # type: ignore[arg-type]


def draft(data: dict[str, object], **kw: object) -> tuple[dict[str, object], list[FieldError]]:
    return t.validate(data, mode="draft", today=TODAY, **kw)  # type: ignore[arg-type]


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


# --------------------------------------------------------------------------- definitions


def test_fields_cover_design_and_every_field_has_a_section_and_header() -> None:
    keys = [f.key for f in t.FIELDS]
    assert len(keys) == len(set(keys))
    assert set(t.JA_HEADERS) == set(keys)
    in_sections = [k for s in t.SECTIONS for k in s.fields]
    assert sorted(in_sections) == sorted(keys)
    assert len(t.SECTIONS) == 8
    assert set(t.REQUIRED_KEYS) == {
        "municipality_code", "title", "employment_type", "joint_wish", "focus_areas", "duties",
        "required_experience", "days_per_month", "remote", "compensation_amount",
        "compensation_unit", "period_start", "period_end", "deadline", "how_to_apply",
        "contact_department", "contact_email",
    }  # fmt: skip


def test_every_text_field_has_a_max_length() -> None:
    for f in t.FIELDS:
        if f.type in ("text", "longtext", "url_or_text", "tags", "email", "phone", "code"):
            assert f.max_length, f.key
    assert t.FIELDS_BY_KEY["title"].max_length == 100
    assert t.FIELDS_BY_KEY["duties"].max_length == 4000


def test_choice_values() -> None:
    values = {k: [c.value for c in v] for k, v in t.CHOICES.items()}
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
    for key, choices in t.CHOICES.items():
        for choice in choices:
            for spelling in (choice.value, choice.label, *choice.aliases):
                assert clean(key, spelling) == (
                    [choice.value] if t.FIELDS_BY_KEY[key].type == "multichoice" else choice.value
                ), (key, spelling)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("団体コード", "municipality_code"),
        ("役職名", "title"),
        ("役職名（必須）", "title"),
        ("※役職名", "title"),
        ("役職名*", "title"),
        ("title", "title"),
        ("Title", "title"),
        ("Position title", "title"),
        ("任用形態", "employment_type"),
        ("勤務日数（月）", "days_per_month"),
        ("勤務日数", "days_per_month"),
        ("応募締切日", "deadline"),
        ("contact_email", "contact_email"),
        ("副業・兼業として可", "side_job_ok"),
        ("給与明細", None),
        ("state", None),
        (None, None),
    ],
)
def test_header_to_key(header: object, key: str | None) -> None:
    assert t.header_to_key(header) == key


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


@pytest.mark.parametrize("key", t.REQUIRED_KEYS)
@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_submit_requires_each_required_field(key: str, blank: object) -> None:
    data = valid_posting()
    data[key] = blank
    cleaned, errors = submit(data)
    assert [(e.field, e.message.msgid) for e in errors] == [(key, t.MSG_REQUIRED)]
    assert key not in cleaned


@pytest.mark.parametrize("key", t.REQUIRED_KEYS)
def test_submit_requires_field_when_key_absent(key: str) -> None:
    data = valid_posting()
    del data[key]
    _, errors = submit(data)
    assert errors_for(errors, key) == [t.MSG_REQUIRED]


def test_draft_saves_partial_content() -> None:
    cleaned, errors = draft({"title": "  DX推進アドバイザー ", "compensation_amount": "300,000"})
    assert errors == []
    assert cleaned["title"] == "DX推進アドバイザー"
    assert cleaned["compensation_amount"] == 300_000
    assert cleaned["deadline"] is None
    assert cleaned["focus_areas"] == []
    assert set(cleaned) == set(t.FIELDS_BY_KEY)


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
    assert set(cleaned) == set(t.FIELDS_BY_KEY)
    assert "state" not in cleaned and "id" not in cleaned


def test_unknown_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        t.validate({}, mode="publish", today=TODAY)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("300,000", 300_000),
        ("３００，０００", 300_000),
        ("３０００００", 300_000),
        ("¥300,000", 300_000),
        ("300,000円", 300_000),
        ("30万円", 300_000),
        ("1.5万", 15_000),
        (300_000, 300_000),
        (300_000.0, 300_000),
        ("0", 0),
    ],
)
def test_compensation_accepts(value: object, expected: int) -> None:
    assert clean("compensation_amount", value) == expected


@pytest.mark.parametrize(
    ("value", "msgid"),
    [
        ("abc", t.MSG_INT),
        ("300000.5", t.MSG_INT),
        (300000.5, t.MSG_INT),
        ("-1", t.MSG_NEGATIVE),
        (-5, t.MSG_NEGATIVE),
        (True, t.MSG_INT),
        (float("nan"), t.MSG_INT),
        (float("inf"), t.MSG_INT),
        (10**10, t.MSG_INT_TOO_LARGE),
        ("1e5", t.MSG_INT),
        ([300], t.MSG_INT),
    ],
)
def test_compensation_refuses(value: object, msgid: str) -> None:
    assert error("compensation_amount", value) == msgid


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.5", 0.5), ("31", 31.0), ("４", 4.0), (4.5, 4.5), ("4日", 4.0), (2, 2.0)],
)
def test_days_per_month_accepts(value: object, expected: float) -> None:
    assert clean("days_per_month", value) == expected


@pytest.mark.parametrize("value", ["0.4", "0", "32", "31.5", "abc", -1, float("nan"), True])
def test_days_per_month_refuses(value: object) -> None:
    assert error("days_per_month", value) == t.MSG_DAYS


@pytest.mark.parametrize(
    "value",
    [
        "2025-04-01",
        "2025/4/1",
        "2025/04/01",
        "2025.4.1",
        "2025年4月1日",
        "令和7年4月1日",
        "R7.4.1",
        "２０２５／４／１",
        "2025-04-01 00:00:00",
        "2025-04-01T09:30",
        datetime(2025, 4, 1, 0, 0),
        date(2025, 4, 1),
    ],
)
def test_dates_accept(value: object) -> None:
    assert clean("period_start", value) == date(2025, 4, 1)


def test_reiwa_gannen() -> None:
    assert clean("period_start", "令和元年5月1日") == date(2019, 5, 1)


@pytest.mark.parametrize(
    ("value", "msgid"),
    [
        ("2025/13/1", t.MSG_DATE),
        ("2025-02-30", t.MSG_DATE),
        ("tomorrow", t.MSG_DATE),
        ("4/1", t.MSG_DATE),
        (45748, t.MSG_DATE),  # an Excel serial in a CSV is too ambiguous to guess
        ("1999-12-31", t.MSG_DATE_RANGE),
        ("2101-01-01", t.MSG_DATE_RANGE),
    ],
)
def test_dates_refuse(value: object, msgid: str) -> None:
    assert error("deadline", value) == msgid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("dx@city.example.lg.jp", "dx@city.example.lg.jp"),
        ("DX.Team+jobs@City.Example.LG.JP", "DX.Team+jobs@city.example.lg.jp"),
        ("ｄｘ＠city.example.lg.jp", "dx@city.example.lg.jp"),
    ],
)
def test_email_accepts(value: str, expected: str) -> None:
    assert clean("contact_email", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "dx@",
        "@city.jp",
        "dx city@example.jp",
        "a..b@example.jp",
        ".a@example.jp",
        "dx@localhost",
        "dx@example.jp\nBcc: victim@example.jp",
        "dx@-example.jp",
        "x" * 65 + "@example.jp",
    ],
)
def test_email_refuses(value: str) -> None:
    assert error("contact_email", value) == t.MSG_EMAIL


@pytest.mark.parametrize(
    "value",
    [
        "https://www.city.example.lg.jp/recruit",
        "http://example.jp/apply?id=3",
        "HTTPS://EXAMPLE.JP/",
        "履歴書を企画部DX推進課へ郵送してください。",
        "https://example.jp/apply から応募してください",
        "応募フォーム: https://example.jp/apply",
    ],
)
def test_how_to_apply_accepts_text_and_http_links(value: str) -> None:
    assert clean("how_to_apply", value) == value


@pytest.mark.parametrize(
    ("value", "msgid"),
    [
        ("javascript:alert(1)", t.MSG_URL_SCHEME),
        ("JavaScript:alert(1)", t.MSG_URL_SCHEME),
        ("  javascript:alert(1)", t.MSG_URL_SCHEME),
        ("java\nscript:alert(1)", t.MSG_URL_SCHEME),
        ("java\tscript:alert(1)", t.MSG_URL_SCHEME),
        ("ｊａｖａｓｃｒｉｐｔ：alert(1)", t.MSG_URL_SCHEME),
        ("javascript: alert('応募')", t.MSG_URL_SCHEME),
        ("data:text/html,<script>alert(1)</script>", t.MSG_URL_SCHEME),
        ("vbscript:msgbox", t.MSG_URL_SCHEME),
        ("file:///etc/passwd", t.MSG_URL_SCHEME),
        ("mailto:dx@example.jp", t.MSG_URL_SCHEME),
        ("ftp://example.jp/form.pdf", t.MSG_URL_SCHEME),
        ("https://", t.MSG_URL_INCOMPLETE),
        ("https:///path", t.MSG_URL_INCOMPLETE),
        ("http://[::1", t.MSG_URL_INCOMPLETE),
    ],
)
def test_how_to_apply_refuses_other_schemes(value: str, msgid: str) -> None:
    assert error("how_to_apply", value) == msgid


def test_is_url() -> None:
    assert t.is_url("https://example.jp/a")
    assert not t.is_url("郵送してください")
    assert not t.is_url("https://example.jp/a から応募")
    assert not t.is_url(None)


@pytest.mark.parametrize(
    "value",
    [
        "0138-21-3111",
        "03-1234-5678 内線123",
        "+81-3-1234-5678",
        "０３－１２３４－５６７８",
        "(03) 1234 5678",
    ],
)
def test_phone_accepts(value: str) -> None:
    assert clean("contact_phone", value)


@pytest.mark.parametrize("value", ["abc", "123", "03-1234-5678; DROP", "電話してください"])
def test_phone_refuses(value: str) -> None:
    assert error("contact_phone", value) == t.MSG_PHONE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("はい", True),
        ("いいえ", False),
        ("yes", True),
        ("No", False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("あり", True),
        ("なし", False),
        ("可", True),
        ("不可", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
    ],
)
def test_bool_accepts(value: object, expected: bool) -> None:
    assert clean("side_job_ok", value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, "はいいいえ", 0.5])
def test_bool_refuses(value: object) -> None:
    assert error("side_job_ok", value) == t.MSG_BOOL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("特別職非常勤職員", "special_part_time"),
        ("業務委託", "outsourcing"),
        ("会計年度任用職員", "fiscal_year_appointee"),
        ("常勤職員", "full_time_staff"),
        ("full_time_staff", "full_time_staff"),
        ("Full-time staff", "full_time_staff"),
        ("FULL TIME STAFF", "full_time_staff"),
    ],
)
def test_employment_type_accepts_keys_and_japanese(value: str, expected: str) -> None:
    assert clean("employment_type", value) == expected


@pytest.mark.parametrize("value", ["part time", "正社員", "published", 3])
def test_choice_refuses_unknown_values(value: object) -> None:
    assert error("employment_type", value) == t.MSG_CHOICE


def test_multichoice_splits_dedupes_and_orders() -> None:
    assert clean("focus_areas", "セキュリティ、標準化;standardization\nbpr") == [
        "standardization",
        "security",
        "bpr",
    ]
    assert clean("focus_areas", ["ai_rpa", "テレワーク"]) == ["ai_rpa", "telework"]
    assert error("focus_areas", "標準化、宇宙開発") == t.MSG_CHOICE


def test_tags_split_trim_and_dedupe() -> None:
    assert clean("required_skills", "BPR; 業務改革、ＢＰＲ\nデータ分析 ,, ") == [
        "BPR",
        "業務改革",
        "データ分析",
    ]
    assert clean("preferred_skills", ["  AWS ", "aws", "Python"]) == ["AWS", "Python"]


def test_tags_limits() -> None:
    assert error("required_skills", ";".join(f"skill{i}" for i in range(31))) == t.MSG_TOO_MANY
    assert error("required_skills", "x" * 101) == t.MSG_ITEM_TOO_LONG
    assert len(clean("required_skills", ";".join(f"skill{i}" for i in range(30)))) == 30  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "limit"),
    [("title", 100), ("duties", 4000), ("required_experience", 4000), ("pr_text", 4000),
     ("contact_department", 200), ("work_location", 200), ("how_to_apply", 1000),
     ("title_en", 150), ("summary_en", 2000), ("cio_title", 100)],
)  # fmt: skip
def test_text_lengths(key: str, limit: int) -> None:
    assert clean(key, "あ" * limit) == "あ" * limit
    _, errors = draft({key: "あ" * (limit + 1)})
    assert errors[0].field == key
    assert errors[0].message.msgid == t.MSG_TOO_LONG
    assert errors[0].message.params == {"max": limit, "length": limit + 1}


def test_text_refuses_control_characters_and_folds_line_breaks() -> None:
    assert error("title", "CIO\x00補佐官") == t.MSG_BAD_CHARS
    assert error("duties", "業務\x1b[31m") == t.MSG_BAD_CHARS
    assert error("title", "CIO\ud800") == t.MSG_BAD_CHARS
    assert clean("title", "CIO\n補佐官") == "CIO 補佐官"
    assert clean("duties", "一、助言\r\n二、研修") == "一、助言\n二、研修"
    assert error("title", ["a", "b"]) == t.MSG_TEXT


# --------------------------------------------------------------------------- municipality code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("012025", "012025"), ("０１２０２５", "012025"), (12025, "012025"), (" 011002 ", "011002")],
)
def test_code_accepts(value: object, expected: str) -> None:
    assert clean("municipality_code", value) == expected


@pytest.mark.parametrize(
    ("value", "msgid"),
    [
        ("012026", t.MSG_CODE_CHECK),
        ("12025", t.MSG_CODE_FIVE),
        ("abcdef", t.MSG_CODE),
        ("0120255", t.MSG_CODE),
        ("01-2025", t.MSG_CODE),
        (True, t.MSG_CODE),
        ("010006", t.MSG_CODE_PREFECTURE),
    ],
)
def test_code_refuses(value: object, msgid: str) -> None:
    assert error("municipality_code", value) == msgid


def test_code_must_exist_in_both_modes() -> None:
    seen: list[str] = []

    def exists(code: str) -> bool:
        seen.append(code)
        return False

    for mode in ("draft", "submit"):
        cleaned, errors = t.validate(
            valid_posting(), mode=mode, today=TODAY, municipality_exists=exists
        )  # type: ignore[arg-type]
        assert errors_for(errors, "municipality_code") == [t.MSG_CODE_UNKNOWN]
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
    assert errors_for(errors, "period_end") == [t.MSG_PERIOD_ORDER]


def test_period_one_day_apart_is_fine() -> None:
    _, errors = submit(valid_posting(period_start="2025-04-01", period_end="2025-04-02"))
    assert errors == []


def test_deadline_not_in_the_past_on_submit() -> None:
    _, errors = submit(valid_posting(deadline=TODAY - timedelta(days=1)))
    assert errors_for(errors, "deadline") == [t.MSG_DEADLINE_PAST]
    _, errors = submit(valid_posting(deadline=TODAY))
    assert errors == []
    # A draft may keep an old deadline until it is submitted.
    _, errors = draft(valid_posting(deadline=TODAY - timedelta(days=1)))
    assert errors == []


def test_every_error_names_a_template_field() -> None:
    bad = {k: "\x00" for k in t.FIELDS_BY_KEY}
    _, errors = submit(bad)
    assert {e.field for e in errors} == set(t.FIELDS_BY_KEY)
    assert all(e.message.render() for e in errors)


# --------------------------------------------------------------------------- property

values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(["", "  ", "2025/4/1", "012025", "はい", "javascript:x", "３００，０００"]),
)
keys = st.one_of(st.sampled_from([f.key for f in t.FIELDS]), st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=20), st.sampled_from(["draft", "submit"]))
def test_validate_never_raises(data: dict[str, object], mode: str) -> None:
    cleaned, errors = t.validate(data, mode=mode, today=TODAY, municipality_exists=lambda c: True)  # type: ignore[arg-type]
    assert set(cleaned) <= set(t.FIELDS_BY_KEY)
    for e in errors:
        assert e.field in t.FIELDS_BY_KEY
        assert e.field not in cleaned
        e.message.render()
    t.advice(data, today=TODAY)
    t.advice(cleaned, today=TODAY)


def test_every_header_spelling_leads_to_its_own_field() -> None:
    for f in t.FIELDS:
        for name in (f.key, f.label, t.JA_HEADERS[f.key], *t.HEADER_VARIANTS.get(f.key, ())):
            assert t.header_to_key(name) == f.key, (f.key, name)
