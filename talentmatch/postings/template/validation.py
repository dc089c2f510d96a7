"""PURE: validating a whole posting, as a draft or for submission.

`validate()` turns untrusted input (a form, a spreadsheet row, an API body) into clean values
with field-level errors; saving is the caller's job, and only when there is no error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Literal

from talentmatch.messages import MSG_REQUIRED, N_, FieldError, Msg
from talentmatch.postings.template.cleaners import clean_field
from talentmatch.postings.template.fields import FIELDS
from talentmatch.wareki import fiscal_year_bounds, fiscal_year_of

MSG_PERIOD_ORDER = N_("The end of the period must be after its start.")
MSG_DEADLINE_PAST = N_("The application deadline cannot be in the past.")
MSG_CODE_UNKNOWN = N_("No municipality has this code.")
MSG_FY_APPOINTEE_TERM = N_(
    "A fiscal-year appointee's term must end within the fiscal year in which it starts "
    "(Local Public Service Act, Article 22-2): end it by 31 March %(year)s."
)

Mode = Literal["draft", "submit"]


def validate(
    data: Mapping[str, object],
    *,
    mode: Mode,
    today: date,
    municipality_exists: Callable[[str], bool] | None = None,
) -> tuple[dict[str, object], list[FieldError]]:
    """Clean a posting's fields.

    Only keys in FIELDS are read: state, id, anything else a client sends is ignored. The
    cleaned dict holds every field that is blank (None, or [] for lists) or valid; an invalid
    field is left out and has a FieldError, so save only when the error list is empty.

    draft: required fields may be blank, but whatever is filled in must be valid.
    submit: also every required field, a deadline today or later.
    Both: period_end after period_start, and the municipality must exist (when a lookup is
    given). Callers that act for one municipality must still check that the code is theirs.
    """
    if mode not in ("draft", "submit"):
        raise ValueError(f"unknown mode {mode!r}")
    cleaned: dict[str, object] = {}
    errors: list[FieldError] = []

    for field in FIELDS:
        value, msg = clean_field(field.key, data.get(field.key))
        if msg is not None:
            errors.append(FieldError(field.key, msg))
            continue
        if mode == "submit" and field.required and value in (None, []):
            errors.append(FieldError(field.key, Msg(MSG_REQUIRED)))
            continue
        cleaned[field.key] = value

    code = cleaned.get("municipality_code")
    if isinstance(code, str) and municipality_exists is not None and not municipality_exists(code):
        errors.append(FieldError("municipality_code", Msg(MSG_CODE_UNKNOWN)))
        del cleaned["municipality_code"]

    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors.append(FieldError("period_end", Msg(MSG_PERIOD_ORDER)))
        del cleaned["period_end"]

    end = cleaned.get("period_end")
    if (
        cleaned.get("employment_type") == "fiscal_year_appointee"
        and isinstance(start, date)
        and isinstance(end, date)
        and end > fiscal_year_bounds(fiscal_year_of(start))[1]
    ):
        # 地方公務員法第22条の2: the term cannot cross 31 March.
        last_day = fiscal_year_bounds(fiscal_year_of(start))[1]
        errors.append(FieldError("period_end", Msg(MSG_FY_APPOINTEE_TERM,
                                                   {"year": last_day.year})))
        del cleaned["period_end"]

    deadline = cleaned.get("deadline")
    if mode == "submit" and isinstance(deadline, date) and deadline < today:
        errors.append(FieldError("deadline", Msg(MSG_DEADLINE_PAST)))
        del cleaned["deadline"]

    return cleaned, errors
