"""PURE: checks on single cells that every import (and the forms behind them) shares."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from talentmatch.messages import N_

# What makes a spreadsheet run a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EMAIL_MAX = 254

MSG_EMAIL = N_("Enter a valid email address, e.g. dx@city.example.lg.jp.")


def formula_char(value: object) -> str | None:
    """The character that would make a spreadsheet run this cell as a formula, if any.

    Leading spaces (and line breaks) do not hide one: they are stripped when the value is
    cleaned, and what is left must never be formula text.
    """
    if not isinstance(value, str) or not value:
        return None
    for text in (value, value.lstrip()):
        if text and text[0] in FORMULA_PREFIXES:
            return {"\t": "TAB", "\r": "CR"}.get(text[0], f"'{text[0]}'")
    return None


def clean_email(value: str) -> str | None:
    """The address with its domain in lower case, or None when it is not a usable address.

    Full-width characters are folded first (ｄｘ＠… is dx@…). Only ASCII addresses are taken
    (no internationalised domains or local parts): those are what municipal and company mail
    servers in Japan reliably receive. Nothing is looked up in DNS; `strict` keeps the
    RFC 5321 limit of 64 characters before the @.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if not text.isascii() or len(text) > EMAIL_MAX:
        return None
    try:
        result = validate_email(
            text, check_deliverability=False, allow_smtputf8=False, strict=True
        )
    except EmailNotValidError:
        return None
    return result.normalized
