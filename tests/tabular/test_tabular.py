"""The spreadsheet reader every import shares: header folding for the three lists, column
letters, formula cells and e-mail addresses."""

from __future__ import annotations

import pytest

from talentmatch.postings import importing as posting_import
from talentmatch.postings.template import fields
from talentmatch.postings.template.headers import HEADER_VARIANTS, HEADERS, JA_HEADERS
from talentmatch.professionals import importing as talent_import
from talentmatch.professionals.profile import FIELD_LABELS
from talentmatch.subsidies import importing as cost_import
from talentmatch.tabular import cells, files, table
from talentmatch.tabular.headers import Headers
from tests.support.cell_cases import EMAILS_ACCEPTED, EMAILS_REFUSED, FORMULAS

# --------------------------------------------------------------------------- headers

POSTING_HEADERS = [
    ("団体コード", "municipality_code"),
    ("役職名", "title"),
    ("役職名（必須）", "title"),
    ("※役職名", "title"),
    ("役職名*", "title"),
    ("title", "title"),
    ("Title", "title"),
    ("Position title", "title"),
    ("任用形態", "employment_type"),
    ("勤務日数（月）", "days_per_month"),
    ("勤務日数", "days_per_month"),
    ("応募締切日", "deadline"),
    ("※応募締切日", "deadline"),
    ("団体コード*", "municipality_code"),
    ("contact_email", "contact_email"),
    ("副業・兼業として可", "side_job_ok"),
    ("給与明細", None),
    ("state", None),
    (None, None),
]
TALENT_HEADERS = [
    ("メールアドレス※", "email"),
    ("Email", "email"),
    ("稼働可能日数（月）（必須）", "available_days_per_month"),
    ("available_days_per_month*", "available_days_per_month"),
    ("年齢", None),  # never a column
]
COST_HEADERS = [
    ("金額（円）", "amount"),
    ("金額(円)", "amount"),
    ("行ID", "id"),
    ("fiscal_year", "fiscal_year"),
    ("年度", "fiscal_year"),
    ("費目", "category"),
    ("when", None),
]


@pytest.mark.parametrize(
    ("headers", "header", "key"),
    [(HEADERS.key, h, k) for h, k in POSTING_HEADERS]
    + [(talent_import.HEADERS.key, h, k) for h, k in TALENT_HEADERS]
    + [(cost_import.HEADERS.key, h, k) for h, k in COST_HEADERS],
)
def test_headers_in_japanese_or_english_with_required_marks(headers, header, key) -> None:
    assert headers(header) == key


def test_every_header_spelling_leads_to_its_own_column() -> None:
    for f in fields.FIELDS:
        for name in (f.key, f.label, JA_HEADERS[f.key], *HEADER_VARIANTS.get(f.key, ())):
            assert HEADERS.key(name) == f.key, (f.key, name)
    for key, (ja, variants) in talent_import.COLUMNS.items():
        for name in (key, ja, FIELD_LABELS.get(key, key), *variants):
            assert talent_import.HEADERS.key(name) == key, (key, name)
    for key, names in cost_import.COLUMNS.items():
        for name in names:
            assert cost_import.HEADERS.key(name) == key, (key, name)


def test_the_first_column_to_claim_a_spelling_keeps_it() -> None:
    headers = Headers({"a": ("名前", "Name"), "b": ("name", "氏名")})
    assert headers.key("NAME") == "a"
    assert headers.key("氏名") == "b"
    assert headers.key(3) is None


# --------------------------------------------------------------------------- column letters


def test_column_letters() -> None:
    # Unknown headers at 0-based positions 0, 1, 25, 26, 27, 51, 52, 701 and 702.
    layout = table.Layout(
        headers=Headers({"a": ("a",)}),
        required=(),
        column_title=str,
        msg_unknown_header=posting_import.MSG_UNKNOWN_HEADER,
        msg_no_rows=posting_import.MSG_NO_ROWS,
        max_columns=1000,
    )
    header = [""] * 703
    for index in (0, 1, 25, 26, 27, 51, 52, 701, 702):
        header[index] = f"x{index}"
    header[2] = "a"  # one known column: a list of this kind, with unknown headers
    data = (",".join(header) + "\r\n").encode()
    result = table.read_file(data, layout, max_bytes=100_000, max_rows=10)
    letters = [e.message.params["letter"] for e in result.errors if e.field == "header"]
    assert letters == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("value", "char"),
    [
        *FORMULAS,
        ("函館市", None),
        ("a=b", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_formula_char(value: object, char: str | None) -> None:
    assert cells.formula_char(value) == char


@pytest.mark.parametrize(("value", "expected"), EMAILS_ACCEPTED)
def test_email_accepts(value: str, expected: str) -> None:
    assert cells.clean_email(value) == expected


@pytest.mark.parametrize("value", [*EMAILS_REFUSED, "a@" + "b" * 250 + ".jp"])
def test_email_refuses(value: str) -> None:
    assert cells.clean_email(value) is None


def test_file_errors_name_the_file() -> None:
    with pytest.raises(files.FileError) as exc:
        files.decode_csv("名前".encode("utf-16"))
    assert exc.value.error.field == "file"
    assert exc.value.error.message.msgid == files.MSG_ENCODING
