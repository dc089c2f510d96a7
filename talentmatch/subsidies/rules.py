"""PURE: the special grant (特別交付税措置) for external digital talent, as data and a calculator.

MIC counts half of what a 市町村 pays to appoint external talent as CIO補佐官等 (special
part-time remuneration or outsourcing fees, FY2021–FY2025) and half of its recruitment costs
(FY2022–FY2025, up to 1,000,000円 of cost per municipality and fiscal year). The rules live in
``MEASURES``; an extension or a new measure is one more row, not new code.

``calculate()`` serves the estimate page, ``flask subsidy estimate`` and
``POST /api/v1/subsidy/estimate`` alike, so all three show the same figures and reasons.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

from talentmatch.geo.codes import check_digit, is_valid_code
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.wareki import (
    LANGS,
    date_full_label,
    fiscal_year_bounds,
    fiscal_year_full_label,
    fiscal_year_label,
    fiscal_year_of,
    format_yen,
)

Gettext = Callable[[str], str]

# --- vocabulary ------------------------------------------------------------------------------

CATEGORY_LABELS: dict[str, str] = {
    "recruitment": N_("Recruitment costs"),
    "special_part_time_remuneration": N_("Remuneration of special part-time staff"),
    "outsourcing_fee": N_("Outsourcing fees"),
    "full_time_salary": N_("Salaries of full-time staff"),
    "fiscal_year_appointee_pay": N_("Pay of fiscal-year appointees"),
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)

KIND_LABELS: dict[str, str] = {
    "prefecture": N_("prefecture"),
    "designated_city": N_("designated city"),
    "city": N_("city"),
    "special_ward": N_("special ward"),
    "town": N_("town"),
    "village": N_("village"),
}

# The grant goes to 市町村: prefectures and Tokyo's 特別区 are not recipients.
SHICHOSON: tuple[str, ...] = ("designated_city", "city", "town", "village")

REASONS = ("eligible", "capped", "out_of_period", "category_not_covered", "body_not_covered")

MAX_LINES = 1_000
# Keeps every total below 2**53, so JavaScript clients of the API read exact integers.
MAX_AMOUNT = 1_000_000_000_000
MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2099

# Japan has no daylight saving time, so a fixed offset is Asia/Tokyo without needing tzdata.
_JST = timezone(timedelta(hours=9))


# --- the measures table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    name: str  # an N_ msgid
    categories: tuple[str, ...]
    rate: Fraction | Decimal | int
    cap: int | None  # of eligible cost per municipality and fiscal year; None: no cap
    first_fy: int
    last_fy: int
    eligible_kinds: tuple[str, ...]

    def __post_init__(self) -> None:
        # Floats would make the yen figures depend on binary rounding.
        if isinstance(self.rate, bool | float) or not isinstance(
            self.rate, Fraction | Decimal | int
        ):
            raise TypeError(f"measure {self.key}: rate must be a Fraction, Decimal or int")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"measure {self.key}: rate must be between 0 and 1")
        if self.cap is not None and (isinstance(self.cap, bool) or self.cap < 0):
            raise ValueError(f"measure {self.key}: cap must be None or a non-negative int")
        if self.first_fy > self.last_fy:
            raise ValueError(f"measure {self.key}: first_fy is after last_fy")

    @property
    def exact_rate(self) -> Fraction:
        return Fraction(self.rate)

    def covers_year(self, fy: int) -> bool:
        return self.first_fy <= fy <= self.last_fy


APPOINTMENT_NAME = N_("Appointment of external talent (CIO advisers etc.)")
RECRUITMENT_NAME = N_("Recruitment of external talent (CIO advisers etc.)")

MEASURES: tuple[Measure, ...] = (
    Measure(
        key="appointment",
        name=APPOINTMENT_NAME,
        categories=("special_part_time_remuneration", "outsourcing_fee"),
        rate=Fraction(1, 2),
        cap=None,
        first_fy=2021,
        last_fy=2025,
        eligible_kinds=SHICHOSON,
    ),
    Measure(
        key="recruitment",
        name=RECRUITMENT_NAME,
        categories=("recruitment",),
        rate=Fraction(1, 2),
        cap=1_000_000,
        first_fy=2022,
        last_fy=2025,
        eligible_kinds=SHICHOSON,
    ),
)


def check_measures(measures: Sequence[Measure]) -> None:
    """Refuse a table where two rows could both claim one cost: the result would be ambiguous."""
    keys = [m.key for m in measures]
    if len(set(keys)) != len(keys):
        raise ValueError("measure keys must be unique")
    for i, a in enumerate(measures):
        for b in measures[i + 1 :]:
            if (
                set(a.categories) & set(b.categories)
                and set(a.eligible_kinds) & set(b.eligible_kinds)
                and a.first_fy <= b.last_fy
                and b.first_fy <= a.last_fy
            ):
                raise ValueError(f"measures {a.key} and {b.key} overlap")


def accepted_categories(measures: Sequence[Measure] = MEASURES) -> tuple[str, ...]:
    """The known categories plus any a newer measure introduces."""
    extra = [c for m in measures for c in m.categories if c not in CATEGORY_LABELS]
    return CATEGORIES + tuple(dict.fromkeys(extra))


def covered_fiscal_years(measures: Sequence[Measure] = MEASURES) -> list[int]:
    return sorted({fy for m in measures for fy in range(m.first_fy, m.last_fy + 1)})


# --- messages --------------------------------------------------------------------------------

MSG_ELIGIBLE = N_(
    "Eligible under “%(measure)s” in %(fiscal_year)s: grant %(grant)s "
    "(%(rate)s × %(eligible)s, rounded down to the yen)."
)
MSG_CAPPED = N_(
    "Partly eligible under “%(measure)s” in %(fiscal_year)s: these costs count up to %(cap)s "
    "per municipality and fiscal year and %(remaining)s of that was left before this line, "
    "so %(eligible)s of %(amount)s is eligible; grant %(grant)s "
    "(%(rate)s × %(eligible)s, rounded down to the yen)."
)
MSG_CAP_USED = N_(
    "Not eligible: under “%(measure)s” these costs count up to %(cap)s per municipality and "
    "fiscal year, and earlier lines already used all of it in %(fiscal_year)s."
)
MSG_OUT_OF_PERIOD = N_(
    "Not covered: “%(measure)s” runs from %(first)s through %(last)s, and this cost falls in "
    "%(fiscal_year)s."
)
MSG_OUT_OF_PERIOD_DATED = N_(
    "Not covered: “%(measure)s” runs from %(first)s through %(last)s, and this cost, dated "
    "%(date)s, falls in %(fiscal_year)s."
)
MSG_CATEGORY_NOT_COVERED = N_(
    "Not covered: “%(category)s” is not among the costs the special grant counts (%(covered)s)."
)
MSG_BODY_NOT_COVERED = N_(
    "Not covered: %(name)s (%(kind)s) is not among the bodies the special grant covers (%(kinds)s)."
)
MSG_MEASURE_ENDED = N_(
    "The special grant covered costs through %(last)s, which ended on %(end)s. Costs after "
    "that date are not covered unless the measure is extended."
)

ERR_PAYLOAD = N_("Send a JSON object.")
ERR_REQUIRED = N_("This field is required.")
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
ERR_ID_DUPLICATE = N_("The id %(id)s is already used by lines[%(other)s].")
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

# Japanese for every msgid above: used when lang='ja' and no gettext (or a catalogue that
# lacks the msgid) is given. The app's ja catalogue carries the same translations.
JA_MESSAGES: dict[str, str] = {
    CATEGORY_LABELS["recruitment"]: "募集経費",
    CATEGORY_LABELS["special_part_time_remuneration"]: "特別職非常勤職員の報酬等",
    CATEGORY_LABELS["outsourcing_fee"]: "委託料",
    CATEGORY_LABELS["full_time_salary"]: "常勤職員の給与",
    CATEGORY_LABELS["fiscal_year_appointee_pay"]: "会計年度任用職員の報酬",
    KIND_LABELS["prefecture"]: "都道府県",
    KIND_LABELS["designated_city"]: "政令指定都市",
    KIND_LABELS["city"]: "市",
    KIND_LABELS["special_ward"]: "特別区",
    KIND_LABELS["town"]: "町",
    KIND_LABELS["village"]: "村",
    APPOINTMENT_NAME: "外部人材の任用等（CIO補佐官等）",
    RECRUITMENT_NAME: "外部人材の募集（CIO補佐官等）",
    MSG_ELIGIBLE: (
        "%(fiscal_year)sの「%(measure)s」の対象です。措置額は%(grant)s"
        "（%(eligible)s × %(rate)s、円未満切り捨て）。"
    ),
    MSG_CAPPED: (
        "一部が対象です。%(fiscal_year)sの「%(measure)s」は1団体1年度あたり%(cap)sまでが対象で、"
        "この行の前の残りは%(remaining)sでした。このため%(amount)sのうち%(eligible)sが対象です。"
        "措置額は%(grant)s（%(eligible)s × %(rate)s、円未満切り捨て）。"
    ),
    MSG_CAP_USED: (
        "対象外：「%(measure)s」は1団体1年度あたり%(cap)sまでが対象で、"
        "%(fiscal_year)sの上限は先の行で使い切っています。"
    ),
    MSG_OUT_OF_PERIOD: (
        "対象外：「%(measure)s」の措置期間は%(first)sから%(last)sまでで、"
        "この経費は%(fiscal_year)sのものです。"
    ),
    MSG_OUT_OF_PERIOD_DATED: (
        "対象外：「%(measure)s」の措置期間は%(first)sから%(last)sまでで、"
        "%(date)s付のこの経費は%(fiscal_year)sのものです。"
    ),
    MSG_CATEGORY_NOT_COVERED: (
        "対象外：「%(category)s」は特別交付税措置の対象経費（%(covered)s）に含まれません。"
    ),
    MSG_BODY_NOT_COVERED: (
        "対象外：%(name)s（%(kind)s）は特別交付税措置の対象団体（%(kinds)s）ではありません。"
    ),
    MSG_MEASURE_ENDED: (
        "この特別交付税措置の措置期間は%(last)sまでで、%(end)sに終了しました。"
        "同日より後の経費は、措置が延長されない限り対象外です。"
    ),
    ERR_PAYLOAD: "JSONオブジェクトを送ってください。",
    ERR_REQUIRED: "この項目は必須です。",
    ERR_CODE_FORMAT: "6桁の全国地方公共団体コードを入力してください。",
    ERR_CODE_CHECK: "%(code)sは検査数字が誤っています（末尾は%(expected)sになるはずです）。",
    ERR_CODE_UNKNOWN: "コード%(code)sの団体はありません。",
    ERR_LANG: "ja または en を指定してください。",
    ERR_LINES_LIST: "lines はリストで送ってください。",
    ERR_LINES_EMPTY: "経費を1行以上入力してください。",
    ERR_LINES_TOO_MANY: "行が多すぎます（%(count)s行）。%(max)s行までにしてください。",
    ERR_LINE_OBJECT: (
        "各行は id、category、amount と、date または fiscal_year を持つオブジェクトにしてください。"
    ),
    ERR_ID: "各行の id を文字列で指定してください。",
    ERR_ID_DUPLICATE: "id %(id)s は lines[%(other)s] で既に使われています。",
    ERR_CATEGORY: "費目 %(value)s は使えません。次のいずれかを指定してください：%(choices)s。",
    ERR_AMOUNT_TYPE: "金額は円単位の整数で入力してください。",
    ERR_AMOUNT_NEGATIVE: "金額に負の値は指定できません。",
    ERR_AMOUNT_TOO_LARGE: "金額が大きすぎます（上限%(max)s）。",
    ERR_WHEN_MISSING: "日付または年度を指定してください。",
    ERR_DATE: "日付は YYYY-MM-DD 形式の実在する日付で入力してください。",
    ERR_DATE_RANGE: "日付は%(min)sから%(max)sまでの範囲で入力してください。",
    ERR_FISCAL_YEAR_TYPE: "年度は2023のような西暦の整数で入力してください。",
    ERR_FISCAL_YEAR_RANGE: "年度は%(min)sから%(max)sまでの範囲で入力してください。",
    ERR_FISCAL_YEAR_MISMATCH: "日付 %(date)s は%(date_fy)s年度で、%(fiscal_year)s年度ではありません。",
}


def translator(lang: str, gettext: Gettext | None = None) -> Gettext:
    """The gettext to render with: the caller's, else English msgids or ``JA_MESSAGES``.

    For Japanese, a msgid the catalogue leaves untranslated falls back to ``JA_MESSAGES``
    so a Japanese reader never gets a half-English sentence.
    """
    if lang == "ja":
        if gettext is None:
            return lambda msgid: JA_MESSAGES.get(msgid, msgid)

        def ja(msgid: str) -> str:
            text = gettext(msgid)
            return JA_MESSAGES.get(msgid, text) if text == msgid else text

        return ja
    return gettext or (lambda msgid: msgid)


# --- input and output types ------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str
    kind: str  # talentmatch.geo.codes.KINDS
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
class LineResult:
    id: str
    fiscal_year: int
    fiscal_year_label: str
    date: date | None
    category: str
    amount: int
    eligible_amount: int
    grant: int
    reason: str
    message: str
    msg: Msg = field(compare=False, repr=False)
    measure: str | None = None  # key of the measure that counted the line

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "date": self.date.isoformat() if self.date else None,
            "category": self.category,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True)
class FiscalYearTotal:
    fiscal_year: int
    fiscal_year_label: str
    amount: int
    eligible_amount: int
    grant: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
        }


@dataclass(frozen=True)
class Result:
    municipality: MunicipalityInfo
    lang: str
    lines: tuple[LineResult, ...]
    fiscal_years: tuple[FiscalYearTotal, ...]
    total_amount: int
    total_eligible: int
    total_grant: int
    covered_fiscal_years: tuple[int, ...]
    measure_ended: bool
    notice: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of the CLI and ``POST /api/v1/subsidy/estimate``."""
        return {
            "municipality_code": self.municipality.code,
            "municipality_name": self.municipality.name,
            "municipality_kind": self.municipality.kind,
            "lines": [line.to_dict() for line in self.lines],
            "fiscal_years": [fy.to_dict() for fy in self.fiscal_years],
            "total_amount": self.total_amount,
            "total_eligible": self.total_eligible,
            "total_grant": self.total_grant,
            "covered_fiscal_years": list(self.covered_fiscal_years),
            "measure_ended": self.measure_ended,
            "notice": self.notice,
        }


