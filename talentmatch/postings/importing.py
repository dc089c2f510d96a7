"""PURE: reading postings from a CSV or Excel file in the template's columns.

Municipalities keep their openings in spreadsheets, so `flask postings import` and the upload
screen accept the standard template's columns with Japanese or English headers. Nothing here
trusts the file: size, type, encoding and every cell are checked, formulas are refused rather
than evaluated, and every problem is reported with the row and column the user sees in the
spreadsheet (the header is row 1, the first posting row 2). Saving all rows or none is the
caller's job; this module returns every error it finds.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.postings.template import fields, headers, validation
from talentmatch.tabular import (  # noqa: F401  (part of this module's interface)
    FORMULA_PREFIXES,
    MSG_ENCODING,
    FileError,
    column_letter,
    decode_csv,
    formula_char,
)

ROW_KEY = "_row"  # spreadsheet row number of a parsed row; validation.validate ignores it
MAX_COLUMNS = 200
# A zip that expands far beyond the upload limit is a zip bomb, not a list of postings.
XLSX_MAX_EXPANDED = 50_000_000

MSG_FILE_TOO_LARGE = N_("The file is too large: the limit is %(limit)s MB.")
MSG_FILE_EMPTY = N_("The file is empty.")
MSG_FILE_TYPE = N_("Upload a CSV (.csv) or Excel (.xlsx) file.")
MSG_XLS = N_("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV.")
MSG_NOT_XLSX = N_("This file is not a valid Excel (.xlsx) workbook.")
MSG_CSV_IS_EXCEL = N_("This file is an Excel workbook, not CSV: upload it as .xlsx.")
MSG_CSV_BROKEN = N_("The CSV file cannot be read near row %(row)s: check its quotes.")
MSG_XLSX_TOO_BIG = N_("The workbook expands to too much data to import.")
MSG_NO_HEADER = N_("The first row must hold the column headers.")
MSG_UNKNOWN_HEADER = N_("Column %(letter)s: '%(column)s' is not a column of the template.")
MSG_DUPLICATE_HEADER = N_("Column %(letter)s: '%(column)s' repeats an earlier column.")
MSG_MISSING_COLUMN = N_("The required column '%(column)s' is missing.")
MSG_VALUE_WITHOUT_HEADER = N_("Column %(letter)s has values but no header.")
MSG_TOO_MANY_ROWS = N_("The file has more than %(max)s rows: split it into smaller files.")
MSG_NO_ROWS = N_("The file has no postings below the header row.")
MSG_FORMULA = N_(
    "The cell in column '%(column)s' starts with %(char)s, which spreadsheet software could "
    "run as a formula. Remove that character."
)
MSG_OTHER_MUNICIPALITY = N_("You can import postings only for your own municipality (%(code)s).")
MSG_AT_ROW_COLUMN = N_("Row %(row)s, %(column)s: %(message)s")
MSG_AT_ROW = N_("Row %(row)s: %(message)s")
MSG_AT_COLUMN = N_("%(column)s: %(message)s")

Cell = object
Grid = Iterable[tuple[int, list[Cell]]]


# --------------------------------------------------------------------------- readers


def _csv_grid(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record[:MAX_COLUMNS])
    except csv.Error as exc:
        raise FileError(MSG_CSV_BROKEN, row=number + 1) from exc


def _xlsx_grid(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    import openpyxl  # imported here so that CSV-only callers do not pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileError(MSG_NOT_XLSX) from exc
    if expanded > XLSX_MAX_EXPANDED:
        raise FileError(MSG_XLSX_TOO_BIG)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileError(MSG_NOT_XLSX) from exc
    try:
        if not workbook.worksheets:
            raise FileError(MSG_NOT_XLSX)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet part
                raise FileError(MSG_NOT_XLSX) from exc
            number += 1
            yield number, list(values)
    finally:
        workbook.close()


def _grid(filename: str, data: bytes) -> Grid:
    suffix = PurePath(str(filename or "")).suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    is_ole = data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # legacy .xls
    if suffix == ".xls" or is_ole:
        raise FileError(MSG_XLS)
    if suffix == ".xlsx":
        if not is_zip:
            raise FileError(MSG_NOT_XLSX)
        return _xlsx_grid(data)
    if suffix == ".csv":
        if is_zip:
            raise FileError(MSG_CSV_IS_EXCEL)
        return _csv_grid(data)
    raise FileError(MSG_FILE_TYPE)


# --------------------------------------------------------------------------- rows


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_import_value(key: str, value: Cell) -> Cell:
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


def _header_text(value: Cell) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _read_rows(grid: Grid, max_rows: int) -> tuple[list[dict[str, object]], list[FieldError]]:
    errors: list[FieldError] = []
    rows: list[dict[str, object]] = []
    iterator = iter(grid)
    first = next(iterator, None)
    if first is None or all(_blank(v) for v in first[1]):
        raise FileError(MSG_NO_HEADER)

    columns: dict[int, tuple[str, str]] = {}  # index → (key, header as written)
    headerless: set[int] = set()
    for index, value in enumerate(first[1]):
        if _blank(value):
            headerless.add(index)
            continue
        text = _header_text(value)
        letter = column_letter(index)
        key = headers.header_to_key(text)
        if key is None:
            errors.append(
                FieldError(
                    "header", Msg(MSG_UNKNOWN_HEADER, {"letter": letter, "column": text[:50]}), 1
                )
            )
        elif any(k == key for k, _ in columns.values()):
            errors.append(
                FieldError(
                    key, Msg(MSG_DUPLICATE_HEADER, {"letter": letter, "column": text[:50]}), 1
                )
            )
        else:
            columns[index] = (key, text)
    mapped = {key for key, _ in columns.values()}
    for key in fields.REQUIRED_KEYS:
        if key not in mapped:
            column = f"{headers.JA_HEADERS[key]} ({key})"
            errors.append(FieldError(key, Msg(MSG_MISSING_COLUMN, {"column": column}), 1))

    width = len(first[1])
    reported_headerless: set[int] = set()
    for number, cells in iterator:
        if all(_blank(v) for v in cells):
            continue  # blank rows between or after postings are normal in spreadsheets
        if len(rows) >= max_rows:
            errors.append(FieldError("file", Msg(MSG_TOO_MANY_ROWS, {"max": max_rows})))
            break
        row: dict[str, object] = {ROW_KEY: number}
        for index, value in enumerate(cells):
            if _blank(value):
                continue
            if index in columns:
                key, header = columns[index]
            elif (index in headerless or index >= width) and index not in reported_headerless:
                reported_headerless.add(index)
                letter = column_letter(index)
                errors.append(
                    FieldError("header", Msg(MSG_VALUE_WITHOUT_HEADER, {"letter": letter}), number)
                )
                continue
            else:
                continue  # under an unknown header: reported once with the header
            char = formula_char(value)
            if char is not None:
                errors.append(
                    FieldError(key, Msg(MSG_FORMULA, {"column": header[:50], "char": char}), number)
                )
                continue
            row[key] = _as_import_value(key, value)
        rows.append(row)
    if not rows and not any(e.message.msgid == MSG_TOO_MANY_ROWS for e in errors):
        errors.append(FieldError("file", Msg(MSG_NO_ROWS)))
    return rows, errors


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
    if len(data) > max_bytes:
        limit = f"{max_bytes / 1_000_000:g}"
        return [], [FieldError("file", Msg(MSG_FILE_TOO_LARGE, {"limit": limit}))]
    if not data:
        return [], [FieldError("file", Msg(MSG_FILE_EMPTY))]
    grid: Grid | None = None
    try:
        grid = _grid(filename, data)
        return _read_rows(grid, max_rows)
    except FileError as exc:
        return [], [exc.error]
    finally:
        close = getattr(grid, "close", None)
        if close is not None:
            close()  # releases the workbook when reading stopped early


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
        cleaned, row_errors = validation.validate(
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
    message = error.message.render(translate)
    field = fields.FIELDS_BY_KEY.get(error.field)
    column = translate(field.label) if field is not None else None
    if error.row is not None and column is not None:
        return Msg(
            MSG_AT_ROW_COLUMN, {"row": error.row, "column": column, "message": message}
        ).render(translate)
    if error.row is not None:
        return Msg(MSG_AT_ROW, {"row": error.row, "message": message}).render(translate)
    if column is not None:
        return Msg(MSG_AT_COLUMN, {"column": column, "message": message}).render(translate)
    return message
