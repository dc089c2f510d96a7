"""PURE: Japanese fiscal years (年度), era labels (和暦) and yen amounts.

Municipal budgets, the special grant and MIC's documents all count in fiscal years that run
from 1 April to 31 March, labelled in the era calendar (令和5年度); readers of the English
pages get the Western form (FY2023). Spreadsheets write dates and fiscal years either way
(令和7年4月1日, R7.4.1, 2025/4/1, 令和7年度, FY2025): `parse_date` and `parse_fiscal_year`
read them for every import and form. Babel formats numbers; everything else is stdlib.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from talentmatch.vocab import LANGUAGES

# (first day, kanji, romanised). Only eras since Japan adopted the Gregorian calendar
# (1 January 1873, Meiji 6): earlier dates used the lunisolar calendar and would be wrong.
_ERAS: tuple[tuple[date, str, str], ...] = (
    (date(2019, 5, 1), "令和", "Reiwa"),
    (date(1989, 1, 8), "平成", "Heisei"),
    (date(1926, 12, 25), "昭和", "Showa"),
    (date(1912, 7, 30), "大正", "Taisho"),
    (date(1868, 1, 25), "明治", "Meiji"),
)
_GREGORIAN_SINCE = date(1873, 1, 1)
# An era year as written: the kanji (令和7年) or the era's initial (R7, H30).
_ERA_FIRST_YEAR: dict[str, int] = {
    name: start.year for start, kanji, roman in _ERAS for name in (kanji, roman[0].lower())
}
_ERA = "|".join([kanji for _start, kanji, _roman in _ERAS])
_ERA_INITIAL = "".join(roman[0] for _start, _kanji, roman in _ERAS)
_DATE_FORMS = (
    # 2025-04-01, 2025/4/1, 2025.4.1, with the time Excel or a database may append
    re.compile(
        r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})"
        r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
    ),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"),
    re.compile(rf"({_ERA})(元|[0-9]{{1,2}})年([0-9]{{1,2}})月([0-9]{{1,2}})日"),
    re.compile(rf"([{_ERA_INITIAL}])([0-9]{{1,2}})[./-]([0-9]{{1,2}})[./-]([0-9]{{1,2}})", re.I),
)
_FISCAL_YEAR_WESTERN = re.compile(r"(?:fy)?([0-9]{4})(?:年度)?")
_FISCAL_YEAR_ERA = re.compile(rf"({_ERA}|[{_ERA_INITIAL.lower()}])([0-9]{{1,2}}|元)(?:年度?)?")

LANGS = LANGUAGES


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; use one of {LANGS}")


def _era_of(day: date) -> tuple[date, str, str]:
    if day < _GREGORIAN_SINCE:
        raise ValueError(f"{day.isoformat()} is before Japan used the Gregorian calendar")
    for era in _ERAS:
        if day >= era[0]:
            return era
    raise AssertionError("unreachable: the oldest era starts before 1873")


def _era_year(day: date) -> tuple[str, str, int]:
    start, kanji, roman = _era_of(day)
    return kanji, roman, day.year - start.year + 1


def _year_number_ja(n: int) -> str:
    # Japanese documents write the first year of an era as 元年, never 1年.
    return "元" if n == 1 else str(n)


def fiscal_year_of(day: date) -> int:
    """The fiscal year (年度) a day belongs to: 1 April to 31 March, named by its start."""
    return day.year if day.month >= 4 else day.year - 1


def era_year(era: str, year: str) -> int | None:
    """The Western year of an era year: ('令和', '元') → 2019, ('R', '7') → 2025.

    None for an unknown era or a year below 1. Years past an era's end are counted on
    (平成32年 → 2020), as people still write them.
    """
    first = _ERA_FIRST_YEAR.get(era if era in _ERA_FIRST_YEAR else era.lower())
    n = 1 if year == "元" else int(year) if year.isascii() and year.isdigit() else 0
    return None if first is None or n < 1 else first + n - 1


def parse_date(text: str) -> date | None:
    """A date as Japanese documents and spreadsheets write it, or None.

    2025-04-01, 2025/4/1, 2025.4.1 (a time after it is ignored), 2025年4月1日, 令和7年4月1日,
    令和元年5月1日 and R7.4.1; full-width characters are fine. A day that does not exist
    (2025-02-30) is None too.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    for form in _DATE_FORMS:
        m = form.fullmatch(text)
        if m is None:
            continue
        if m.lastindex == 4:
            year: int | None = era_year(m[1], m[2])
            month, day = m[3], m[4]
        else:
            year, month, day = int(m[1]), m[2], m[3]
        if year is None:
            return None
        try:
            return date(year, int(month), int(day))
        except ValueError:
            return None
    return None


def parse_fiscal_year(text: str) -> int | None:
    """A fiscal year as written: 2025, '2025年度', 'FY2025', '令和7年度', 'R7' → 2025."""
    text = unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")
    m = _FISCAL_YEAR_WESTERN.fullmatch(text)
    if m:
        return int(m[1])
    m = _FISCAL_YEAR_ERA.fullmatch(text)
    return era_year(m[1], m[2]) if m else None


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy`` (1 April fy – 31 March fy+1)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def wareki_year_label(year: int, lang: str = "ja") -> str:
    """Era label of a year, by the era in force at its end: 2019 → 令和元年, 2018 → 平成30年.

    Using the year's end matches how fiscal years are named: FY2019 began under Heisei
    but is officially 令和元年度, and FY1989 is 平成元年度.
    """
    _check_lang(lang)
    kanji, roman, n = _era_year(date(year, 12, 31))
    return f"{kanji}{_year_number_ja(n)}年" if lang == "ja" else f"{roman} {n}"


def fiscal_year_label(fy: int, lang: str = "ja") -> str:
    """'令和5年度' for 2023 (ja) or 'FY2023' (en)."""
    _check_lang(lang)
    return f"{wareki_year_label(fy)}度" if lang == "ja" else f"FY{fy}"


def fiscal_year_full_label(fy: int, lang: str = "ja") -> str:
    """Both calendars, for sentences: '令和5年度（2023年度）' or 'FY2023 (Reiwa 5)'."""
    _check_lang(lang)
    if lang == "ja":
        return f"{fiscal_year_label(fy)}（{fy}年度）"
    return f"FY{fy} ({wareki_year_label(fy, 'en')})"


def wareki_date(day: date) -> str:
    """'令和8年3月31日'; the era changes on its first day (2019-04-30 is 平成31年4月30日)."""
    kanji, _roman, n = _era_year(day)
    return f"{kanji}{_year_number_ja(n)}年{day.month}月{day.day}日"


def date_full_label(day: date, lang: str = "ja") -> str:
    """Both calendars: '令和8年3月31日（2026年3月31日）' or 'March 31, 2026 (Reiwa 8)'."""
    _check_lang(lang)
    if lang == "ja":
        return f"{wareki_date(day)}（{day.year}年{day.month}月{day.day}日）"
    _kanji, roman, n = _era_year(day)
    return f"{format_date(day, format='long', locale='en')} ({roman} {n})"


def format_yen(amount: int, lang: str = "ja") -> str:
    """Integer yen: '1,000,000円' (as Japanese public documents write it) or '¥1,000,000'."""
    _check_lang(lang)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("yen amounts are integers")
    if lang == "ja":
        return f"{format_decimal(amount, locale='ja_JP')}円"
    return format_currency(amount, "JPY", locale="en")
