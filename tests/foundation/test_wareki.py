"""Fiscal years, era labels and yen formatting as municipal documents write them."""

from __future__ import annotations

from datetime import date

import pytest

from talentmatch.wareki import (
    date_full_label,
    era_year,
    fiscal_year_bounds,
    fiscal_year_full_label,
    fiscal_year_label,
    fiscal_year_of,
    format_yen,
    parse_date,
    parse_fiscal_year,
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


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("era", "year", "western"),
    [("令和", "元", 2019), ("令和", "7", 2025), ("R", "7", 2025), ("r", "7", 2025),
     ("平成", "30", 2018), ("H", "31", 2019), ("昭和", "64", 1989), ("令和", "0", None),
     ("X", "1", None)],
)  # fmt: skip
def test_era_year(era: str, year: str, western: int | None) -> None:
    assert era_year(era, year) == western


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-04-01", date(2025, 4, 1)),
        ("2025/4/1", date(2025, 4, 1)),
        ("2025.4.1", date(2025, 4, 1)),
        ("2025-04-01 00:00:00", date(2025, 4, 1)),
        ("2025-04-01T09:30", date(2025, 4, 1)),
        ("2025年4月1日", date(2025, 4, 1)),
        ("２０２５／４／１", date(2025, 4, 1)),
        ("令和7年4月1日", date(2025, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("R7.4.1", date(2025, 4, 1)),
        ("h30-3-31", date(2018, 3, 31)),
        (" Ｒ７．４．１ ", date(2025, 4, 1)),
        ("2025-02-30", None),
        ("令和0年4月1日", None),
        ("4/1", None),
        ("tomorrow", None),
        ("", None),
    ],
)
def test_parse_date(text: str, day: date | None) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "value"),
    [("2025", 2025), ("FY2025", 2025), ("2025年度", 2025), ("令和7年度", 2025), ("R7", 2025),
     ("令和元年度", 2019), ("平成30年度", 2018), ("２０２３", 2023), ("fy 2023", 2023), ("7", None),
     ("令和0年度", None), ("next year", None)],
)  # fmt: skip
def test_parse_fiscal_year(text: str, value: int | None) -> None:
    assert parse_fiscal_year(text) == value