# --- validation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    index: int
    id: str
    category: str
    amount: int
    fiscal_year: int
    date: date | None


# [0-9], not \d: \d also matches full-width and other Unicode digits.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int) and not isinstance(value, bool)


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
        errors.append(FieldError(f, Msg(ERR_REQUIRED)))
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
) -> _Line | None:
    p = f"lines[{i}]"
    if not isinstance(raw, Mapping):
        errors.append(FieldError(p, Msg(ERR_LINE_OBJECT)))
        return None
    before = len(errors)

    line_id = raw.get("id")
    if line_id is None:
        errors.append(FieldError(f"{p}.id", Msg(ERR_REQUIRED)))
    elif not isinstance(line_id, str) or not line_id.strip():
        errors.append(FieldError(f"{p}.id", Msg(ERR_ID)))

    category = raw.get("category")
    if category is None:
        errors.append(FieldError(f"{p}.category", Msg(ERR_REQUIRED)))
    elif not isinstance(category, str) or category not in categories:
        choices = ", ".join(categories)
        errors.append(
            FieldError(
                f"{p}.category", Msg(ERR_CATEGORY, {"value": _show(category), "choices": choices})
            )
        )

    amount = raw.get("amount")
    if amount is None:
        errors.append(FieldError(f"{p}.amount", Msg(ERR_REQUIRED)))
    elif not _is_int(amount):
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_TYPE)))
    elif amount < 0:
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_NEGATIVE)))
    elif amount >= MAX_AMOUNT:
        errors.append(FieldError(f"{p}.amount", Msg(ERR_AMOUNT_TOO_LARGE, {"max": MAX_AMOUNT - 1})))

    raw_date, raw_fy = raw.get("date"), raw.get("fiscal_year")
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
        if not _is_int(raw_fy):
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
    assert isinstance(line_id, str) and isinstance(category, str) and _is_int(amount)
    return _Line(index=i, id=line_id, category=category, amount=amount, fiscal_year=fy, date=day)


