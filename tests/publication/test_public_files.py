"""CSV, Excel and Atom files of the public listing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook

from talentmatch.exports import content_disposition, neutralise
from tests.support.factories import make_posting

SAPPORO, CHIYODA, OSAKA = "011002", "131016", "271004"
ATOM = "{http://www.w3.org/2005/Atom}"
DANGEROUS = ["=HYPERLINK(\"http://evil\",\"x\")", "+SUM(A1)", "-2+3", "@cmd", "\tindent", "\rcr"]


@pytest.fixture
def files_world(app):
    with app.app_context():
        out = {
            "sapporo": make_posting(SAPPORO, title=DANGEROUS[0], duties="a,b \"quoted\"\nnext line",
                                    required_skills=[DANGEROUS[1]], pr_text=DANGEROUS[2],
                                    hours_note=DANGEROUS[3], selection_process=DANGEROUS[4],
                                    work_location=DANGEROUS[5]).id,
            "chiyoda": make_posting(CHIYODA, title="データ利活用推進員",
                                    published_at=datetime.now(UTC) - timedelta(days=3)).id,
            "osaka": make_posting(OSAKA, title="デジタル戦略監", remote="full",
                                  published_at=datetime.now(UTC) - timedelta(days=1)).id,
        }
        make_posting(CHIYODA, state="relayed", title="中継済み")
        yield out


def test_neutralise_and_disposition_units():
    for value in DANGEROUS:
        assert neutralise(value) == "'" + value
    assert neutralise("普通の文") == "普通の文" and neutralise(12) == 12 and neutralise("a=b") == "a=b"
    header = content_disposition("talentmatch-postings.xlsx", "募集情報一覧.xlsx")
    assert header.startswith('attachment; filename="talentmatch-postings.xlsx"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == "募集情報一覧.xlsx"
    assert "募" not in header  # the header itself is ASCII
    assert content_disposition('a"b\r\n.csv', "x.csv").startswith('attachment; filename="ab.csv"')


def test_csv_is_rfc4180_utf8_bom_with_neutralised_formulas(client, files_world):
    resp = client.get("/postings.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="talentmatch-postings.csv"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''", 1)[1]).endswith(".csv")
    raw = resp.data
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["募集ID", "URL", "都道府県", "団体名"] and "役職名" in header
    assert len(body) == 3  # the relayed posting is not public
    col = {name: i for i, name in enumerate(header)}
    sapporo = next(r for r in body if r[0] == str(files_world["sapporo"]))
    assert sapporo[col["役職名"]] == "'" + DANGEROUS[0]
    assert sapporo[col["必須スキル"]] == "'" + DANGEROUS[1]
    assert sapporo[col["PR"]] == "'" + DANGEROUS[2]
    assert sapporo[col["勤務時間"]] == "'" + DANGEROUS[3]
    assert sapporo[col["選考方法"]] == "'" + DANGEROUS[4]
    assert sapporo[col["勤務場所"]] == "'" + DANGEROUS[5]
    assert sapporo[col["業務内容"]] == 'a,b "quoted"\nnext line'
    assert sapporo[col["URL"]] == f"http://localhost/postings/{files_world['sapporo']}"
    assert sapporo[col["任用形態"]] == "特別職非常勤職員" and sapporo[col["副業・兼業"]] == "可"
    for private in ("周知方法", "search_text", "advice_codes"):
        assert private not in header
    # Prefecture order (01, 13, 27).
    assert [r[col["都道府県"]] for r in body] == ["北海道", "東京都", "大阪府"]


def test_csv_and_excel_take_the_listing_filters(client, files_world):
    text = client.get("/postings.csv?prefecture=13").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [r[0] for r in rows] == [str(files_world["chiyoda"])]
    wb = load_workbook(BytesIO(client.get("/postings.xlsx?remote=full").data))
    assert wb.sheetnames == ["大阪府"]
    empty = load_workbook(BytesIO(client.get("/postings.xlsx?q=存在しない言葉ですよ").data))
    assert len(empty.sheetnames) == 1 and empty.worksheets[0].max_row == 1


def test_excel_has_one_sheet_per_prefecture_in_code_order(client, files_world):
    resp = client.get("/postings.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = resp.headers["Content-Disposition"]
    assert 'filename="talentmatch-postings.xlsx"' in disposition
    assert unquote(disposition.split("''", 1)[1]) == "募集情報一覧.xlsx"
    wb = load_workbook(BytesIO(resp.data))
    assert wb.sheetnames == ["北海道", "東京都", "大阪府"]
    ws = wb["北海道"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["募集ID", "URL", "都道府県", "団体名"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width and ws.column_dimensions["A"].width >= 12
    cells = dict(zip(header, ws[2], strict=True))
    row = {h: c.value for h, c in cells.items()}
    assert row["募集ID"] == files_world["sapporo"]
    # Formula-like text is kept as it was written, in a text cell marked with the quote-prefix
    # style: Excel shows it as text and never runs it, and no apostrophe is added to it.
    for name, text in (("役職名", DANGEROUS[0]), ("必須スキル", DANGEROUS[1]),
                       ("選考方法", DANGEROUS[4])):
        assert row[name] == text and cells[name].data_type == "s", name
        assert cells[name].quotePrefix is True and cells[name].style_id, name
    assert row["勤務場所"] in ("\rcr", "\ncr")  # XML reads a stored CR back as LF
    assert cells["勤務場所"].quotePrefix is True
    assert cells["団体名"].quotePrefix is False
    assert row["報酬額"] == 300000
    assert not any(c.data_type == "f" for line in ws.iter_rows() for c in line)
    assert wb["東京都"].max_row == 2


def test_atom_feed_parses_and_lists_newest_first(client, files_world):
    resp = client.get("/feed.atom")
    assert resp.status_code == 200
    assert resp.mimetype == "application/atom+xml"
    root = ET.fromstring(resp.data)  # noqa: S314 (our own output)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    assert root.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://localhost/feed.atom")
    entries = root.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries]
    w = files_world
    assert links == [f"http://localhost/postings/{w[k]}" for k in ("sapporo", "osaka", "chiyoda")]
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None
        updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text.replace("Z", "+00:00"))
        assert datetime.now(UTC) - updated < timedelta(days=4)
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.find(f"{ATOM}updated").text == updated[0]
    assert b"\xe4\xb8\xad\xe7\xb6\x99\xe6\xb8\x88\xe3\x81\xbf" not in resp.data  # 中継済み


def test_atom_feed_for_a_search(client, files_world):
    root = ET.fromstring(client.get("/feed.atom?prefecture=13").data)  # noqa: S314 (our own output)
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert links == [f"http://localhost/postings/{files_world['chiyoda']}"]
    assert "prefecture=13" in root.find(f"{ATOM}link[@rel='self']").get("href")
    empty = ET.fromstring(client.get("/feed.atom?q=存在しない言葉ですよ").data)  # noqa: S314 (our own output)
    assert empty.findall(f"{ATOM}entry") == [] and empty.find(f"{ATOM}updated").text
    listing = client.get("/postings?prefecture=13").get_data(as_text=True)
    assert 'href="/feed.atom?prefecture=13"' in listing
