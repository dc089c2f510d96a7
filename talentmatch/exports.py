"""PURE: CSV and Excel downloads, safe to open in Excel — the public listing's exports, the
special grant's estimates and the dashboards' figures all write their files here.

CSV follows RFC 4180 (CRLF, quotes doubled) in UTF-8 with a BOM so Excel in Japan reads it
as UTF-8; Excel gets one sheet per prefecture, the way MIC publishes its lists. Text that
starts with = + - @ tab or CR would be taken as a formula (SECURITY.md 16): in CSV it gets a
leading apostrophe; in Excel it is stored as a text cell with the quote-prefix style (Excel's
own "text, not formula" mark, shown as the text itself — no visible apostrophe, and it stays
text when the cell is edited). File names are sent per RFC 6266 with an ASCII fallback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
EMPTY_SHEET = "募集情報"

Column = tuple[str, Callable[[Any], object]]


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(neutralise(value if isinstance(value, str) else str(value)))


def content_disposition(ascii_name: str, name: str) -> str:
    """attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266 / 5987)."""
    safe_ascii = "".join(ch for ch in ascii_name if ch.isascii() and ch not in '"\\\r\n')
    return f"attachment; filename=\"{safe_ascii}\"; filename*=UTF-8''{quote(name, safe='')}"


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any], batch: int = 200) -> Iterator[str]:
    """The CSV file as text chunks (streamed; the caller encodes UTF-8)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buf.write(BOM)
    writer.writerow([_cell_text(h) for h, _ in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([_cell_text(get(row)) for _, get in columns])
        if n % batch == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "可" if value else "不可"
    if isinstance(value, int | float | date | datetime):
        return value
    text = str(value)
    # Excel cells hold at most 32,767 characters; control characters are not valid XML.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)[:32_000]


def _xlsx_cell(ws: Any, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cell.quotePrefix = True
    return cell


# Column widths in characters (Japanese characters count about double).
def _width(header: str) -> float:
    wide = {"業務内容": 60, "求める経験": 50, "PR": 40, "応募方法": 40, "英語の概要": 40,
            "URL": 38, "DX推進体制": 30, "選考方法": 30, "旅費等": 24}
    if header in wide:
        return wide[header]
    return max(12, min(30, 2 * len(header) + 4))


def xlsx_bytes(
    columns: Sequence[Column],
    groups: Iterable[tuple[str, Iterable[Any]]],
) -> bytes:
    """A workbook with one sheet per (sheet name, rows) group, in the given order: a bold
    frozen header row, column widths, formula-like text as quote-prefixed text cells."""
    wb = Workbook(write_only=True)
    any_sheet = False
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8F1FE")
    wrap = Alignment(vertical="top", wrap_text=False)
    for sheet_name, rows in groups:
        ws = wb.create_sheet(title=_sheet_title(sheet_name))
        any_sheet = True
        for i, (header, _) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _width(header)
        ws.freeze_panes = "A2"
        header_cells = []
        for header, _ in columns:
            cell = _xlsx_cell(ws, _xlsx_value(header))
            cell.font = header_font
            cell.fill = header_fill
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            cells = []
            for _, get in columns:
                value = _xlsx_value(get(row))
                cell = _xlsx_cell(ws, value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap
                cells.append(cell)
            ws.append(cells)
    if not any_sheet:
        ws = wb.create_sheet(title=EMPTY_SHEET)
        ws.append([_xlsx_cell(ws, _xlsx_value(h)) for h, _ in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return (cleaned or EMPTY_SHEET)[:31]
