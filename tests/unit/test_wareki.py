"""Fiscal years, era labels and yen formatting as municipal documents write them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from talentmatch.wareki import (
    date_full_label,
    fiscal_year_bounds,
    fiscal_year_full_label,
    fiscal_year_label,
    fiscal_year_of,
    format_yen,
    wareki_date,
    wareki_year_label,
)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2021, 3, 31), 2020),
        (date(2021, 4, 1), 2021),
        (date(2022, 3, 31), 2021),
        (date(2022, 4, 1), 2022),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2024, 1, 1), 2023),
        (date(2023, 12, 31), 2023),
        (date(2024, 2, 29), 2023),
    ],
)
def test_fiscal_year_of(day: date, fy: int) -> None:
    assert fiscal_year_of(day) == fy


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    first, last = fiscal_year_bounds(2023)
    assert fiscal_year_of(first) == fiscal_year_of(last) == 2023


@pytest.mark.parametrize(
    ("year", "ja", "en"),
    [
        (2023, "令和5年", "Reiwa 5"),
        (2019, "令和元年", "Reiwa 1"),
        (2018, "平成30年", "Heisei 30"),
        (1989, "平成元年", "Heisei 1"),
        (1988, "昭和63年", "Showa 63"),
        (2026, "令和8年", "Reiwa 8"),
    ],
)
def test_wareki_year_label(year: int, ja: str, en: str) -> None:
    assert wareki_year_label(year) == ja
    assert wareki_year_label(year, "en") == en


@pytest.mark.parametrize(
    ("fy", "ja", "en"),
    [
        (2023, "令和5年度", "FY2023"),
        (2019, "令和元年度", "FY2019"),  # began under Heisei, officially named 令和元年度
        (2018, "平成30年度", "FY2018"),
        (2021, "令和3年度", "FY2021"),
        (2022, "令和4年度", "FY2022"),
        (2025, "令和7年度", "FY2025"),
    ],
)
def test_fiscal_year_label(fy: int, ja: str, en: str) -> None:
    assert fiscal_year_label(fy) == ja
    assert fiscal_year_label(fy, lang="ja") == ja
    assert fiscal_year_label(fy, lang="en") == en


def test_fiscal_year_full_label_shows_both_calendars() -> None:
    assert fiscal_year_full_label(2025) == "令和7年度（2025年度）"
    assert fiscal_year_full_label(2025, "en") == "FY2025 (Reiwa 7)"


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 3, 31), "令和8年3月31日"),
        (date(2026, 4, 1), "令和8年4月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki_date(day: date, label: str) -> None:
    assert wareki_date(day) == label


def test_date_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        wareki_date(date(1872, 12, 31))


def test_date_full_label() -> None:
    assert date_full_label(date(2026, 3, 31)) == "令和8年3月31日（2026年3月31日）"
    assert date_full_label(date(2026, 3, 31), "en") == "March 31, 2026 (Reiwa 8)"


@pytest.mark.parametrize(
    ("amount", "ja", "en"),
    [
        (1_000_000, "1,000,000円", "¥1,000,000"),
        (0, "0円", "¥0"),
        (333_333, "333,333円", "¥333,333"),
    ],
)
def test_format_yen(amount: int, ja: str, en: str) -> None:
    assert format_yen(amount, "ja") == ja
    assert format_yen(amount, "en") == en


@pytest.mark.parametrize("bad", [1.5, True, "100"])
def test_format_yen_takes_integers_only(bad: object) -> None:
    with pytest.raises(TypeError):
        format_yen(bad, "ja")  # type: ignore[arg-type]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        fiscal_year_label(2023, "fr")


@pytest.mark.parametrize("module", ["talentmatch.wareki", "talentmatch.subsidies.calculation"])
def test_pure_modules_import_no_web_or_database_code(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'flask_babel', 'flask_sqlalchemy', 'sqlalchemy', 'werkzeug')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert out.strip() == ""
