"""PURE: a professional's profile fields (DESIGN §5): choices, cleaning and completeness.

The profile form and the talent-list import both hand raw values to `clean_profile`, so a
profile is held to the same rules however it arrives: skills and qualifications resolved
against the vocabulary (unknown entries kept, normalised), choices checked, days in 0.5 steps,
and every problem reported on the field it belongs to. Nothing here touches Flask or a database.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.inputs import fold_number
from talentmatch.messages import (
    MSG_BAD_CHARS,
    MSG_BOOL,
    MSG_CHOICE,
    MSG_ITEM_TOO_LONG,
    MSG_REQUIRED,
    MSG_TOO_LONG,
    MSG_TOO_MANY,
    N_,
    FieldError,
    Msg,
)
from talentmatch.professionals.vocabulary import Vocabulary, split_tags
from talentmatch.text import normalize
from talentmatch.vocab import (
    EMPLOYMENT_TYPES,
    FOCUS_AREAS,
    PROFESSIONAL_KINDS,
    REMOTE_PREFERENCES,
    Choice,
)

__all__ = [
    "FIELD_LABELS",
    "PROFILE_FIELDS",
    "clean_profile",
    "completeness",
    "resolve_prefecture",
    "prefecture_names",
    "parse_bool",
    "choice_value",
]

# What `clean_profile` gives and a Professional row stores: skills as vocabulary keys plus
# the free entries the vocabulary lacks.
PROFILE_FIELDS: tuple[str, ...] = (
    "kind",
    "headline",
    "skills",
    "free_skills",
    "focus_areas",
    "experience",
    "qualifications",
    "public_sector_experience",
    "preferred_prefectures",
    "remote_preference",
    "available_days_per_month",
    "accepted_employment_types",
    "discoverable",
)

FIELD_LABELS: dict[str, str] = {
    "kind": N_("Individual or company"),
    "headline": N_("Headline"),
    "skills": N_("Skills"),
    "focus_areas": N_("Focus areas"),
    "experience": N_("Experience"),
    "qualifications": N_("Qualifications"),
    "public_sector_experience": N_("Public-sector experience"),
    "preferred_prefectures": N_("Preferred prefectures"),
    "remote_preference": N_("Remote work"),
    "available_days_per_month": N_("Available days per month"),
    "accepted_employment_types": N_("Accepted employment types"),
    "discoverable": N_("Discoverable by municipalities and prefectures"),
}

HEADLINE_MAX = 200
EXPERIENCE_MAX = 4000
TAG_MAX_CHARS = 80
TAGS_MAX_ITEMS = 40
QUALIFICATIONS_MAX_ITEMS = 30
DAYS_MAX = 31

MSG_DAYS = N_("Enter a number of days from 0 to 31 in steps of 0.5, e.g. 4 or 2.5.")
MSG_PREFECTURE = N_("'%(value)s' is not a prefecture. Use its name (e.g. 北海道) or code (01–47).")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = frozenset(
    normalize(s) for s in ("yes", "y", "true", "1", "on", "はい", "あり", "有", "可", "○", "◯")
)
_FALSE = frozenset(
    normalize(s) for s in ("no", "n", "false", "0", "off", "いいえ", "なし", "無", "不可", "×", "✕")
)
_DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
_PREFECTURE_SUFFIX = re.compile(r"(都|道|府|県)$")


class ProfileError(Exception):
    """Field errors of a profile (or of a step that needs one, such as deletion)."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(", ".join(f"{e.field}: {e.message.msgid}" for e in errors))


# --------------------------------------------------------------------------- lookups


def _choice_index(choices: Iterable[Choice]) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in choices:
        for name in (c.value, c.label, *c.aliases):
            index.setdefault(normalize(name.replace("_", "")), c.value)
            index.setdefault(normalize(name), c.value)
    return index


_CHOICES = {
    "kind": _choice_index(PROFESSIONAL_KINDS),
    "remote_preference": _choice_index(REMOTE_PREFERENCES),
    "focus_areas": _choice_index(FOCUS_AREAS),
    "accepted_employment_types": _choice_index(EMPLOYMENT_TYPES),
}


def choice_value(field: str, value: object) -> str | None:
    """The key of a choice written as its key, English label or a Japanese spelling."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _CHOICES[field].get(normalize(value)) or _CHOICES[field].get(
        normalize(value.replace("_", ""))
    )


@lru_cache(maxsize=1)
def prefecture_names() -> dict[str, str]:
    """Code → Japanese name of the 47 prefectures, from the master list."""
    with _DATA.open(encoding="utf-8", newline="") as fh:
        return {
            row["prefecture_code"]: row["name"]
            for row in csv.DictReader(fh)
            if row["kind"] == "prefecture"
        }


@lru_cache(maxsize=1)
def _prefecture_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, name in prefecture_names().items():
        en = PREFECTURE_EN[code]
        for alias in (
            code,
            str(int(code)),
            name,
            _PREFECTURE_SUFFIX.sub("", name),
            en,
            f"{en} prefecture",
            f"{en}-ken",
            f"{en}-fu",
            f"{en}-to",
        ):
            index.setdefault(normalize(alias), code)
    return index


def resolve_prefecture(value: object) -> str | None:
    """'13', '1', '東京都', '東京', 'Tokyo' → the two-digit code; None when unknown."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return _prefecture_index().get(normalize(value))


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    n = normalize(str(value))
    if n in _TRUE:
        return True
    if n in _FALSE:
        return False
    return None


