"""The pure profile rules and talent-list parser (no app, no database)."""

from __future__ import annotations

import pytest

from talentmatch.professionals import importing, profile
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.tabular import files, table


@pytest.mark.parametrize(
    "value,code",
    [
        ("13", "13"),
        ("1", "01"),
        ("東京都", "13"),
        ("東京", "13"),
        ("ｔｏｋｙｏ", "13"),
        ("大阪", "27"),
        ("京都府", "26"),
        ("北海道", "01"),
        ("Okinawa", "47"),
        ("48", None),
        ("ムー大陸", None),
        ("", None),
    ],
)
def test_prefectures_by_code_or_name(value, code):
    assert profile.resolve_prefecture(value) == code


@pytest.mark.parametrize(
    "value,days",
    [
        ("4", 4.0),
        ("２．５", 2.5),
        ("0", 0.0),
        ("31", 31.0),
        ("10日", 10.0),
        ("2.3", None),
        ("-1", None),
        ("32", None),
        ("NaN", None),
        ("abc", None),
    ],
)
def test_days_are_0_to_31_in_half_steps(value, days):
    cleaned, errors = profile.clean_profile({"available_days_per_month": value}, load_vocabulary())
    if days is None:
        assert [e.field for e in errors] == ["available_days_per_month"]
    else:
        assert errors == [] and cleaned["available_days_per_month"] == days


def test_choices_accept_keys_english_and_japanese():
    cleaned, errors = profile.clean_profile(
        {
            "available_days_per_month": "4",
            "kind": "法人",
            "remote_preference": "フルリモート",
            "focus_areas": "情報システムの標準化・共通化;AI・RPA;bpr",
            "accepted_employment_types": "会計年度任用職員;Outsourcing contract",
            "discoverable": "はい",
            "public_sector_experience": "○",
        },
        load_vocabulary(),
    )
    assert errors == []
    assert cleaned["kind"] == "company" and cleaned["remote_preference"] == "remote_only"
    assert cleaned["focus_areas"] == ["standardization", "ai_rpa", "bpr"]
    assert cleaned["accepted_employment_types"] == ["fiscal_year_appointee", "outsourcing"]
    assert cleaned["discoverable"] is True and cleaned["public_sector_experience"] is True


def test_too_many_or_too_long_tags_name_the_field():
    vocab = load_vocabulary()
    _, errors = profile.clean_profile(
        {"available_days_per_month": "1", "skills": ";".join(f"s{i}" for i in range(41))}, vocab
    )
    assert [e.field for e in errors] == ["skills"]
    _, errors = profile.clean_profile(
        {"available_days_per_month": "1", "qualifications": "x" * 81}, vocab
    )
    assert [e.field for e in errors] == ["qualifications"]
    _, errors = profile.clean_profile(
        {"available_days_per_month": "1", "experience": "a\x00b"}, vocab
    )
    assert [e.field for e in errors] == ["experience"]


def test_completeness_lists_what_is_missing():
    percent, missing = profile.completeness({"headline": "x", "skills": [], "free_skills": ["y"]})
    assert [f for f, _ in missing] == [
        "focus_areas",
        "experience",
        "preferred_prefectures",
        "available_days_per_month",
        "accepted_employment_types",
        "discoverable",
    ]
    assert percent == 25


def test_formula_cells_are_refused_with_row_and_column():
    data = (
        "email,display_name,available_days_per_month\n"
        'a@example.jp,"@SUM(A1)",4\nb@example.jp, =1+1,4\nc@example.jp,名前,4\n'
    )
    parsed = importing.parse_csv(data.encode())
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "display_name"), (3, "display_name")]
    assert len(parsed.rows) == 3


def test_broken_files_are_refused_as_a_whole():
    assert importing.parse_csv(b"").errors[0].message.msgid == files.MSG_FILE_EMPTY
    assert importing.parse_csv(b"\xff\xfeu\x00").errors[0].message.msgid == files.MSG_ENCODING
    big = importing.parse_csv(b"x" * 20, max_bytes=10)
    assert big.errors[0].message.msgid == files.MSG_FILE_TOO_LARGE
    only_header = importing.parse_csv(b"email,display_name,available_days_per_month\n")
    assert only_header.errors[0].message.msgid == importing.MSG_NO_PEOPLE
    many = importing.parse_csv(
        ("email,display_name,available_days_per_month\n" + "a@b.jp,A,1\n" * 5).encode(), max_rows=3
    )
    assert any(e.message.msgid == table.MSG_TOO_MANY_ROWS for e in many.errors)
    stray = importing.parse_csv(b"email,display_name,available_days_per_month\na@b.jp,A,1,extra\n")
    assert stray.errors[0].message.msgid == table.MSG_VALUE_WITHOUT_HEADER


def test_random_bytes_never_crash_the_parser():
    import random

    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        parsed = importing.parse_csv(b"email,display_name,available_days_per_month\n" + data)
        importing.validate_rows(parsed.rows, load_vocabulary())
