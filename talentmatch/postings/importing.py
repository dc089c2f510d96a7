"""PURE: reading postings from a CSV or Excel file in the template's columns.

Municipalities keep their openings in spreadsheets, so `flask postings import` and the upload
screen accept the standard template's columns with Japanese or English headers. The file is
read by the shared spreadsheet reader (`talentmatch.tabular`): size, type, encoding, headers
and formula cells are checked there, and every problem is reported with the row and column
the user sees in the spreadsheet (the header is row 1, the first posting row 2). Each row is
then validated as a posting for submission. Saving all rows or none is the caller's job;
this module returns every error it finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.postings.template.fields import FIELDS_BY_KEY, REQUIRED_KEYS
from talentmatch.postings.template.headers import HEADERS, JA_HEADERS
from talentmatch.postings.template.validation import validate
from talentmatch.tabular.table import ROW_KEY, Layout, locate, read_file

MAX_COLUMNS = 200

MSG_UNKNOWN_HEADER = N_("Column %(letter)s: '%(column)s' is not a column of the template.")
MSG_NO_ROWS = N_("The file has no postings below the header row.")
MSG_OTHER_MUNICIPALITY = N_("You can import postings only for your own municipality (%(code)s).")

LAYOUT = Layout(
    headers=HEADERS,
    required=REQUIRED_KEYS,
    column_title=lambda key: f"{JA_HEADERS[key]} ({key})",
    msg_unknown_header=MSG_UNKNOWN_HEADER,
    msg_no_rows=MSG_NO_ROWS,
    max_columns=MAX_COLUMNS,
)


def _as_import_value(key: str, value: object) -> object:
    """Cell values as text, dates kept as dates (the template parses both)."""
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "municipality_code" and isinstance(value, (int, float)):
        return value  # the template restores the leading zero a number cell dropped
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, time, timedelta)):
        return str(value)
    return value if isinstance(value, str) else str(value)


def parse_upload(
    filename: str,
    data: bytes,
    *,
    max_bytes: int = 2_000_000,
    max_rows: int = 2_000,
) -> tuple[list[dict[str, object]], list[FieldError]]:
    """Rows of a CSV or XLSX file keyed by template field (plus ROW_KEY), and every error.

    File-level errors have field "file"; header errors row 1; cell errors the field key and
    the spreadsheet row. A file over max_bytes gives MSG_FILE_TOO_LARGE (HTTP 413).
    """
    table = read_file(data, LAYOUT, filename=filename, max_bytes=max_bytes, max_rows=max_rows)
    rows = [
        {k: v if k == ROW_KEY else _as_import_value(k, v) for k, v in row.items()}
        for row in table.rows
    ]
    return rows, table.errors


def validate_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    today: date,
    municipality_exists: Callable[[str], bool] | None,
    allowed_municipality: str | None,
) -> tuple[list[dict[str, object]], list[FieldError]]:
    """Validate parsed rows; cleaned_rows[i] belongs to rows[i].

    Imported postings become drafts, but they are validated as for submission (every required
    field, deadline today or later): a list is imported to be submitted, and a mistake is
    easiest to fix while the spreadsheet is still open. `allowed_municipality` restricts
    staff to their own municipality (None: no restriction, e.g. for MIC).
    """
    cleaned_rows: list[dict[str, object]] = []
    errors: list[FieldError] = []
    for position, row in enumerate(rows):
        number = row.get(ROW_KEY)
        row_number = number if isinstance(number, int) else position + 2
        cleaned, row_errors = validate(
            row, mode="submit", today=today, municipality_exists=municipality_exists
        )
        errors.extend(FieldError(e.field, e.message, row_number) for e in row_errors)
        code = cleaned.get("municipality_code")
        if allowed_municipality is not None and code is not None and code != allowed_municipality:
            errors.append(
                FieldError(
                    "municipality_code",
                    Msg(MSG_OTHER_MUNICIPALITY, {"code": allowed_municipality}),
                    row_number,
                )
            )
        cleaned_rows.append(cleaned)
    return cleaned_rows, errors


def render_error(error: FieldError, gettext: Callable[[str], str] | None = None) -> str:
    """One line for an import error: "Row 3, Position title: This field is required."."""
    translate = gettext or (lambda s: s)
    field = FIELDS_BY_KEY.get(error.field)
    column = translate(field.label) if field is not None else None
    return locate(error.message.render(translate), error.row, column, translate)
