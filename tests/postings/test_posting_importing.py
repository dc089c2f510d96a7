"""Importing postings from CSV and Excel files (DESIGN §10 `postings import`, SECURITY 15)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from talentmatch.messages import FieldError, Msg
from talentmatch.postings import importing as im
from talentmatch.postings.template import cleaners, validation
from talentmatch.postings.template.headers import JA_HEADERS
from talentmatch.tabular import cells, files, table
from tests.support.cell_cases import FORMULAS
from tests.support.posting_data import TODAY, valid_posting

# A valid posting as one spreadsheet row: title in column B, duties over two lines.
ROW: dict[str, object] = {
    key: value
    for key, value in valid_posting(
        focus_areas="標準化、セキュリティ",
        duties="全庁のDX推進に関する助言\n職員研修の企画",
        period_end="2026/3/31",
        deadline="2025/2/28",
    ).items()
    if key not in ("role_type", "contact_phone", "publication_channels")
}


def csv_bytes(
    rows: list[dict[str, object]], *, headers: dict[str, str] | None = None, encoding: str = "utf-8"
) -> bytes:
    keys = list(rows[0]) if rows else list(ROW)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([(headers or {}).get(k, k) for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return buf.getvalue().encode(encoding)


def ja_csv(rows: list[dict[str, object]], encoding: str = "utf-8") -> bytes:
    return csv_bytes(rows, headers=JA_HEADERS, encoding=encoding)


def msgids(errors: list[FieldError]) -> list[str]:
    return [e.message.msgid for e in errors]


def import_ok(filename: str, data: bytes, **kw: object) -> list[dict[str, object]]:
    rows, errors = im.parse_upload(filename, data)
    assert errors == [], [e.message for e in errors]
    cleaned, errors = im.validate_rows(
        rows,
        today=TODAY,
        municipality_exists=lambda code: code in {"012025", "011002"},
        allowed_municipality=kw.get("allowed_municipality"),  # type: ignore[arg-type]
    )
    assert errors == [], [(e.row, e.field, e.message) for e in errors]
    return cleaned


def check_row(cleaned: dict[str, object]) -> None:
    assert cleaned["municipality_code"] == "012025"
    assert cleaned["title"] == "CIO補佐官"
    assert cleaned["employment_type"] == "special_part_time"
    assert cleaned["focus_areas"] == ["standardization", "security"]
    assert cleaned["duties"] == "全庁のDX推進に関する助言\n職員研修の企画"
    assert cleaned["compensation_amount"] == 50_000
    assert cleaned["deadline"] == date(2025, 2, 28)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings_with_japanese_headers(encoding: str) -> None:
    data = ja_csv([ROW], encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    (cleaned,) = import_ok("求人.csv", data)
    check_row(cleaned)


def test_csv_with_english_headers() -> None:
    (cleaned,) = import_ok("postings.CSV", csv_bytes([ROW]))
    check_row(cleaned)


def test_header_variants_and_required_marks() -> None:
    headers = dict(
        JA_HEADERS,
        title="役職名（必須）",
        deadline="※応募締切日",
        municipality_code="団体コード*",
    )
    (cleaned,) = import_ok("a.csv", csv_bytes([ROW], headers=headers))
    check_row(cleaned)


@pytest.mark.parametrize(
    "data",
    [
        ",".join(JA_HEADERS.values()).encode("utf-16"),
        ",".join(JA_HEADERS.values()).encode("utf-16-le"),
        b"title\r\n\x81\x00\x82",
        b"title\r\n\x8a\x9f\x80\xa0\xfd",
    ],
)
def test_wrong_encoding(data: bytes) -> None:
    rows, errors = im.parse_upload("a.csv", data)
    assert rows == []
    assert msgids(errors) == [files.MSG_ENCODING]
    assert errors[0].message.render().startswith("The file is neither UTF-8 nor Shift_JIS (CP932)")


# --------------------------------------------------------------------------- excel


def xlsx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    build(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_japanese_headers_numbers_and_dates() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        keys = list(ROW)
        ws.append([JA_HEADERS[k] for k in keys])
        values = dict(
            ROW,
            municipality_code=12025,  # a number cell: Excel drops the leading zero
            compensation_amount=50000,
            days_per_month=4.5,
            side_job_ok=True,
            period_start=datetime(2025, 4, 1),
            period_end=datetime(2026, 3, 31),
            deadline=datetime(2025, 2, 28),
        )
        ws.append([values[k] for k in keys])

    (cleaned,) = import_ok("postings.xlsx", xlsx_bytes(build))
    check_row(cleaned)
    assert cleaned["days_per_month"] == 4.5
    assert cleaned["side_job_ok"] is True
    assert cleaned["period_start"] == date(2025, 4, 1)


def test_xlsx_only_reads_the_first_sheet() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws.append([JA_HEADERS[k] for k in ROW])
        ws.append(list(ROW.values()))
        other = ws.parent.create_sheet("メモ")
        other.append(["not", "a", "template"])

    assert len(import_ok("a.xlsx", xlsx_bytes(build))) == 1


def test_xlsx_formula_cell_is_refused_not_evaluated() -> None:
    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws.append([JA_HEADERS[k] for k in ROW])
        ws.append(list(ROW.values()))
        ws["B2"] = '=HYPERLINK("https://evil.example","CIO補佐官")'

    rows, errors = im.parse_upload("a.xlsx", xlsx_bytes(build))
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [(2, "title", table.MSG_FORMULA)]
    assert errors[0].message.params == {"column": "役職名", "char": "'='"}
    assert "title" not in rows[0]


def test_damaged_xlsx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    _, errors = im.parse_upload("a.xlsx", buf.getvalue())
    assert msgids(errors) == [files.MSG_NOT_XLSX]


def test_xlsx_that_expands_too_much() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (files.XLSX_MAX_EXPANDED + 1))
    assert len(buf.getvalue()) < 2_000_000
    _, errors = im.parse_upload("bomb.xlsx", buf.getvalue())
    assert msgids(errors) == [files.MSG_XLSX_TOO_BIG]


# --------------------------------------------------------------------------- file checks


@pytest.mark.parametrize(
    ("filename", "data", "msgid"),
    [
        ("a.txt", b"title\r\nx\r\n", files.MSG_FILE_TYPE),
        ("a", b"title\r\nx\r\n", files.MSG_FILE_TYPE),
        ("a.xlsm", b"PK\x03\x04rest", files.MSG_FILE_TYPE),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", files.MSG_XLS),
        ("a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", files.MSG_XLS),
        ("a.xlsx", b"title\r\nx\r\n", files.MSG_NOT_XLSX),
        ("a.csv", b"PK\x03\x04rest", files.MSG_CSV_IS_EXCEL),
        ("a.csv", b"", files.MSG_FILE_EMPTY),
        ("a.csv", b"\r\n\r\n", table.MSG_NO_HEADER),
    ],
)
def test_file_type_and_shape(filename: str, data: bytes, msgid: str) -> None:
    rows, errors = im.parse_upload(filename, data)
    assert rows == []
    assert msgids(errors) == [msgid]
    assert errors[0].field == "file"


def test_too_large() -> None:
    data = ja_csv([ROW])
    rows, errors = im.parse_upload("a.csv", data, max_bytes=len(data) - 1)
    assert rows == []
    assert msgids(errors) == [files.MSG_FILE_TOO_LARGE]
    assert im.parse_upload("a.csv", data, max_bytes=len(data))[1] == []
    _, errors = im.parse_upload("a.csv", b"x" * 2_000_001)
    assert errors[0].message.render() == "The file is too large: the limit is 2 MB."


def test_too_many_rows() -> None:
    data = ja_csv([ROW, ROW, ROW])
    rows, errors = im.parse_upload("a.csv", data, max_rows=2)
    assert msgids(errors) == [table.MSG_TOO_MANY_ROWS]
    assert len(im.parse_upload("a.csv", data, max_rows=3)[0]) == 3


def test_header_only() -> None:
    _, errors = im.parse_upload("a.csv", ja_csv([]))
    assert msgids(errors) == [im.MSG_NO_ROWS]


def test_broken_csv_quotes() -> None:
    data = b"title,duties\r\n" + b'"x' + b"a" * 200_000
    _, errors = im.parse_upload("a.csv", data)
    assert msgids(errors) == [files.MSG_CSV_BROKEN]


# --------------------------------------------------------------------------- headers


def test_unknown_header_names_the_column() -> None:
    headers = dict(JA_HEADERS, work_location="勤務地")
    row = dict(ROW, work_location="函館市役所", 給与明細="x")
    headers["給与明細"] = "給与明細"
    rows, errors = im.parse_upload("a.csv", csv_bytes([row], headers=headers))
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [
        (1, "header", im.MSG_UNKNOWN_HEADER)
    ]
    letter = get_column_letter(list(row).index("給与明細") + 1)
    assert errors[0].message.params == {"letter": letter, "column": "給与明細"}
    assert rows[0]["work_location"] == "函館市役所"


def test_mass_assignment_columns_are_unknown_headers() -> None:
    row = dict(ROW, state="published")
    _, errors = im.parse_upload("a.csv", csv_bytes([row]))
    assert [e.message.params["column"] for e in errors] == ["state"]


def test_missing_required_columns_reported_once_each() -> None:
    row = {k: v for k, v in ROW.items() if k not in ("title", "deadline")}
    rows, errors = im.parse_upload("a.csv", ja_csv([row, row, row]))
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [
        (1, "title", table.MSG_MISSING_COLUMN),
        (1, "deadline", table.MSG_MISSING_COLUMN),
    ]
    assert errors[0].message.params == {"column": "役職名 (title)"}
    assert len(rows) == 3


def test_duplicate_column() -> None:
    data = ("団体コード,役職名,役職\r\n012025,CIO補佐官,DX補佐\r\n").encode()
    _, errors = im.parse_upload("a.csv", data)
    assert (1, "title", table.MSG_DUPLICATE_HEADER) in [
        (e.row, e.field, e.message.msgid) for e in errors
    ]


def test_value_without_header() -> None:
    data = ja_csv([ROW]).replace(b"\r\n", b",\r\n", 1).rstrip(b"\r\n") + b",stray\r\n"
    _, errors = im.parse_upload("a.csv", data)
    assert [(e.row, e.message.msgid) for e in errors] == [(2, table.MSG_VALUE_WITHOUT_HEADER)]


# --------------------------------------------------------------------------- cells and rows


@pytest.mark.parametrize(("value", "char"), FORMULAS)
def test_formula_text_is_refused_with_row_and_column(value: str, char: str) -> None:
    first = dict(ROW, work_location="函館市役所")
    rows, errors = im.parse_upload("a.csv", ja_csv([first, dict(ROW, work_location=value)]))
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [
        (3, "work_location", table.MSG_FORMULA)
    ]
    assert errors[0].message.params == {"column": "勤務場所", "char": char}


def test_row_numbers_match_the_spreadsheet() -> None:
    blank = {k: "" for k in ROW}
    data = ja_csv([ROW, blank, dict(ROW, municipality_code="012026"), dict(ROW, title="")])
    rows, errors = im.parse_upload("a.csv", data)
    assert errors == []
    assert [r[table.ROW_KEY] for r in rows] == [2, 4, 5]
    cleaned, errors = im.validate_rows(
        rows, today=TODAY, municipality_exists=None, allowed_municipality=None
    )
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [
        (4, "municipality_code", cleaners.MSG_CODE_CHECK),
        (5, "title", validation.MSG_REQUIRED),
    ]
    assert len(cleaned) == 3
    assert table.ROW_KEY not in cleaned[0]


def test_multiline_cells_do_not_shift_row_numbers() -> None:
    data = ja_csv([dict(ROW, duties="一\n二\n三"), dict(ROW, deadline="someday")])
    rows, _ = im.parse_upload("a.csv", data)
    _, errors = im.validate_rows(
        rows, today=TODAY, municipality_exists=None, allowed_municipality=None
    )
    assert [(e.row, e.field) for e in errors] == [(3, "deadline")]


def test_all_errors_of_all_rows_are_returned() -> None:
    rows = [
        dict(ROW, municipality_code="999997", contact_email="nope"),
        dict(ROW, deadline="2024-12-31", how_to_apply="javascript:alert(1)"),
    ]
    parsed, errors = im.parse_upload("a.csv", ja_csv(rows))
    assert errors == []
    _, errors = im.validate_rows(
        parsed, today=TODAY, municipality_exists=lambda c: c == "012025", allowed_municipality=None
    )
    assert sorted((e.row, e.field, e.message.msgid) for e in errors) == sorted(
        [
            (2, "contact_email", cells.MSG_EMAIL),
            (2, "municipality_code", validation.MSG_CODE_UNKNOWN),
            (3, "deadline", validation.MSG_DEADLINE_PAST),
            (3, "how_to_apply", cleaners.MSG_URL_SCHEME),
        ]
    )


def test_bad_and_unknown_codes() -> None:
    rows, _ = im.parse_upload(
        "a.csv",
        ja_csv([dict(ROW, municipality_code="12025"), dict(ROW, municipality_code="011002")]),
    )
    _, errors = im.validate_rows(
        rows, today=TODAY, municipality_exists=lambda c: c == "012025", allowed_municipality=None
    )
    assert [(e.row, e.message.msgid) for e in errors] == [
        (2, cleaners.MSG_CODE_FIVE),
        (3, validation.MSG_CODE_UNKNOWN),
    ]


def test_staff_import_only_their_own_municipality() -> None:
    rows, _ = im.parse_upload("a.csv", ja_csv([ROW, dict(ROW, municipality_code="011002"), ROW]))
    _, errors = im.validate_rows(
        rows, today=TODAY, municipality_exists=lambda c: True, allowed_municipality="012025"
    )
    assert [(e.row, e.field, e.message.msgid) for e in errors] == [
        (3, "municipality_code", im.MSG_OTHER_MUNICIPALITY)
    ]
    assert errors[0].message.params == {"code": "012025"}
    assert len(import_ok("a.csv", ja_csv([ROW]), allowed_municipality="012025")) == 1


def test_render_error() -> None:
    err = FieldError("title", Msg(validation.MSG_REQUIRED), 5)
    assert im.render_error(err) == "Row 5, Position title: This field is required."
    ja = {
        "Position title": "役職名",
        "Row %(row)s, %(column)s: %(message)s": "%(row)s行目 %(column)s: %(message)s",
    }
    assert im.render_error(err, lambda s: ja.get(s, s)).startswith("5行目 役職名: ")
    file_err = FieldError("file", Msg(files.MSG_FILE_EMPTY))
    assert im.render_error(file_err) == "The file is empty."


# --------------------------------------------------------------------------- fuzzing


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2_000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.bin"]))
def test_parse_upload_never_raises(data: bytes, filename: str) -> None:
    rows, errors = im.parse_upload(filename, data)
    assert all(isinstance(e, FieldError) for e in errors)
    im.validate_rows(rows, today=TODAY, municipality_exists=None, allowed_municipality=None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), max_size=6), max_size=5))
def test_any_csv_text_never_raises(grid: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([list(JA_HEADERS.values())[:6], *grid])
    rows, _ = im.parse_upload("a.csv", buf.getvalue().encode("utf-8", "surrogatepass"))
    im.validate_rows(rows, today=TODAY, municipality_exists=None, allowed_municipality=None)
