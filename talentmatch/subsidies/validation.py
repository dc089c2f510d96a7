"""PURE: the estimate's input (DESIGN §6 contract), checked before anything is computed.

``{"municipality_code": "012025", "lines": [{"id", "date" or "fiscal_year", "category",
"amount"}], "lang"?}``: an unknown or mistyped code, a bad check digit, a negative or
non-integer amount, an unknown category, a line with neither date nor fiscal year… refuse the
whole input with ``InvalidInput``, whose errors name every offending field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from talentmatch import messages
from talentmatch.catalog import Gettext, translator
from talentmatch.geo.codes import check_digit, is_valid_code
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.subsidies.measures import Measure, accepted_categories
from talentmatch.wareki import LANGS, fiscal_year_bounds, fiscal_year_of

MAX_LINES = 1_000
# Keeps every total below 2**53, so JavaScript clients of the API read exact integers.
MAX_AMOUNT = 1_000_000_000_000
MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2099

ERR_PAYLOAD = N_("Send a JSON object.")
ERR_CODE_FORMAT = N_("Enter the 6-digit local government code.")
ERR_CODE_CHECK = N_("%(code)s has a wrong check digit: the last digit should be %(expected)s.")
ERR_CODE_UNKNOWN = N_("No municipality has the code %(code)s.")
ERR_LANG = N_("Choose ja or en.")
ERR_LINES_LIST = N_("Send the lines as a list.")
ERR_LINES_EMPTY = N_("Add at least one line.")
ERR_LINES_TOO_MANY = N_("Too many lines (%(count)s); send at most %(max)s.")
ERR_LINE_OBJECT = N_(
    "Each line must be an object with id, category, amount and a date or fiscal year."
)
ERR_ID = N_("Give each line an id as text.")
ERR_CATEGORY = N_("Unknown category %(value)s; use one of: %(choices)s.")
ERR_AMOUNT_TYPE = N_("Enter the amount as a whole number of yen.")
ERR_AMOUNT_NEGATIVE = N_("The amount cannot be negative.")
ERR_AMOUNT_TOO_LARGE = N_("The amount is too large; at most %(max)s.")
ERR_WHEN_MISSING = N_("Give a date or a fiscal year.")
ERR_DATE = N_("Enter a real date as YYYY-MM-DD.")
ERR_DATE_RANGE = N_("Enter a date from %(min)s to %(max)s.")
ERR_FISCAL_YEAR_TYPE = N_("Enter the fiscal year as a whole number such as 2023.")
ERR_FISCAL_YEAR_RANGE = N_("Enter a fiscal year from %(min)s to %(max)s.")
ERR_FISCAL_YEAR_MISMATCH = N_(
    "The date %(date)s falls in fiscal year %(date_fy)s, not %(fiscal_year)s."
)


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str
    kind: str  # talentmatch.vocab.BODY_KINDS
    prefecture_code: str
    prefecture_name: str


Lookup = Callable[[str], MunicipalityInfo | None]


class InvalidInput(Exception):  # noqa: N818 - the name the API and CLI layers catch
    """The whole input is refused; ``errors`` name every offending field."""

    def __init__(self, errors: list[FieldError], lang: str = "ja") -> None:
        super().__init__(f"{len(errors)} invalid field(s): " + ", ".join(e.field for e in errors))
        self.errors = errors
        self.lang = lang

    def to_dict(self, gettext: Gettext | None = None) -> dict[str, Any]:
        t = translator(self.lang, gettext)
        return {"errors": [{"field": e.field, "message": e.render(t)} for e in self.errors]}


@dataclass(frozen=True)
class Line:
    """One valid input line; ``index`` is its place in the input."""

    index: int
    id: str
    category: str
    amount: int
    fiscal_year: int
    date: date | None


# [0-9], not \d: \d also matches full-width and other Unicode digits.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_int(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int) and not isinstance(value, bool)


def _whole(value: object) -> object:
    """JSON has one kind of number: 800000.0 is the integer 800000 (as JSON Schema says)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def requested_lang(payload: object, default: str = "ja") -> str:
    """The language the payload asks for (its "lang"), else ``default``.

    The app uses this to pick the gettext it passes to ``calculate``.
    """
    if isinstance(payload, Mapping) and payload.get("lang") in LANGS:
        return str(payload["lang"])
    return default


def _validate_code(
    value: object, lookup: Lookup, errors: list[FieldError]
) -> MunicipalityInfo | None:
    f = "municipality_code"
    if value is None:
        errors.append(FieldError(f, Msg(messages.MSG_REQUIRED)))
        return None
    # Only strings: an integer would already have lost the leading zero (012025 → 12025).
    # NFKC folds full-width digits typed with a Japanese input method.
    code = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]{6}", code):
        errors.append(FieldError(f, Msg(ERR_CODE_FORMAT)))
        return None
    if not is_valid_code(code):
        expected = check_digit(code[:5])
        errors.append(FieldError(f, Msg(ERR_CODE_CHECK, {"code": code, "expected": expected})))
        return None
    info = lookup(code)
    if info is None:
        errors.append(FieldError(f, Msg(ERR_CODE_UNKNOWN, {"code": code})))
    return info