def _items(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_tags(value)
    return [str(v).strip() for v in value if v is not None and str(v).strip()]  # type: ignore[union-attr]


def _text(value: object) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _days(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        raw = str(value)
    elif isinstance(value, str):
        raw = str(fold_number(value)).removesuffix("日").strip()
    else:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > DAYS_MAX or (number * 2) % 1 != 0:
        return None
    return float(number)


# --------------------------------------------------------------------------- cleaning


def clean_profile(
    raw: Mapping[str, object],
    vocabulary: Vocabulary,
) -> tuple[dict[str, object], list[FieldError]]:
    """Clean values of every profile field in `raw` (missing keys take their defaults).

    Returns (cleaned, errors); cleaned is only to be saved when errors is empty. Skills give
    `skills` (vocabulary keys) and `free_skills` (normalised entries the vocabulary lacks).
    """
    errors: list[FieldError] = []
    out: dict[str, object] = {}

    def err(field: str, msgid: str, **params: object) -> None:
        errors.append(FieldError(field, Msg(msgid, params)))

    kind = raw.get("kind")
    out["kind"] = choice_value("kind", kind) if kind not in (None, "") else "individual"
    if out["kind"] is None:
        err("kind", MSG_CHOICE, value=str(kind)[:40])

    for field, limit in (("headline", HEADLINE_MAX), ("experience", EXPERIENCE_MAX)):
        text = _text(raw.get(field))
        if field == "headline":
            text = " ".join(text.split())
        if _CONTROL.search(text):
            err(field, MSG_BAD_CHARS)
        elif len(text) > limit:
            err(field, MSG_TOO_LONG, max=limit, length=len(text))
        out[field] = text

    tags = _items(raw.get("skills"))
    if len(tags) > TAGS_MAX_ITEMS:
        err("skills", MSG_TOO_MANY, max=TAGS_MAX_ITEMS)
    elif any(len(t) > TAG_MAX_CHARS for t in tags):
        err("skills", MSG_ITEM_TOO_LONG, max=TAG_MAX_CHARS)
    out["skills"], out["free_skills"] = vocabulary.normalize_tags(tags[:TAGS_MAX_ITEMS])

    names = _items(raw.get("qualifications"))
    if len(names) > QUALIFICATIONS_MAX_ITEMS:
        err("qualifications", MSG_TOO_MANY, max=QUALIFICATIONS_MAX_ITEMS)
    elif any(len(t) > TAG_MAX_CHARS for t in names):
        err("qualifications", MSG_ITEM_TOO_LONG, max=TAG_MAX_CHARS)
    keys, free = vocabulary.normalize_qualifications(names[:QUALIFICATIONS_MAX_ITEMS])
    out["qualifications"] = keys + free

    for field in ("focus_areas", "accepted_employment_types"):
        values: list[str] = []
        for item in _items(raw.get(field)):
            key = choice_value(field, item)
            if key is None:
                err(field, MSG_CHOICE, value=item[:40])
            elif key not in values:
                values.append(key)
        order = [c.value for c in (FOCUS_AREAS if field == "focus_areas" else EMPLOYMENT_TYPES)]
        out[field] = sorted(values, key=order.index)

    prefectures: list[str] = []
    for item in _items(raw.get("preferred_prefectures")):
        code = resolve_prefecture(item)
        if code is None:
            err("preferred_prefectures", MSG_PREFECTURE, value=item[:40])
        elif code not in prefectures:
            prefectures.append(code)
    out["preferred_prefectures"] = sorted(prefectures)

    remote = raw.get("remote_preference")
    out["remote_preference"] = (
        choice_value("remote_preference", remote) if remote not in (None, "") else "hybrid"
    )
    if out["remote_preference"] is None:
        err("remote_preference", MSG_CHOICE, value=str(remote)[:40])

    days_raw = raw.get("available_days_per_month")
    if days_raw is None or (isinstance(days_raw, str) and not days_raw.strip()):
        err("available_days_per_month", MSG_REQUIRED)
        out["available_days_per_month"] = None
    else:
        out["available_days_per_month"] = _days(days_raw)
        if out["available_days_per_month"] is None:
            err("available_days_per_month", MSG_DAYS)

    for field in ("public_sector_experience", "discoverable"):
        value = raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            out[field] = False
            continue
        flag = parse_bool(value)
        if flag is None:
            err(field, MSG_BOOL)
        out[field] = bool(flag)
    return out, errors


# --------------------------------------------------------------------------- completeness

COMPLETENESS_ITEMS: tuple[tuple[str, str], ...] = (
    ("headline", N_("Add a headline that says what you do.")),
    ("skills", N_("Add your skills.")),
    ("focus_areas", N_("Choose the focus areas you can help with.")),
    ("experience", N_("Describe your experience.")),
    ("preferred_prefectures", N_("Choose the prefectures where you would like to work.")),
    ("available_days_per_month", N_("Say how many days a month you are available.")),
    ("accepted_employment_types", N_("Choose the employment types you accept.")),
    ("discoverable", N_("Switch on “discoverable” so municipalities can find you.")),
)


def completeness(profile: Mapping[str, object]) -> tuple[int, list[tuple[str, str]]]:
    """(percent complete, [(field, advice msgid)] for what is missing)."""
    missing = []
    for field, advice in COMPLETENESS_ITEMS:
        value = profile.get(field)
        if field == "skills":
            value = (profile.get("skills") or []) or (profile.get("free_skills") or [])
        if not value:
            missing.append((field, advice))
    done = len(COMPLETENESS_ITEMS) - len(missing)
    return round(100 * done / len(COMPLETENESS_ITEMS)), missing
