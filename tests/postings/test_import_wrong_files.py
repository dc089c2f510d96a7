"""Every import (postings, a prefecture's talent list, subsidy cost lines) answers a binary
or unknown file with one clear message, never an error for each column of the template, and
saves nothing."""

from __future__ import annotations

import gzip
import io
import random

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.pool.models import TalentPoolEntry
from talentmatch.postings import importing as posting_import
from talentmatch.postings.models import Posting
from talentmatch.professionals import importing as talent_import
from talentmatch.subsidies import importing as subsidy_import
from talentmatch.subsidies.models import CostLine
from talentmatch.tabular import files, table
from tests.support.factories import login, make_user
from tests.support.postings import MUNI_A, PREF_P

_rng = random.Random(12)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(_rng.randrange(256) for _ in range(3000))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 400 >>\nstream\n" + bytes(
    _rng.randrange(256) for _ in range(3000))
GZIP = gzip.compress("名前,メール\n".encode() * 200)
NOISE = bytes(_rng.randrange(1, 256) for _ in range(4000))  # no NUL at all
BINARIES = {"png": PNG, "pdf": PDF, "gzip": GZIP, "noise": NOISE}
PLAIN_TEXT = "議事録\n本日の会議では、DX推進計画について話し合いました。\n".encode()


@pytest.mark.parametrize("kind", BINARIES)
@pytest.mark.parametrize("name", ["list.csv", "list.png", "list"])
def test_binary_files_get_one_message_in_every_parser(kind, name):
    data = BINARIES[kind]
    _rows, errors = posting_import.parse_upload(name, data)
    assert [e.message.msgid for e in errors] == [files.MSG_NOT_SPREADSHEET]
    assert errors[0].message.render().startswith("This is not a CSV or Excel file")
    assert [e.message.msgid for e in talent_import.parse_csv(data).errors] == [files.MSG_NOT_SPREADSHEET]
    assert [e.message.msgid for e in subsidy_import.parse_csv(data)[1]] == [files.MSG_NOT_SPREADSHEET]


def test_text_of_another_kind_gets_one_message_quoting_its_first_row():
    _rows, errors = posting_import.parse_upload("minutes.csv", PLAIN_TEXT)
    assert [e.message.msgid for e in errors] == [table.MSG_NOT_THIS_LIST]
    assert "議事録" in errors[0].message.render()
    assert [e.message.msgid for e in talent_import.parse_csv(PLAIN_TEXT).errors] == [table.MSG_NOT_THIS_LIST]
    assert [e.message.msgid for e in subsidy_import.parse_csv(PLAIN_TEXT)[1]] == [table.MSG_NOT_THIS_LIST]


def test_text_files_in_other_encodings_are_still_told_so():
    for data in ("名前,メール\n".encode("utf-16"), "name,email\n".encode("utf-16-le"),
                 b"title\r\n\x8a\x9f\x80\xa0\xfd"):
        assert not files.looks_binary(data)
        _rows, errors = posting_import.parse_upload("a.csv", data)
        assert [e.message.msgid for e in errors] == [files.MSG_ENCODING]


def test_a_real_list_with_one_mistyped_header_still_names_the_column():
    _rows, errors = subsidy_import.parse_csv(b"fiscal_year,category,amout\n2023,recruitment,1\n")
    assert any("amout" in e.message.render() for e in errors)
    assert table.MSG_NOT_THIS_LIST not in {e.message.msgid for e in errors}


def _post(client, url, data, name, **fields):
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _page_errors(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_every_upload_page_answers_with_the_one_message(app, ctx, kind):
    data = BINARIES[kind]
    clerk_client, coord_client = app.test_client(), app.test_client()
    login(clerk_client, make_user("municipality", municipality_code=MUNI_A, locale="en"))
    login(coord_client, make_user("prefecture", prefecture_code=PREF_P))

    resp = _post(clerk_client, "/my/postings/import", data, "postings.csv")
    page = _page_errors(resp)
    assert resp.status_code == 400 and "This is not a CSV or Excel file" in page
    assert "is missing" not in page and "not a column" not in page

    resp = _post(clerk_client, "/subsidies/import", data, "lines.csv")
    page = _page_errors(resp)
    assert resp.status_code == 400 and "This is not a CSV or Excel file" in page
    assert page.count("This is not a CSV or Excel file") == 1

    resp = _post(coord_client, f"/prefectures/{PREF_P}/pool/import", data, "list.csv",
                 consent_obtained="y")
    page = _page_errors(resp)
    assert resp.status_code == 400 and "CSVまたはExcelのファイルではありません" in page

    for model in (Posting, CostLine, TalentPoolEntry):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
