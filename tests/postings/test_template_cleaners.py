"""Cleaning one value of the standard template: every field type and its messages."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from talentmatch.postings.template import cleaners
from talentmatch.tabular import cells
from tests.support.cell_cases import EMAILS_ACCEPTED, EMAILS_REFUSED
from tests.support.posting_data import clean, draft, error

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
        ("abc", cleaners.MSG_INT),
        ("300000.5", cleaners.MSG_INT),
        (300000.5, cleaners.MSG_INT),
        ("-1", cleaners.MSG_NEGATIVE),
        (-5, cleaners.MSG_NEGATIVE),
        (True, cleaners.MSG_INT),
        (float("nan"), cleaners.MSG_INT),
        (float("inf"), cleaners.MSG_INT),
        (10**10, cleaners.MSG_INT_TOO_LARGE),
        ("1e5", cleaners.MSG_INT),
        ([300], cleaners.MSG_INT),
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
    assert error("days_per_month", value) == cleaners.MSG_DAYS


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
        ("2025/13/1", cleaners.MSG_DATE),
        ("2025-02-30", cleaners.MSG_DATE),
        ("tomorrow", cleaners.MSG_DATE),
        ("4/1", cleaners.MSG_DATE),
        (45748, cleaners.MSG_DATE),  # an Excel serial in a CSV is too ambiguous to guess
        ("1999-12-31", cleaners.MSG_DATE_RANGE),
        ("2101-01-01", cleaners.MSG_DATE_RANGE),
    ],
)
def test_dates_refuse(value: object, msgid: str) -> None:
    assert error("deadline", value) == msgid


@pytest.mark.parametrize(("value", "expected"), EMAILS_ACCEPTED)
def test_email_accepts(value: str, expected: str) -> None:
    assert clean("contact_email", value) == expected


@pytest.mark.parametrize("value", EMAILS_REFUSED)
def test_email_refuses(value: str) -> None:
    assert error("contact_email", value) == cells.MSG_EMAIL


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
        ("javascript:alert(1)", cleaners.MSG_URL_SCHEME),
        ("JavaScript:alert(1)", cleaners.MSG_URL_SCHEME),
        ("  javascript:alert(1)", cleaners.MSG_URL_SCHEME),
        ("java\nscript:alert(1)", cleaners.MSG_URL_SCHEME),
        ("java\tscript:alert(1)", cleaners.MSG_URL_SCHEME),
        ("ｊａｖａｓｃｒｉｐｔ：alert(1)", cleaners.MSG_URL_SCHEME),
        ("javascript: alert('応募')", cleaners.MSG_URL_SCHEME),
        ("data:text/html,<script>alert(1)</script>", cleaners.MSG_URL_SCHEME),
        ("vbscript:msgbox", cleaners.MSG_URL_SCHEME),
        ("file:///etc/passwd", cleaners.MSG_URL_SCHEME),
        ("mailto:dx@example.jp", cleaners.MSG_URL_SCHEME),
        ("ftp://example.jp/form.pdf", cleaners.MSG_URL_SCHEME),
        ("https://", cleaners.MSG_URL_INCOMPLETE),
        ("https:///path", cleaners.MSG_URL_INCOMPLETE),
        ("http://[::1", cleaners.MSG_URL_INCOMPLETE),
    ],
)
def test_how_to_apply_refuses_other_schemes(value: str, msgid: str) -> None:
    assert error("how_to_apply", value) == msgid


def test_is_url() -> None:
    assert cleaners.is_url("https://example.jp/a")
    assert not cleaners.is_url("郵送してください")
    assert not cleaners.is_url("https://example.jp/a から応募")
    assert not cleaners.is_url(None)


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
    assert error("contact_phone", value) == cleaners.MSG_PHONE


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
    assert error("side_job_ok", value) == cleaners.MSG_BOOL


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
    assert error("employment_type", value) == cleaners.MSG_CHOICE


def test_multichoice_splits_dedupes_and_orders() -> None:
    assert clean("focus_areas", "セキュリティ、標準化;standardization\nbpr") == [
        "standardization",
        "security",
        "bpr",
    ]
    assert clean("focus_areas", ["ai_rpa", "テレワーク"]) == ["ai_rpa", "telework"]
    assert error("focus_areas", "標準化、宇宙開発") == cleaners.MSG_CHOICE


def test_tags_split_trim_and_dedupe() -> None:
    assert clean("required_skills", "BPR; 業務改革、ＢＰＲ\nデータ分析 ,, ") == [
        "BPR",
        "業務改革",
        "データ分析",
    ]
    assert clean("preferred_skills", ["  AWS ", "aws", "Python"]) == ["AWS", "Python"]


def test_tags_limits() -> None:
    assert (
        error("required_skills", ";".join(f"skill{i}" for i in range(31))) == cleaners.MSG_TOO_MANY
    )
    assert error("required_skills", "x" * 101) == cleaners.MSG_ITEM_TOO_LONG
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
    assert errors[0].message.msgid == cleaners.MSG_TOO_LONG
    assert errors[0].message.params == {"max": limit, "length": limit + 1}


def test_text_refuses_control_characters_and_folds_line_breaks() -> None:
    assert error("title", "CIO\x00補佐官") == cleaners.MSG_BAD_CHARS
    assert error("duties", "業務\x1b[31m") == cleaners.MSG_BAD_CHARS
    assert error("title", "CIO\ud800") == cleaners.MSG_BAD_CHARS
    assert clean("title", "CIO\n補佐官") == "CIO 補佐官"
    assert clean("duties", "一、助言\r\n二、研修") == "一、助言\n二、研修"
    assert error("title", ["a", "b"]) == cleaners.MSG_TEXT


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
        ("012026", cleaners.MSG_CODE_CHECK),
        ("12025", cleaners.MSG_CODE_FIVE),
        ("abcdef", cleaners.MSG_CODE),
        ("0120255", cleaners.MSG_CODE),
        ("01-2025", cleaners.MSG_CODE),
        (True, cleaners.MSG_CODE),
        ("010006", cleaners.MSG_CODE_PREFECTURE),
    ],
)
def test_code_refuses(value: object, msgid: str) -> None:
    assert error("municipality_code", value) == msgid
