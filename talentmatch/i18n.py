"""Locale selection (Japanese first, English selectable) and formatting helpers."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, format_decimal, get_locale, get_translations
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from werkzeug.datastructures import MultiDict

from talentmatch import wareki
from talentmatch.clock import TOKYO, ZONE_NAME
from talentmatch.vocab import LANGUAGES

LOCALES = LANGUAGES
LANG_COOKIE = "tm_lang"


DEFAULT = "ja"
LANG_ARG = "lang"


def language_from_url() -> str | None:
    """The language the URL names (``?lang=en``), if any: it wins over everything else, so
    a public answer depends on its URL alone and caches key on the URL."""
    lang = request.args.get(LANG_ARG) if has_request_context() else None
    return lang if lang in LOCALES else None


def select_locale() -> str:
    """The URL's ``lang``, else a logged-in person's saved language, else the language a
    visitor chose (the ``tm_lang`` cookie, set only by the language switch), else Japanese."""
    if not has_request_context():
        return DEFAULT
    lang = language_from_url()
    if lang:
        return lang
    user = current_user
    if user is not None and getattr(user, "is_authenticated", False) and user.locale in LOCALES:
        return user.locale
    lang = request.cookies.get(LANG_COOKIE)
    return lang if lang in LOCALES else DEFAULT


def visitor_locale() -> str:
    """select_locale() for a request without a session (nobody logged in), without loading
    a user: the 304 path of public answers runs before anything else."""
    lang = language_from_url() or request.cookies.get(LANG_COOKIE)
    return lang if lang in LOCALES else DEFAULT


def _authenticated() -> bool:
    return bool(getattr(current_user, "is_authenticated", False))


def _keep_language(endpoint: str, values: dict) -> None:
    """Links keep the language: on a page whose URL names it, or for a visitor reading in a
    language other than Japanese, ``url_for`` adds ``lang`` (static files and the switch
    itself excepted)."""
    if LANG_ARG in values or endpoint in ("static", "accounts.language") or not has_request_context():
        return
    environ = request.environ
    if _LINK_LANG not in environ:  # decided once per request: a page builds many links
        # The request's own language (not a force_locale'd mail rendered meanwhile).
        lang = language_from_url()
        if lang is None and not _authenticated():
            chosen = visitor_locale()
            lang = chosen if chosen != DEFAULT else None
        environ[_LINK_LANG] = lang
    if environ[_LINK_LANG]:
        values[LANG_ARG] = environ[_LINK_LANG]


_LINK_LANG = "talentmatch.link_lang"


def url_with_lang(lang: str | None, path: str | None = None, args=None) -> str:
    """This request's path and query with ``lang`` replaced (removed for Japanese)."""
    args = MultiDict(request.args if args is None else args)
    args.pop(LANG_ARG, None)
    if lang and lang != DEFAULT:
        args[LANG_ARG] = lang
    query = urlencode(list(args.items(multi=True)))
    return (request.path if path is None else path) + (f"?{query}" if query else "")


def alternates() -> list[tuple[str, str]]:
    """hreflang alternates of this page: (hreflang, absolute URL), x-default the Japanese."""
    base = current_app.config["BASE_URL"].rstrip("/")
    out = [(lang, base + url_with_lang(lang)) for lang in LOCALES]
    out.append(("x-default", base + url_with_lang(DEFAULT)))
    return out


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


def local_date(value: date | datetime | None, era: bool = True, lang: str | None = None) -> str:
    """A date as its reader writes it: Japanese readers get 和暦 beside 西暦 unless era=False
    (tight table cells may opt out), English readers '03 Dec 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(TOKYO).date()
    if (lang or current_lang()) == "ja":
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
    app.jinja_env.globals.update(current_lang=current_lang, LOCALES=LOCALES,
                                 lang_alternates=alternates, url_with_lang=url_with_lang)
    app.url_defaults(_keep_language)
    app.context_processor(_translations_of_this_render)


def _translations_of_this_render() -> dict:
    """`_()` in a template looked the catalogue up anew on every call (a page makes
    hundreds); each render now binds it once. Same jinja2 newstyle semantics (autoescape,
    %-formatting) as Flask-Babel's; a render inside force_locale binds that language."""
    translations = get_translations()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext)}
