"""PURE: cleaning one value of the standard template, whatever form it arrives in.

A web form sends text, a spreadsheet numbers, dates and text with full-width digits, the API
JSON: `clean_field` turns any of them into the field's clean value, or gives the message
that names what is wrong. Nothing here raises on odd input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from talentmatch.geo.codes import check_digit, is_prefecture_code
from talentmatch.inputs import fold_number
from talentmatch.messages import (
    MSG_BAD_CHARS,
    MSG_BOOL,
    MSG_CHOICE,
    MSG_ITEM_TOO_LONG,
    MSG_TOO_LONG,
    MSG_TOO_MANY,
    N_,
    Msg,
)
from talentmatch.postings.template.fields import CHOICES, FIELDS_BY_KEY, Field
from talentmatch.tabular.cells import MSG_EMAIL, clean_email
from talentmatch.tabular.headers import fold
from talentmatch.vocab import Choice
from talentmatch.wareki import parse_date

COMPENSATION_MAX = 1_000_000_000  # beyond this it is a typo, not a salary
DAYS_MIN, DAYS_MAX = 0.5, 31.0
YEAR_MIN, YEAR_MAX = 2000, 2100

MSG_TEXT = N_("Enter text.")
MSG_INT = N_("Enter a whole number of yen, e.g. 300,000.")
MSG_NEGATIVE = N_("The amount cannot be negative.")
MSG_INT_TOO_LARGE = N_("The amount is too large.")
MSG_DAYS = N_("Enter a number of days between 0.5 and 31.")
MSG_DATE = N_("Enter a date such as 2025-04-01 or 2025/4/1.")
MSG_DATE_RANGE = N_("Enter a date between the years 2000 and 2100.")
MSG_PHONE = N_("Enter a phone number with digits and hyphens, e.g. 03-1234-5678.")
MSG_URL_SCHEME = N_(
    "Only http:// and https:// links are allowed; describe other ways to apply in words."
)
MSG_URL_INCOMPLETE = N_("Enter a complete link, e.g. https://www.city.example.lg.jp/recruit.")
MSG_CODE = N_("Enter the 6-digit municipality code including its check digit, e.g. 012025.")
MSG_CODE_FIVE = N_(
    "Enter all 6 digits of the municipality code: a leading zero or the check digit is missing."
)
MSG_CODE_CHECK = N_("The check digit of this municipality code is wrong.")
MSG_CODE_PREFECTURE = N_("Enter the code of a municipality, not of a prefecture.")


def _choice_index(choices: Iterable[Choice]) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in choices:
        for name in (c.value, c.label, *c.aliases):
            index.setdefault(fold(name), c.value)
    return index


_CHOICE_INDEX: dict[str, dict[str, str]] = {k: _choice_index(v) for k, v in CHOICES.items()}

_TRUE = frozenset(
    fold(s) for s in ("yes", "y", "true", "1", "on", "はい", "あり", "有", "可", "可能", "○", "◯")
)
_FALSE = frozenset(
    fold(s) for s in ("no", "n", "false", "0", "off", "いいえ", "なし", "無", "不可", "×", "✕")
)


class _Invalid(Exception):
    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msg = Msg(msgid, params)


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_is_blank(v) for v in value)
    return False


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _Invalid(MSG_TEXT)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    raise _Invalid(MSG_TEXT)


def _check_chars(text: str, *, multiline: bool) -> None:
    allowed = "\n\t" if multiline else ""
    for ch in text:
        cat = unicodedata.category(ch)
        # Cc: control characters; Cs: lone surrogates that no database can store.
        if (cat == "Cc" and ch not in allowed) or cat == "Cs":
            raise _Invalid(MSG_BAD_CHARS)


def _check_length(text: str, field: Field) -> None:
    if field.max_length is not None and len(text) > field.max_length:
        raise _Invalid(MSG_TOO_LONG, max=field.max_length, length=len(text))


def _clean_text(value: object, field: Field) -> str:
    text = _as_text(value)
    # A line break typed in a spreadsheet cell means nothing in a one-line field.
    text = re.sub(r"[\r\n\t]+", " ", text).strip()
    _check_chars(text, multiline=False)
    _check_length(text, field)
    return text


def _clean_longtext(value: object, field: Field) -> str:
    text = _as_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    _check_chars(text, multiline=True)
    _check_length(text, field)
    return text


def _split_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    text = _as_text(value)
    return list(re.split(r"[;；,，、\r\n]+", text))


def _clean_choice(value: object, field: Field) -> str:
    text = _as_text(value).strip()
    key = _CHOICE_INDEX[field.key].get(fold(text))
    if key is None:
        raise _Invalid(MSG_CHOICE, value=text[:50])
    return key


def _clean_multichoice(value: object, field: Field) -> list[str]:
    found: set[str] = set()
    for item in _split_list(value):
        if _is_blank(item):
            continue
        found.add(_clean_choice(item, field))
    # Stored in the template's order so equal selections compare equal.
    return [c.value for c in field.choices if c.value in found]


def _clean_tags(value: object, field: Field) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for item in _split_list(value):
        if _is_blank(item):
            continue
        tag = re.sub(r"\s+", " ", _as_text(item)).strip()
        _check_chars(tag, multiline=False)
        if field.max_length is not None and len(tag) > field.max_length:
            raise _Invalid(MSG_ITEM_TOO_LONG, max=field.max_length)
        folded = fold(tag) or tag
        if folded not in seen:
            seen.add(folded)
            tags.append(tag)
    if field.max_items is not None and len(tags) > field.max_items:
        raise _Invalid(MSG_TOO_MANY, max=field.max_items)
    return tags


def _clean_bool(value: object, field: Field) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = fold(value)
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise _Invalid(MSG_BOOL)


def _decimal(value: object, msgid: str, suffix: str) -> Decimal:
    """A finite Decimal from a number or text (full-width digits, 300,000, ¥, 万, a unit)."""
    if isinstance(value, bool):
        raise _Invalid(msgid)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid(msgid)
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = fold_number(value)
        text = re.sub(r"[\s,]", "", text).lstrip("¥\\").removesuffix(suffix)
        multiplier = 1
        if text.endswith("万"):
            text, multiplier = text[:-1], 10_000
        if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,6})?", text):
            raise _Invalid(msgid)
        try:
            number = Decimal(text) * multiplier
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise _Invalid(msgid) from exc
    else:
        raise _Invalid(msgid)
    if not number.is_finite():
        raise _Invalid(msgid)
    return number


def _clean_int(value: object, field: Field) -> int:
    number = _decimal(value, MSG_INT, "円")
    if number < 0:
        raise _Invalid(MSG_NEGATIVE)
    if number != number.to_integral_value():
        raise _Invalid(MSG_INT)
    if number > COMPENSATION_MAX:
        raise _Invalid(MSG_INT_TOO_LARGE)
    return int(number)


def _clean_number(value: object, field: Field) -> float:
    number = _decimal(value, MSG_DAYS, "日")
    if not Decimal(str(DAYS_MIN)) <= number <= Decimal(str(DAYS_MAX)):
        raise _Invalid(MSG_DAYS)
    return float(number)


def _clean_date(value: object, field: Field) -> date:
    if isinstance(value, datetime):  # Excel cells arrive as datetimes
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        parsed = parse_date(value)  # 2025/4/1, 2025年4月1日, 令和7年4月1日, R7.4.1 …
        if parsed is None:
            raise _Invalid(MSG_DATE)
        result = parsed
    else:  # numbers could be Excel serials or typos: too ambiguous to guess
        raise _Invalid(MSG_DATE)
    if not YEAR_MIN <= result.year <= YEAR_MAX:
        raise _Invalid(MSG_DATE_RANGE)
    return result


def _clean_email(value: object, field: Field) -> str:
    text = unicodedata.normalize("NFKC", _as_text(value)).strip()
    _check_length(text, field)
    address = clean_email(text)
    if address is None:
        raise _Invalid(MSG_EMAIL)
    return address


_PHONE_RE = re.compile(r"\+?[0-9\-() ]+(?:\s*(?:内線|ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)


def _clean_phone(value: object, field: Field) -> str:
    text = fold_number(_as_text(value))
    _check_length(text, field)
    digits = sum(ch in "0123456789" for ch in text)
    if not _PHONE_RE.fullmatch(text) or not 9 <= digits <= 20:
        raise _Invalid(MSG_PHONE)
    return text


_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Schemes that run code or read local data when a browser follows them.
_DANGEROUS_SCHEMES = frozenset(
    {"javascript", "data", "vbscript", "file", "blob", "about", "filesystem"}
)


def is_url(value: object) -> bool:
    """True when a cleaned how_to_apply value is a link (pages render it as <a href>)."""
    return isinstance(value, str) and bool(re.fullmatch(r"https?://\S+", value, re.IGNORECASE))


def _clean_url_or_text(value: object, field: Field) -> str:
    text = _clean_longtext(value, field)
    # Browsers ignore whitespace and controls inside a scheme ("java\nscript:"), so must we.
    probe = re.sub(r"[\s\x00-\x1f]+", "", unicodedata.normalize("NFKC", text)).lower()
    m = _SCHEME_RE.match(probe)
    if m is None:
        return text
    scheme = m.group(1)
    single_token = not re.search(r"\s", text)
    if scheme in ("http", "https"):
        if not single_token:
            return text  # a sentence that starts with a link stays text
        try:
            parts = urlsplit(text)
            hostname = parts.hostname
        except ValueError as exc:
            raise _Invalid(MSG_URL_INCOMPLETE) from exc
        if parts.scheme.lower() not in ("http", "https") or not hostname:
            raise _Invalid(MSG_URL_INCOMPLETE)
        return text
    if scheme in _DANGEROUS_SCHEMES or single_token:
        raise _Invalid(MSG_URL_SCHEME)
    return text  # e.g. "郵送: 履歴書を…" is text, not a link


def _clean_code(value: object, field: Field) -> str:
    if isinstance(value, bool):
        raise _Invalid(MSG_CODE)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A spreadsheet number cell drops the leading zero of 012025.
        if not 0 <= value <= 999_999:
            raise _Invalid(MSG_CODE)
        text = f"{value:06d}"
    else:
        text = str(fold_number(_as_text(value)))
    if re.fullmatch(r"[0-9]{5}", text):
        raise _Invalid(MSG_CODE_FIVE)
    if not re.fullmatch(r"[0-9]{6}", text):
        raise _Invalid(MSG_CODE)
    if check_digit(text[:5]) != int(text[5]):
        raise _Invalid(MSG_CODE_CHECK)
    if is_prefecture_code(text):
        raise _Invalid(MSG_CODE_PREFECTURE)
    return text


_CLEANERS: dict[str, Callable[[object, Field], object]] = {
    "text": _clean_text,
    "longtext": _clean_longtext,
    "choice": _clean_choice,
    "multichoice": _clean_multichoice,
    "tags": _clean_tags,
    "int": _clean_int,
    "number": _clean_number,
    "date": _clean_date,
    "email": _clean_email,
    "url_or_text": _clean_url_or_text,
    "phone": _clean_phone,
    "bool": _clean_bool,
    "code": _clean_code,
}


def _empty(field: Field) -> object:
    return [] if field.type in ("tags", "multichoice") else None


def clean_field(key: str, value: object) -> tuple[object, Msg | None]:
    """Clean one value: (clean value or blank, None) or (None, error message)."""
    field = FIELDS_BY_KEY[key]
    if _is_blank(value):
        return _empty(field), None
    try:
        cleaned = _CLEANERS[field.type](value, field)
    except _Invalid as exc:
        return None, exc.msg
    except (TypeError, ValueError, OverflowError, RecursionError):
        # Odd input types a client may send: an error for the field, never a crash.
        return None, Msg(MSG_TEXT)
    if cleaned == "" or cleaned == []:
        return _empty(field), None
    return cleaned, None