def _validate(
    payload: object, lookup: Lookup, measures: Sequence[Measure], default_lang: str
) -> tuple[MunicipalityInfo, list[_Line], str]:
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
    lines: list[_Line] = []
    if raw_lines is None:
        errors.append(FieldError("lines", Msg(ERR_REQUIRED)))
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
        categories = accepted_categories(measures)
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_lines):
            line = _validate_line(i, raw, categories, errors)
            raw_id = raw.get("id") if isinstance(raw, Mapping) else None
            if isinstance(raw_id, str) and raw_id.strip():
                if raw_id in seen:
                    errors.append(
                        FieldError(
                            f"lines[{i}].id",
                            Msg(ERR_ID_DUPLICATE, {"id": _show(raw_id), "other": seen[raw_id]}),
                        )
                    )
                    line = None
                else:
                    seen[raw_id] = i
            if line is not None:
                lines.append(line)

    if errors:
        raise InvalidInput(errors, lang)
    assert info is not None
    return info, lines, lang


# --- calculation -----------------------------------------------------------------------------


def _format_rate(rate: Fraction) -> str:
    """0.5 as the seed writes it; a rate without a finite decimal stays a fraction (1/3)."""
    den = rate.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{rate.numerator}/{rate.denominator}"
    return format(Decimal(rate.numerator) / Decimal(rate.denominator), "f")


