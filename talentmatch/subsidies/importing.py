"""PURE: reading cost lines typed into the page or uploaded as CSV.

Both go through ``validate_row`` so the form and the import accept the same things and say
the same things about mistakes. A CSV is all-or-nothing: every error names its row and column
and nothing is saved while one remains. The file is decoded and its headers folded by the
shared spreadsheet reader (`talentmatch.tabular`), dates and fiscal years (令和7年度) are read
by `talentmatch.wareki`, and cells that a spreadsheet would run as a formula (= + - @ tab CR)
are refused rather than stored, so an export can never carry one back out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from talentmatch import catalog
from talentmatch.messages import MSG_REQUIRED, N_, FieldError, Msg
from talentmatch.subsidies.measures import CATEGORIES, CATEGORY_LABELS
from talentmatch.subsidies.validation import (
    MAX_AMOUNT,
    MAX_FISCAL_YEAR,
    MAX_LINES,
    MIN_FISCAL_YEAR,
)
from talentmatch.tabular.cells import formula_char
from talentmatch.tabular.files import FileError, csv_grid
from talentmatch.tabular.headers import Headers
from talentmatch.tabular.table import not_this_list
from talentmatch.wareki import fiscal_year_bounds, fiscal_year_of, parse_date, parse_fiscal_year

NOTE_MAX = 500
MAX_BYTES = 1024 * 1024

# column key → accepted headers (English keys and the Japanese the page shows).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ID", "行ID", "番号"),
    "date": ("date", "日付", "支出日"),
    "fiscal_year": ("fiscal_year", "年度"),
    "category": ("category", "費目", "経費区分"),
    "amount": ("amount", "金額", "金額（円）", "金額(円)"),
    "note": ("note", "備考", "メモ"),
}
HEADERS = Headers(COLUMNS)
COLUMN_LABELS: dict[str, str] = {
    "id": N_("Line id"),
    "date": N_("Date"),
    "fiscal_year": N_("Fiscal year"),
    "category": N_("Category"),
    "amount": N_("Amount (yen)"),
    "note": N_("Note"),
    "file": N_("File"),
    "header": N_("Header row"),
}

ERR_FILE_EMPTY = N_("The file has no cost lines.")
ERR_FILE_TOO_LARGE = N_("The file is too large; at most %(max)s bytes.")
ERR_FILE_TOO_MANY = N_("The file has %(count)s lines; import at most %(max)s at a time.")
ERR_HEADER_UNKNOWN = N_("Unknown column “%(name)s”; use: %(choices)s.")
ERR_HEADER_DUPLICATE = N_("The column “%(name)s” appears twice.")
ERR_HEADER_MISSING = N_("The column “%(name)s” is missing.")
ERR_HEADER_WHEN = N_("Add a date or a fiscal_year column.")
ERR_ROW_WIDTH = N_("This row has more cells than the header.")
ERR_FORMULA = N_("Cells may not start with =, +, -, @, a tab or a line break (spreadsheet formulas).")
ERR_ID = N_("Enter the id of one of your lines as a whole number, or leave it empty for a new line.")
ERR_ID_DUPLICATE = N_("The line id %(id)s is already used in row %(other)s.")
ERR_DATE = N_("Enter a real date such as 2025-06-30.")
ERR_DATE_RANGE = N_("Enter a date from %(min)s to %(max)s.")
ERR_FISCAL_YEAR = N_("Enter the fiscal year as 2025, FY2025 or 令和7年度.")
ERR_FISCAL_YEAR_RANGE = N_("Enter a fiscal year from %(min)s to %(max)s.")
ERR_WHEN = N_("Give a date or a fiscal year.")
ERR_MISMATCH = N_("The date %(date)s falls in fiscal year %(date_fy)s, not %(fiscal_year)s.")
ERR_CATEGORY = N_("Unknown category “%(value)s”; use one of: %(choices)s.")
ERR_AMOUNT = N_("Enter the amount as a whole number of yen, such as 800000.")
ERR_AMOUNT_NEGATIVE = N_("The amount cannot be negative.")
ERR_AMOUNT_TOO_LARGE = N_("The amount is too large; at most %(max)s.")
ERR_NOTE_TOO_LONG = N_("The note can have at most %(max)s characters.")

# A minus before a digit is a negative number, which gets the clearer "cannot be negative".
_NEGATIVE_NUMBER = re.compile(r"-[0-9][0-9,]*")


@dataclass(frozen=True)
class RowValues:
    """One validated cost line."""

    row: int | None
    id: int | None
    date: date | None
    fiscal_year: int
    category: str
    amount: int
    note: str


def _norm(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _category_names() -> dict[str, str]:
    names: dict[str, str] = {}
    ja = catalog.translator("ja")
    for key in CATEGORIES:
        for name in (key, CATEGORY_LABELS[key], ja(CATEGORY_LABELS[key])):
            if name:
                names[_norm(name).casefold()] = key
    return names


_CATEGORY_NAMES = _category_names()


def parse_category(value: str) -> str | None:
    return _CATEGORY_NAMES.get(_norm(value).casefold())


def parse_amount(value: str) -> int | None:
    """'800000', '800,000', '８０００００円', '¥800,000' → 800000; None if not whole yen."""
    text = _norm(value).replace(",", "").replace("円", "").replace("¥", "").replace(" ", "")
    if not re.fullmatch(r"-?[0-9]+", text):
        return None
    return int(text)


def validate_row(values: dict[str, str], row: int | None = None) -> tuple[RowValues | None, list[FieldError]]:
    """Check one line's raw text (keys as in ``COLUMNS``); errors name the column."""
    errors: list[FieldError] = []

    def err(field: str, msgid: str, **params: object) -> None:
        errors.append(FieldError(field, Msg(msgid, params), row))

    raw = {k: (values.get(k) or "") for k in COLUMNS}
    for key, text in raw.items():
        if formula_char(text) is not None and not _NEGATIVE_NUMBER.fullmatch(text.strip()):
            err(key, ERR_FORMULA)
    if errors:
        return None, errors
    raw = {k: _norm(v) for k, v in raw.items()}

    line_id: int | None = None
    if raw["id"]:
        if not re.fullmatch(r"[0-9]{1,12}", raw["id"]) or int(raw["id"]) == 0:
            err("id", ERR_ID)
        else:
            line_id = int(raw["id"])

    day = fy = None
    if raw["date"]:
        day = parse_date(raw["date"])
        if day is None:
            err("date", ERR_DATE)
        elif not MIN_FISCAL_YEAR <= fiscal_year_of(day) <= MAX_FISCAL_YEAR:
            lo, hi = fiscal_year_bounds(MIN_FISCAL_YEAR)[0], fiscal_year_bounds(MAX_FISCAL_YEAR)[1]
            err("date", ERR_DATE_RANGE, min=lo.isoformat(), max=hi.isoformat())
            day = None
    if raw["fiscal_year"]:
        fy = parse_fiscal_year(raw["fiscal_year"])
        if fy is None:
            err("fiscal_year", ERR_FISCAL_YEAR)
        elif not MIN_FISCAL_YEAR <= fy <= MAX_FISCAL_YEAR:
            err("fiscal_year", ERR_FISCAL_YEAR_RANGE, min=MIN_FISCAL_YEAR, max=MAX_FISCAL_YEAR)
            fy = None
    if not raw["date"] and not raw["fiscal_year"]:
        err("date", ERR_WHEN)
    if day is not None and fy is not None and fiscal_year_of(day) != fy:
        err(
            "fiscal_year",
            ERR_MISMATCH,
            date=day.isoformat(),
            date_fy=fiscal_year_of(day),
            fiscal_year=fy,
        )
    if day is not None:
        fy = fiscal_year_of(day)

    category = None
    if not raw["category"]:
        err("category", MSG_REQUIRED)
    else:
        category = parse_category(raw["category"])
        if category is None:
            shown = raw["category"] if len(raw["category"]) <= 40 else raw["category"][:39] + "…"
            err("category", ERR_CATEGORY, value=shown, choices=", ".join(CATEGORIES))

    amount = None
    if not raw["amount"]:
        err("amount", MSG_REQUIRED)
    else:
        amount = parse_amount(raw["amount"])
        if amount is None:
            err("amount", ERR_AMOUNT)
        elif amount < 0:
            err("amount", ERR_AMOUNT_NEGATIVE)
        elif amount >= MAX_AMOUNT:
            err("amount", ERR_AMOUNT_TOO_LARGE, max=MAX_AMOUNT - 1)

    note = (values.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        err("note", ERR_NOTE_TOO_LONG, max=NOTE_MAX)

    if errors:
        return None, errors
    assert fy is not None and category is not None and amount is not None
    return RowValues(row, line_id, day, fy, category, amount, note), []


def parse_csv(data: bytes) -> tuple[list[RowValues], list[FieldError]]:
    """All rows, or the errors (row numbers count the header as row 1, as spreadsheets do)."""
    if len(data) > MAX_BYTES:
        return [], [FieldError("file", Msg(ERR_FILE_TOO_LARGE, {"max": MAX_BYTES}))]
    try:
        numbered = [(i, r) for i, r in csv_grid(data) if any(c.strip() for c in r)]
    except FileError as exc:  # not UTF-8 or CP932, or broken quotes
        return [], [exc.error]
    if not numbered:
        return [], [FieldError("file", Msg(ERR_FILE_EMPTY))]

    (_, header), body = numbered[0], numbered[1:]
    errors: list[FieldError] = []
    keys: list[str | None] = []
    for name in header:
        key = HEADERS.key(name)
        if key is None and name.strip():
            choices = ", ".join(COLUMNS)
            errors.append(
                FieldError("header", Msg(ERR_HEADER_UNKNOWN, {"name": name.strip()[:40], "choices": choices}), 1)
            )
        elif key is not None and key in keys:
            errors.append(FieldError("header", Msg(ERR_HEADER_DUPLICATE, {"name": name.strip()}), 1))
            key = None
        keys.append(key)
    if not any(keys):
        # Some other file: one message, not an error for every column of the list.
        return [], [not_this_list(header).error]
    for required in ("category", "amount"):
        if required not in keys:
            errors.append(FieldError("header", Msg(ERR_HEADER_MISSING, {"name": required}), 1))
    if "date" not in keys and "fiscal_year" not in keys:
        errors.append(FieldError("header", Msg(ERR_HEADER_WHEN), 1))
    if errors:
        return [], errors
    if not body:
        return [], [FieldError("file", Msg(ERR_FILE_EMPTY))]
    if len(body) > MAX_LINES:
        return [], [FieldError("file", Msg(ERR_FILE_TOO_MANY, {"count": len(body), "max": MAX_LINES}))]

    rows: list[RowValues] = []
    seen_ids: dict[int, int] = {}
    for number, cells in body:
        if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys) :]):
            errors.append(FieldError("file", Msg(ERR_ROW_WIDTH), number))
            continue
        values = {k: c for k, c in zip(keys, cells, strict=False) if k is not None}
        parsed, row_errors = validate_row(values, number)
        errors.extend(row_errors)
        if parsed is None:
            continue
        if parsed.id is not None:
            if parsed.id in seen_ids:
                errors.append(
                    FieldError(
                        "id", Msg(ERR_ID_DUPLICATE, {"id": parsed.id, "other": seen_ids[parsed.id]}), number
                    )
                )
                continue
            seen_ids[parsed.id] = number
        rows.append(parsed)
    return (rows, []) if not errors else ([], errors)
