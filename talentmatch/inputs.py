"""PURE: what a Japanese input method types into a code, number, amount, postal code, phone or
day-count box, folded to the ASCII the rest of the code expects.

An IME in full-width mode sends ６７１４４８, ３０万 with a ，, 〒０６０－８６１１, a phone
number with ー or ‐ for hyphens and 　 (U+3000) for spaces. Every such field goes through
``fold_number`` once (the web forms through ``talentmatch.web.NumberField``, the cleaners of
imports and the API directly), so no later parser meets a non-ASCII digit: ``int()`` would
accept ６ but ``secrets.compare_digest`` raises on it, and a regex ``\\d`` matches it.
"""

from __future__ import annotations

import re
import unicodedata

# Every dash an IME or a word processor produces where a hyphen is meant (NFKC leaves most of
# them alone): hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus,
# katakana-hiragana prolonged sound mark, half-width prolonged sound mark, small hyphen-minus.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\ufe63\uff0d"
_DASH_TABLE = {ord(ch): "-" for ch in _DASHES}
_SPACES = re.compile(r"\s+")


def fold_number(value: object) -> object:
    """Full-width digits, letters, commas, spaces and every kind of dash → ASCII, runs of
    spaces → one, trimmed. Anything that is not a string is returned as it is."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).translate(_DASH_TABLE)
    return _SPACES.sub(" ", text).strip()


def digits_only(value: object) -> str:
    """Only the ASCII digits of a code typed with spaces or hyphens (a TOTP code, a postal
    code): ``"６７１ ４４８"`` → ``"671448"``."""
    text = fold_number(value)
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in text if "0" <= ch <= "9")


# The largest value of an integer primary key (what `<int:…>` routes accept, too).
MAX_RECORD_ID = 2**31 - 1


def record_id(value: object) -> int | None:
    """The id of a record chosen in a form (a select's value, a hidden field), or None when
    it cannot be one: full-width digits are folded; empty, signs, ``²``, 40 digits → None, so
    the caller answers "choose one" instead of asking the database for the impossible."""
    text = fold_number(value)
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_ID else None