def _validate_line(
    i: int, raw: object, categories: Sequence[str], errors: list[FieldError]
) -> Line | None:
    p = f"lines[{i}]"
    if not isinstance(raw, Mapping):
        errors.append(FieldError(p, Msg(ERR_LINE_OBJECT)))
        return None
    before = len(errors)

    line_id = raw.get("id")
    if line_id is None:
        errors.append(FieldError(f"{p}.id", Msg(messages.MSG_REQUIRED)))
    elif not isinstance(line_id, str) or not line_id:
        errors.append(FieldError(f"{p}.id", Msg(ERR_ID)))

    category = raw.get("category")
    if category is None:
        errors.append(FieldError(f"{p}.category", Msg(messages.MSG_REQUIRED)))
    elif not isinstance(category, str) or category not in categories:
        choices = ", ".join(categories)
        errors.append(
            FieldError(
                f"{p}.category", Msg(ERR_CATEGORY, {"value": _show(category), "choices": choices})
            )
        )

    amount = _whole(raw.get("amount"))
    if amount is None:
        errors.append(FieldError(f"{p}.amount", Msg(messages.MSG_REQUIRED)))
    elif not is_int(amount):
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_TYPE)))
    elif amount < 0:
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_NEGATIVE)))
    elif amount >= MAX_AMOUNT:
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_TOO_LARGE, {"max": MAX_AMOUNT - 1})))

    raw_date, raw_fy = raw.get("date"), _whole(raw.get("fiscal_year"))
    day: date | None = None
    fy: int | None = None
    if raw_date is None and raw_fy is None:
        errors.append(FieldError(f"{p}.date", Msg(ERR_WHEN_MISSING)))
    if raw_date is not None:
        try:
            if not isinstance(raw_date, str) or not _DATE_RE.fullmatch(raw_date):
                raise ValueError
            day = date.fromisoformat(raw_date)
        except ValueError:
            errors.append(FieldError(f"{p}.date", Msg(ERR_DATE)))
        if day is not None and not MIN_FISCAL_YEAR <= fiscal_year_of(day) <= MAX_FISCAL_YEAR:
            lo, hi = fiscal_year_bounds(MIN_FISCAL_YEAR)[0], fiscal_year_bounds(MAX_FISCAL_YEAR)[1]
            errors.append(
                FieldError(
                    f"{p}.date", Msg(ERR_DATE_RANGE, {"min": lo.isoformat(), "max": hi.isoformat()})
                )
            )
            day = None
    if raw_fy is not None:
        if not is_int(raw_fy):
            errors.append(FieldError(f"{p}.fiscal_year", Msg(ERR_FISCAL_YEAR_TYPE)))
        elif not MIN_FISCAL_YEAR <= raw_fy <= MAX_FISCAL_YEAR:
            errors.append(
                FieldError(
                    f"{p}.fiscal_year",
                    Msg(ERR_FISCAL_YEAR_RANGE, {"min": MIN_FISCAL_YEAR, "max": MAX_FISCAL_YEAR}),
                )
            )
        else:
            fy = raw_fy
    if day is not None:
        if fy is not None and fy != fiscal_year_of(day):
            errors.append(
                FieldError(
                    f"{p}.fiscal_year",
                    Msg(
                        ERR_FISCAL_YEAR_MISMATCH,
                        {
                            "date": day.isoformat(),
                            "date_fy": fiscal_year_of(day),
                            "fiscal_year": fy,
                        },
                    ),
                )
            )
        fy = fiscal_year_of(day)

    if len(errors) > before or fy is None:
        return None
    assert isinstance(line_id, str) and isinstance(category, str) and is_int(amount)
    return Line(index=i, id=line_id, category=category, amount=amount, fiscal_year=fy, date=day)


def validate(
    payload: object, lookup: Lookup, measures: Sequence[Measure], default_lang: str
) -> tuple[MunicipalityInfo, list[Line], str]:
    """The body, the valid lines and the language asked for; raises ``InvalidInput``."""
    errors: list[FieldError] = []
    if not isinstance(payload, Mapping):
        raise InvalidInput([FieldError("payload", Msg(ERR_PAYLOAD))], default_lang)

    lang = default_lang
    if "lang" in payload and payload["lang"] is not None:
        if payload["lang"] in LANGS:
            lang = payload["lang"]
        else:
            errors.append(FieldError("lang", Msg(ERR_LANG)))

    info = _validate_code(payload.get("municipality_code"), lookup, errors)

    raw_lines = payload.get("lines")
    lines: list[Line] = []
    if raw_lines is None:
        errors.append(FieldError("lines", Msg(messages.MSG_REQUIRED)))
    elif not isinstance(raw_lines, list):
        errors.append(FieldError("lines", Msg(ERR_LINES_LIST)))
    elif not raw_lines:
        errors.append(FieldError("lines", Msg(ERR_LINES_EMPTY)))
    elif len(raw_lines) > MAX_LINES:
        # Not looking into the lines bounds the work an oversized request can cause.
        errors.append(
            FieldError(
                "lines", Msg(ERR_LINES_TOO_MANY, {"count": len(raw_lines), "max": MAX_LINES})
            )
        )
    else:
        # Ids are the caller's labels, echoed back in input order: a repeated one is allowed
        # (the published schema cannot forbid it, so neither does the calculator).
        categories = accepted_categories(measures)
        for i, raw in enumerate(raw_lines):
            line = _validate_line(i, raw, categories, errors)
            if line is not None:
                lines.append(line)

    if errors:
        raise InvalidInput(errors, lang)
    assert info is not None
    return info, lines, lang
