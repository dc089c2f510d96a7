"""Importing a spreadsheet, on the upload screen and with `flask postings import`: all or
nothing, every error by row and column, only the clerk's own municipality."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from talentmatch.postings.template.headers import HEADERS, JA_HEADERS
from tests.support.postings import MUNI_A, MUNI_B, MUNI_Q, clerk, form_data

KEYS = [k for k in form_data() if k != "municipality_code"]


def _cell(value) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


def csv_bytes(rows: list[dict], *, keys=None, encoding="utf-8-sig", japanese=True) -> bytes:
    keys = keys or KEYS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([JA_HEADERS[k] if japanese else k for k in keys])
    for row in rows:
        writer.writerow([_cell(row.get(k, "")) for k in keys])
    return out.getvalue().encode(encoding)


def _postings() -> list[Posting]:
    db.session.expire_all()
    return db.session.scalars(select(Posting).order_by(Posting.id)).all()


def _upload(client, data: bytes, filename: str = "postings.csv"):
    return client.post("/my/postings/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_a_valid_csv_creates_drafts_of_the_clerks_municipality(ctx, client, auth):
    auth.login(clerk(locale="en"))
    data = csv_bytes([form_data(title="CIO補佐官"), form_data(title="DX推進アドバイザー")])
    resp = _upload(client, data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/my/postings")
    rows = _postings()
    assert [p.current_revision.title for p in rows] == ["CIO補佐官", "DX推進アドバイザー"]
    assert {(p.municipality_code, p.current_revision.state) for p in rows} == {(MUNI_A, "draft")}
    assert rows[0].current_revision.focus_areas == ["dx_strategy", "bpr"]
    assert rows[0].current_revision.search_text


def test_cp932_and_xlsx_files_are_read(ctx, client, auth):
    auth.login(clerk(locale="en"))
    assert _upload(client, csv_bytes([form_data()], encoding="cp932")).status_code == 302
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([JA_HEADERS[k] for k in KEYS])
    sheet.append([_cell(form_data(title="データ利活用アドバイザー")[k]) for k in KEYS])
    buf = io.BytesIO()
    book.save(buf)
    assert _upload(client, buf.getvalue(), "募集.xlsx").status_code == 302
    assert [p.current_revision.title for p in _postings()] == ["CIO補佐官", "データ利活用アドバイザー"]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # A wrong check digit in the code column, on the second posting row (row 3).
        (lambda: csv_bytes([form_data(), {**form_data(), "municipality_code": "011001"}],
                           keys=["municipality_code", *KEYS]),
         ["Row 3, Municipality code: The check digit of this municipality code is wrong."]),
        (lambda: csv_bytes([form_data()], keys=[k for k in KEYS if k != "title"]),
         ["The required column '役職名 (title)' is missing."]),
        (lambda: csv_bytes([form_data()]).decode("utf-8-sig").encode("utf-16"),
         ["The file is neither UTF-8 nor Shift_JIS (CP932)."]),
        (lambda: csv_bytes([form_data(), form_data(title='=HYPERLINK("http://evil.example")')]),
         ["Row 3, Position title: The cell in column '役職名' starts with '='"]),
        (lambda: csv_bytes([{**form_data(), "municipality_code": MUNI_B}],
                           keys=["municipality_code", *KEYS]),
         ["Row 2, Municipality code: You can import postings only for your own municipality "
          f"({MUNI_A})."]),
        (lambda: csv_bytes([form_data(deadline="2026/02/30", contact_email="x")]),
         ["Row 2, Application deadline:", "Row 2, Contact email:"]),
    ],
    ids=["bad-code", "missing-column", "wrong-encoding", "formula", "other-municipality",
         "several-errors"],
)
def test_a_bad_file_imports_nothing_and_lists_every_error(ctx, client, auth, build, expected):
    auth.login(clerk(locale="en"))
    resp = _upload(client, build())
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Nothing was imported" in page
    for text in expected:
        assert text.replace("'", "&#39;").replace('"', "&#34;") in page, text
    assert _postings() == []


def test_size_limits_answer_413_with_a_friendly_page(ctx, client, auth):
    auth.login(clerk(locale="en"))
    padding = form_data(pr_text="あ" * 3000)
    big = csv_bytes([padding] * 240)  # a little over 2 MB, under the request limit
    assert 2_000_000 < len(big) < 4 * 1024 * 1024
    resp = _upload(client, big)
    assert resp.status_code == 413
    assert "The file is too large: the limit is 2 MB." in resp.get_data(as_text=True)
    huge = _upload(client, b"a" * (5 * 1024 * 1024))
    assert huge.status_code == 413
    assert "The file is too large: the limit is 2 MB." in huge.get_data(as_text=True)
    assert _postings() == []


def test_no_file_chosen(ctx, client, auth):
    auth.login(clerk(locale="en"))
    resp = client.post("/my/postings/import", data={}, content_type="multipart/form-data")
    assert resp.status_code == 400 and _postings() == []


def test_cli_imports_all_or_nothing(app, runner, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(
        [{**form_data(title="CIO補佐官"), "municipality_code": MUNI_A},
         {**form_data(title="DX推進アドバイザー"), "municipality_code": MUNI_Q}],
        keys=["municipality_code", *KEYS]))
    result = runner.invoke(args=["postings", "import", str(good)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        ids = [p.id for p in _postings()]
        assert {p.municipality_code for p in _postings()} == {MUNI_A, MUNI_Q}
    assert result.output.splitlines() == [f"posting {i}" for i in ids]

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(
        [{**form_data(), "municipality_code": MUNI_A},
         {**form_data(contact_email="nope"), "municipality_code": "01100"}],
        keys=["municipality_code", *KEYS]))
    result = runner.invoke(args=["postings", "import", str(bad)])
    assert result.exit_code == 2
    assert "Row 3, Municipality code:" in result.output
    assert "Row 3, Contact email:" in result.output
    with app.app_context():
        assert [p.id for p in _postings()] == ids


def test_cli_municipality_option_fills_and_restricts(app, runner, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_bytes(csv_bytes([form_data()], japanese=False))
    assert runner.invoke(args=["postings", "import", str(plain)]).exit_code == 2
    result = runner.invoke(args=["postings", "import", str(plain), "--municipality", MUNI_B])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [p.municipality_code for p in _postings()] == [MUNI_B]
    other = tmp_path / "other.csv"
    other.write_bytes(csv_bytes([{**form_data(), "municipality_code": MUNI_A}],
                                keys=["municipality_code", *KEYS]))
    result = runner.invoke(args=["postings", "import", str(other), "--municipality", MUNI_B])
    assert result.exit_code == 2 and "only for your own municipality" in result.output
    bad = runner.invoke(args=["postings", "import", str(plain), "--municipality", "999999"])
    assert bad.exit_code == 2


def test_empty_template_download(ctx, client, auth):
    auth.login(clerk(locale="en"))
    resp = client.get("/my/postings/import/template.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    header = resp.get_data(as_text=True).lstrip("\ufeff").splitlines()[0].split(",")
    assert header[0] == "役職名" and "団体コード" not in header
    assert {HEADERS.key(h) for h in header} == set(KEYS)
