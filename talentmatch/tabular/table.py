"""PURE: the header row and rows of an import, checked the same way for every list.

The first row holds the headers; each names a column of the import (see `headers`) or is
reported with its column letter. Blank rows are skipped, values under no header and cells
that a spreadsheet could run as a formula are reported, and every error carries the row the
user sees (the header is row 1, the first data row 2). Nothing is saved here: the caller
validates the rows and saves all of them or none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.tabular.cells import formula_char
from talentmatch.tabular.files import Cell, FileError, Grid, csv_grid, grid, size_error
from talentmatch.tabular.headers import Headers

ROW_KEY = "_row"  # the spreadsheet row number of a parsed row

MSG_NO_HEADER = N_("The first row must hold the column headers.")
MSG_NOT_THIS_LIST = N_(
    "This is not a CSV or Excel file of this list: none of the headers in its first row "
    "(%(headers)s) is one of the list's columns. Start from the template, whose first row holds "
    "the column names."
)


def not_this_list(first_row: list) -> FileError:
    """One error for a file of some other kind, quoting the first few headers it has."""
    names = [str(v).strip()[:30] for v in first_row if not _blank(v)]
    shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    return FileError(MSG_NOT_THIS_LIST, headers=shown)
MSG_DUPLICATE_HEADER = N_("Column %(letter)s: '%(column)s' repeats an earlier column.")
MSG_MISSING_COLUMN = N_("The required column '%(column)s' is missing.")
MSG_VALUE_WITHOUT_HEADER = N_("Column %(letter)s has values but no header.")
MSG_TOO_MANY_ROWS = N_("The file has more than %(max)s rows: split it into smaller files.")
MSG_FORMULA = N_(
    "The cell in column '%(column)s' starts with %(char)s, which spreadsheet software could "
    "run as a formula. Remove that character."
)
MSG_AT_ROW_COLUMN = N_("Row %(row)s, %(column)s: %(message)s")
MSG_AT_ROW = N_("Row %(row)s: %(message)s")
MSG_AT_COLUMN = N_("%(column)s: %(message)s")


@dataclass(frozen=True)
class Layout:
    """The columns one kind of list has, and how its messages name them."""

    headers: Headers
    required: tuple[str, ...]
    column_title: Callable[[str], str]  # a missing required column, e.g. "役職名 (title)"
    msg_unknown_header: str  # msgid with %(letter)s and %(column)s
    msg_no_rows: str  # msgid: nothing below the header row
    max_columns: int


@dataclass
class Table:
    rows: list[dict[str, object]] = field(default_factory=list)  # key → cell, and ROW_KEY
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → header as written


def read_file(
    data: bytes, layout: Layout, *, filename: str | None = None, max_bytes: int, max_rows: int
) -> Table:
    """Read a whole file: .csv or .xlsx by `filename`, CSV when there is none.

    Problems with the file itself end reading (one error on the field "file", no rows).
    """
    problem = size_error(data, max_bytes)
    if problem is not None:
        return Table(errors=[problem])
    cells: Grid | None = None
    try:
        if filename is None:
            cells = csv_grid(data, layout.max_columns)
        else:
            cells = grid(filename, data, layout.max_columns)
        return read_grid(cells, layout, max_rows)
    except FileError as exc:
        return Table(errors=[exc.error])
    finally:
        close = getattr(cells, "close", None)
        if close is not None:
            close()  # releases the workbook when reading stopped early


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Cell) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _read_header(cells: list[Cell], layout: Layout, table: Table) -> dict[int, str]:
    columns: dict[int, str] = {}  # cell index → key
    for index, value in enumerate(cells):
        if _blank(value):
            continue
        text = _header_text(value)
        key = layout.headers.key(text)
        params = {"letter": _letter(index), "column": text[:50]}
        if key is None:
            table.errors.append(FieldError("header", Msg(layout.msg_unknown_header, params), 1))
        elif key in table.headers:
            table.errors.append(FieldError(key, Msg(MSG_DUPLICATE_HEADER, params), 1))
        else:
            columns[index] = key
            table.headers[key] = text[:50]
    for key in layout.required:
        if key not in table.headers:
            title = layout.column_title(key)
            table.errors.append(FieldError(key, Msg(MSG_MISSING_COLUMN, {"column": title}), 1))
    return columns


def read_grid(cells: Grid, layout: Layout, max_rows: int) -> Table:
    """The rows below the header, keyed by column (plus ROW_KEY), and every error found."""
    table = Table()
    iterator = iter(cells)
    first = next(iterator, None)
    if first is None or all(_blank(v) for v in first[1]):
        raise FileError(MSG_NO_HEADER)
    columns = _read_header(first[1], layout, table)
    if not columns and not table.headers:
        # Some other file: one message, not an error for every column of the template.
        raise not_this_list(first[1])
    width = len(first[1])
    reported: set[int] = set()
    for number, values in iterator:
        if all(_blank(v) for v in values):
            continue  # blank rows between or after the data are normal in spreadsheets
        if len(table.rows) >= max_rows:
            table.errors.append(FieldError("file", Msg(MSG_TOO_MANY_ROWS, {"max": max_rows})))
            break
        row: dict[str, object] = {ROW_KEY: number}
        for index, value in enumerate(values):
            if _blank(value):
                continue
            key = columns.get(index)
            if key is None:
                # Under an unknown header: that header was reported already.
                if index not in reported and (index >= width or _blank(first[1][index])):
                    reported.add(index)
                    letter = {"letter": _letter(index)}
                    table.errors.append(
                        FieldError("header", Msg(MSG_VALUE_WITHOUT_HEADER, letter), number)
                    )
                continue
            char = formula_char(value)
            if char is not None:
                params = {"column": table.headers[key], "char": char}
                table.errors.append(FieldError(key, Msg(MSG_FORMULA, params), number))
                continue
            row[key] = value
        table.rows.append(row)
    if not table.rows and not any(e.message.msgid == MSG_TOO_MANY_ROWS for e in table.errors):
        table.errors.append(FieldError("file", Msg(layout.msg_no_rows)))
    return table


def locate(
    message: str, row: int | None, column: str | None, translate: Callable[[str], str]
) -> str:
    """An error line as the user reads it: "Row 3, Position title: This field is required."."""
    if row is not None and column is not None:
        params: dict[str, object] = {"row": row, "column": column, "message": message}
        return Msg(MSG_AT_ROW_COLUMN, params).render(translate)
    if row is not None:
        return Msg(MSG_AT_ROW, {"row": row, "message": message}).render(translate)
    if column is not None:
        return Msg(MSG_AT_COLUMN, {"column": column, "message": message}).render(translate)
    return message
