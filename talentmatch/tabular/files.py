"""PURE: the cells of an uploaded CSV or Excel (.xlsx) file, and the file-level errors.

Japanese CSV files are decoded explicitly (UTF-8 with or without BOM, then CP932 as Excel in
Japan writes it) and never guessed; an Excel workbook is checked before it is opened (a zip
that expands to far more than its size is a zip bomb) and only its first sheet is read, as
values, never evaluating formulas. Rows come out numbered as the spreadsheet shows them.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

import openpyxl

from talentmatch.messages import N_, FieldError, Msg

Cell = object
Grid = Iterator[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)

# A zip that expands far beyond the upload limit is a zip bomb, not a spreadsheet.
XLSX_MAX_EXPANDED = 50_000_000

MSG_FILE_TOO_LARGE = N_("The file is too large: the limit is %(limit)s MB.")
MSG_FILE_EMPTY = N_("The file is empty.")
MSG_ENCODING = N_(
    "The file is neither UTF-8 nor Shift_JIS (CP932). Save it from Excel as CSV UTF-8 or CSV."
)
MSG_FILE_TYPE = N_("This is not a CSV or Excel file: upload a CSV (.csv) or Excel (.xlsx) file.")
MSG_NOT_SPREADSHEET = N_(
    "This is not a CSV or Excel file (it holds binary data, such as an image, a PDF or an "
    "archive). Upload the list saved as CSV (.csv) or Excel (.xlsx)."
)
MSG_XLS = N_("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV.")
MSG_NOT_XLSX = N_("This file is not a valid Excel (.xlsx) workbook.")
MSG_CSV_IS_EXCEL = N_("This file is an Excel workbook, not CSV: upload it as .xlsx.")
MSG_CSV_BROKEN = N_("The CSV file cannot be read near row %(row)s: check its quotes.")
MSG_XLSX_TOO_BIG = N_("The workbook expands to too much data to import.")


class FileError(Exception):
    """A problem with the file as a whole (reported on the field "file")."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.error = FieldError("file", Msg(msgid, params))


def size_error(data: bytes, max_bytes: int) -> FieldError | None:
    """The error for a file over the limit (MSG_FILE_TOO_LARGE, HTTP 413) or an empty one."""
    if len(data) > max_bytes:
        return FieldError("file", Msg(MSG_FILE_TOO_LARGE, {"limit": f"{max_bytes / 1e6:g}"}))
    if not data:
        return FieldError("file", Msg(MSG_FILE_EMPTY))
    return None


# The first bytes of files people upload by mistake instead of a spreadsheet.
# (Signatures that are plain letters are left to the control-character count below, so a
# list whose first header happens to start with them is never refused.)
BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"\x1f\x8b", b"7z\xbc\xaf",
    b"Rar!\x1a", b"\x7fELF", b"II*\x00", b"MM\x00*", b"\x1a\x45\xdf\xa3",
)
_SNIFF = 8192


def _control(ch: str) -> bool:
    return (ch < " " and ch not in "\t\r\n") or ch == "\x7f"


def looks_binary(data: bytes) -> bool:
    """Whether the upload is some other kind of file (an image, a PDF, an archive …) rather
    than text in a wrong encoding. UTF-16 text has NULs too, but decodes to plain text."""
    head = data[:_SNIFF]
    if head.startswith(BINARY_SIGNATURES):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with its byte order mark: text, in an encoding we do not read
    if b"\x00" in head:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            except UnicodeDecodeError:
                continue
            if not any(_control(ch) for ch in text):
                return False
        return True
    # Text has next to no control characters; compressed or binary data has them everywhere.
    controls = sum(1 for byte in head if (byte < 0x20 and byte not in (9, 10, 13)) or byte == 0x7F)
    return controls > max(2, len(head) // 100)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932; anything else is refused, never guessed."""
    if looks_binary(data):
        raise FileError(MSG_NOT_SPREADSHEET)
    # UTF-16 (Excel's "Unicode text") contains NULs, which CP932 would accept.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileError(MSG_ENCODING)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise FileError(MSG_ENCODING) from exc
    # CP932 maps almost every byte to something; control characters and the single-byte
    # private-use slots (0xA0, 0xFD–0xFF) only come out of files that are not text.
    if any(
        (ch < " " and ch not in "\t\r\n") or "\x7f" <= ch <= "\x9f" or "\uf8f0" <= ch <= "\uf8f3"
        for ch in text
    ):
        raise FileError(MSG_ENCODING)
    return text


def csv_grid(data: bytes, max_columns: int | None = None) -> Grid:
    """The records of a CSV file; cells past `max_columns` are dropped."""
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record[:max_columns])
    except csv.Error as exc:
        raise FileError(MSG_CSV_BROKEN, row=number + 1) from exc


def xlsx_grid(data: bytes, max_columns: int) -> Grid:
    """The rows of a workbook's first sheet, as values (formulas as their text)."""
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
        rows = sheet.iter_rows(values_only=True, max_col=max_columns)
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


def grid(filename: str | None, data: bytes, max_columns: int) -> Grid:
    """The cells of a .csv or .xlsx file, by its name and checked against its content."""
    suffix = PurePath(str(filename or "")).suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    is_ole = data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # legacy .xls
    if suffix == ".xls" or is_ole:
        raise FileError(MSG_XLS)
    if suffix == ".xlsx":
        if not is_zip:
            raise FileError(MSG_NOT_XLSX)
        return xlsx_grid(data, max_columns)
    if suffix == ".csv":
        if is_zip:
            raise FileError(MSG_CSV_IS_EXCEL)
        return csv_grid(data, max_columns)
    if looks_binary(data):
        raise FileError(MSG_NOT_SPREADSHEET)
    raise FileError(MSG_FILE_TYPE)
