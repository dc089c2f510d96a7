"""PURE: 全国地方公共団体コード (JIS X 0402) check digits and kinds."""

from __future__ import annotations

import re

_CODE_RE = re.compile(r"^\d{6}$")


def check_digit(first_five: str) -> int:
    """Check digit for the first five digits: (11 - S mod 11) mod 10."""
    if not re.fullmatch(r"\d{5}", first_five):
        raise ValueError("need exactly five digits")
    weights = (6, 5, 4, 3, 2)
    s = sum(int(d) * w for d, w in zip(first_five, weights, strict=True))
    return (11 - s % 11) % 10


def is_valid_code(code: str) -> bool:
    """True for a six-digit code whose last digit is its check digit."""
    if not isinstance(code, str) or not _CODE_RE.match(code):
        return False
    return check_digit(code[:5]) == int(code[5])


def normalize_code(value: object) -> str | None:
    """Accept 6-digit codes, or 5-digit codes without the check digit (as some lists
    write them); full-width digits are folded. Returns the 6-digit code or None."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if re.fullmatch(r"\d{5}", text):
        text = text + str(check_digit(text))
    return text if is_valid_code(text) else None


def is_prefecture_code(code: str) -> bool:
    return code[2:5] == "000"
