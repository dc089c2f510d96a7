"""Locale selection (Japanese first, English selectable) and formatting helpers."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import Babel, format_decimal, get_locale
from flask_login import current_user

from talentmatch import wareki
from talentmatch.clock import TOKYO, ZONE_NAME
from talentmatch.vocab import LANGUAGES

LOCALES = LANGUAGES
LANG_COOKIE = "tm_lang"


def select_locale() -> str:
    user = current_user
    if user is not None and getattr(user, "is_authenticated", False) and user.locale in LOCALES:
        return user.locale
    lang = request.cookies.get(LANG_COOKIE) if request else None
    return lang if lang in LOCALES else "ja"


def select_timezone() -> str:
    return ZONE_NAME


def current_lang() -> str:
    try:
        return str(get_locale() or "ja")[:2]
    except Exception:  # outside a request
        return "ja"


def yen(amount: int | None) -> str:
    if amount is None:
        return ""
    return wareki.format_yen(int(amount), current_lang())


def fiscal_year_label(fy: int | None) -> str:
    return "" if fy is None else wareki.fiscal_year_label(fy, current_lang())


def local_dt(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(TOKYO)
    if current_lang() == "ja":
        return local.strftime("%Y年%-m月%-d日 %H:%M")
    return local.strftime("%d %b %Y %H:%M")


def local_date(value: date | datetime | None, era: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(TOKYO).date()
    if current_lang() == "ja":
        text = f"{value.year}年{value.month}月{value.day}日"
        if era:
            text += f"（{wareki.wareki_date(value)}）"
        return text
    return value.strftime("%d %b %Y")


def number(value) -> str:
    return format_decimal(value)


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters.update(
        yen=yen, fy=fiscal_year_label, dt=local_dt, date=local_date, number=number
    )
    app.jinja_env.globals.update(current_lang=current_lang, LOCALES=LOCALES)