def _join(labels: Sequence[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(labels)


@dataclass
class _Outcome:
    eligible: int
    grant: int
    reason: str
    msg: Msg
    measure: str | None


def _judge(
    line: _Line,
    info: MunicipalityInfo,
    measures: Sequence[Measure],
    used: dict[tuple[str, int], int],
    lang: str,
    t: Gettext,
) -> _Outcome:
    fy_text = fiscal_year_full_label(line.fiscal_year, lang)

    def yen(n: int) -> str:
        return format_yen(n, lang)

    # The order of the checks is the order of the reasons: body, category, period, cap.
    for_body = [m for m in measures if info.kind in m.eligible_kinds]
    for_category = [m for m in for_body if line.category in m.categories]
    category_counted_elsewhere = any(line.category in m.categories for m in measures)
    if not for_body or (not for_category and category_counted_elsewhere):
        kinds = list(dict.fromkeys(k for m in measures for k in m.eligible_kinds))
        msg = Msg(
            MSG_BODY_NOT_COVERED,
            {
                "name": info.name,
                "kind": t(KIND_LABELS.get(info.kind, info.kind)),
                "kinds": _join([t(KIND_LABELS.get(k, k)) for k in kinds], lang),
            },
        )
        return _Outcome(0, 0, "body_not_covered", msg, None)
    if not for_category:
        covered = [
            c for c in accepted_categories(measures) if any(c in m.categories for m in measures)
        ]
        msg = Msg(
            MSG_CATEGORY_NOT_COVERED,
            {
                "category": t(CATEGORY_LABELS.get(line.category, line.category)),
                "covered": _join([t(CATEGORY_LABELS.get(c, c)) for c in covered], lang),
            },
        )
        return _Outcome(0, 0, "category_not_covered", msg, None)

    in_period = [m for m in for_category if m.covers_year(line.fiscal_year)]
    if not in_period:
        m = for_category[0]
        params: dict[str, Any] = {
            "measure": t(m.name),
            "first": fiscal_year_full_label(min(x.first_fy for x in for_category), lang),
            "last": fiscal_year_full_label(max(x.last_fy for x in for_category), lang),
            "fiscal_year": fy_text,
        }
        if line.date is not None:
            params["date"] = date_full_label(line.date, lang)
            return _Outcome(0, 0, "out_of_period", Msg(MSG_OUT_OF_PERIOD_DATED, params), None)
        return _Outcome(0, 0, "out_of_period", Msg(MSG_OUT_OF_PERIOD, params), None)

    m = in_period[0]  # check_measures() guarantees there is only one
    rate = m.exact_rate
    eligible = line.amount
    remaining: int | None = None
    if m.cap is not None:
        key = (m.key, line.fiscal_year)
        remaining = max(m.cap - used.get(key, 0), 0)
        eligible = min(line.amount, remaining)
        used[key] = used.get(key, 0) + eligible
    grant = math.floor(rate * eligible)
    params = {
        "measure": t(m.name),
        "fiscal_year": fy_text,
        "amount": yen(line.amount),
        "eligible": yen(eligible),
        "grant": yen(grant),
        "rate": _format_rate(rate),
    }
    if eligible < line.amount:
        assert m.cap is not None and remaining is not None
        params.update(cap=yen(m.cap), remaining=yen(remaining))
        msgid = MSG_CAPPED if eligible > 0 else MSG_CAP_USED
        return _Outcome(eligible, grant, "capped", Msg(msgid, params), m.key)
    return _Outcome(eligible, grant, "eligible", Msg(MSG_ELIGIBLE, params), m.key)


def _natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    # "2" before "10", as people number the lines of a form.
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"([0-9]+)", text)
        if part
    )


def _cap_order(line: _Line) -> tuple[Any, ...]:
    """The order in which lines use up a cap: by date, then lines giving only a fiscal year
    in input order (DESIGN §6). Lines of the same date go by id, not by input order, so
    reordering them cannot move a yen of rounding between lines and change the totals."""
    if line.date is None:
        return (1, date.min, (), "", line.index)
    return (0, line.date, _natural_key(line.id), line.id, 0)


def _today_in_japan() -> date:
    return datetime.now(_JST).date()


def calculate(
    payload: Mapping[str, Any],
    lookup: Lookup,
    lang: str = "ja",
    gettext: Gettext | None = None,
    measures: Sequence[Measure] = MEASURES,
    today: date | None = None,
) -> Result:
    """Estimate the special grant for one municipality's cost lines (see DESIGN §6).

    ``lang`` is the default language; the payload's "lang" overrides it (pick ``gettext``
    with ``requested_lang(payload, lang)``). ``lookup`` maps a 6-digit code to the body
    or None. Raises ``InvalidInput`` naming every bad field; nothing is computed then.
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    check_measures(measures)
    info, lines, lang = _validate(payload, lookup, measures, lang)
    t = translator(lang, gettext)

    order = sorted(lines, key=_cap_order)
    used: dict[tuple[str, int], int] = {}
    outcomes = {ln.index: _judge(ln, info, measures, used, lang, t) for ln in order}

    results = []
    for ln in lines:
        o = outcomes[ln.index]
        results.append(
            LineResult(
                id=ln.id,
                fiscal_year=ln.fiscal_year,
                fiscal_year_label=fiscal_year_label(ln.fiscal_year, lang),
                date=ln.date,
                category=ln.category,
                amount=ln.amount,
                eligible_amount=o.eligible,
                grant=o.grant,
                reason=o.reason,
                message=o.msg.render(t),
                msg=o.msg,
                measure=o.measure,
            )
        )

    per_fy: dict[int, list[LineResult]] = {}
    for r in results:
        per_fy.setdefault(r.fiscal_year, []).append(r)
    fiscal_years = tuple(
        FiscalYearTotal(
            fiscal_year=fy,
            fiscal_year_label=fiscal_year_label(fy, lang),
            amount=sum(r.amount for r in rs),
            eligible_amount=sum(r.eligible_amount for r in rs),
            grant=sum(r.grant for r in rs),
        )
        for fy, rs in sorted(per_fy.items())
    )

    covered = covered_fiscal_years(measures)
    ended = False
    notice: str | None = None
    if covered:
        end = fiscal_year_bounds(covered[-1])[1]
        ended = (today or _today_in_japan()) > end
        if ended:
            notice = Msg(
                MSG_MEASURE_ENDED,
                {
                    "last": fiscal_year_full_label(covered[-1], lang),
                    "end": date_full_label(end, lang),
                },
            ).render(t)

    return Result(
        municipality=info,
        lang=lang,
        lines=tuple(results),
        fiscal_years=fiscal_years,
        total_amount=sum(r.amount for r in results),
        total_eligible=sum(r.eligible_amount for r in results),
        total_grant=sum(r.grant for r in results),
        covered_fiscal_years=tuple(covered),
        measure_ended=ended,
        notice=notice,
    )


# --- helpers for joint appointments and exports ----------------------------------------------


def split_shares(total: int, shares: Mapping[str, Fraction | int]) -> dict[str, int]:
    """Split a joint appointment's cost by the participants' shares into whole yen.

    Shares need not sum to 1 (days per month work too). Each part is the floor of its exact
    quota; the yen left over go one each to the largest remainders, ties to the smaller key,
    so the parts always sum to ``total`` and the split never depends on input order.
    """
    if not _is_int(total) or total < 0:
        raise ValueError("total must be a non-negative integer of yen")
    if not shares:
        raise ValueError("at least one share is needed")
    exact: dict[str, Fraction] = {}
    for key, share in shares.items():
        if isinstance(share, bool | float) or not isinstance(share, Fraction | int | Decimal):
            raise TypeError(f"share of {key!r} must be an int, Fraction or Decimal")
        if share < 0:
            raise ValueError(f"share of {key!r} is negative")
        exact[key] = Fraction(share)
    whole = sum(exact.values(), Fraction(0))
    if whole == 0:
        raise ValueError("the shares sum to zero")
    quotas = {k: total * s / whole for k, s in exact.items()}
    parts = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(parts.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - parts[k]), k))[:left]:
        parts[k] += 1
    return {k: parts[k] for k in shares}


CSV_HEADER: tuple[str, ...] = (
    "row_type",
    "municipality_code",
    "municipality_name",
    "id",
    "fiscal_year",
    "fiscal_year_label",
    "date",
    "category",
    "amount",
    "eligible_amount",
    "grant",
    "reason",
    "message",
)


def result_rows_for_csv(result: Result) -> list[list[Any]]:
    """Rows for the CSV / Excel export, with the same figures as ``Result.to_dict()``.

    A header of the JSON field names, one "line" row per input line, one "fiscal_year" row
    per fiscal year and a final "total" row (its message column holds the notice, if any).
    Cells are raw values: the exporter neutralises formula-like text (ids are user input).
    """
    m = result.municipality
    rows: list[list[Any]] = [list(CSV_HEADER)]
    for ln in result.lines:
        rows.append(
            [
                "line",
                m.code,
                m.name,
                ln.id,
                ln.fiscal_year,
                ln.fiscal_year_label,
                ln.date.isoformat() if ln.date else "",
                ln.category,
                ln.amount,
                ln.eligible_amount,
                ln.grant,
                ln.reason,
                ln.message,
            ]
        )
    for fy in result.fiscal_years:
        rows.append(
            [
                "fiscal_year",
                m.code,
                m.name,
                "",
                fy.fiscal_year,
                fy.fiscal_year_label,
                "",
                "",
                fy.amount,
                fy.eligible_amount,
                fy.grant,
                "",
                "",
            ]
        )
    rows.append(
        [
            "total",
            m.code,
            m.name,
            "",
            "",
            "",
            "",
            "",
            result.total_amount,
            result.total_eligible,
            result.total_grant,
            "",
            result.notice or "",
        ]
    )
    return rows
