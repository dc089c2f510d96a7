"""The estimate and dashboard downloads read as words in the reader's language — Japanese
column titles, 経費明細/年度計/合計 rather than row_type codes, 措置期間外 rather than
out_of_period — English for English readers, with one charset in the Content-Type."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from tests.support.factories import login, make_user
from tests.support.subsidies import HAKODATE


def _rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _lines(client):
    client.post("/subsidies/lines", data={"category": "recruitment", "amount": "800000",
                                          "date": "2023-06-30", "note": "募集広告"})
    # After 31 March 2026: outside the measure's period.
    client.post("/subsidies/lines", data={"category": "outsourcing_fee", "amount": "100000",
                                          "date": "2026-05-01", "note": "委託"})


def test_estimate_csv_has_japanese_headers_and_words_and_one_charset(app, client, ctx):
    login(client, make_user("municipality", municipality_code=HAKODATE))
    _lines(client)
    r = client.get("/subsidies/estimate.csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(r.data)
    assert rows[0][:12] == ["行の種類", "団体コード", "団体名", "明細番号", "年度", "年度（和暦）", "日付",
                            "経費区分", "金額（円）", "対象経費（円）", "措置額（円）", "判定"]
    assert {"措置", "説明"} <= set(rows[0])  # the measure each line used, and why
    assert rows[0][-2:] == ["入力元", "備考"]
    assert "措置の版" in rows[0]
    untitled = [h for h in rows[0] if re.fullmatch(r"[a-z_]+", h)]
    assert untitled == [], untitled  # every column has a Japanese title, none a field name
    ws = load_workbook(io.BytesIO(client.get("/subsidies/estimate.xlsx").data)).worksheets[0]
    assert [c.value for c in next(ws.iter_rows(max_row=1))] == rows[0]
    assert not {"row_type", "out_of_period", "line", "total", "recruitment"} & {c for r in rows for c in r}
    kinds = [r[0] for r in rows[1:]]
    assert kinds[:2] == ["経費明細", "経費明細"] and "年度計" in kinds and kinds[-1] == "合計"
    by_note = {r[-1]: r for r in rows[1:] if r[0] == "経費明細"}
    assert by_note["募集広告"][7] == "募集経費" and by_note["募集広告"][11] == "対象"
    assert by_note["委託"][11] == "措置期間外" and by_note["委託"][-2] == "手入力"


def test_estimate_downloads_are_in_english_for_english_readers(app, client, ctx):
    login(client, make_user("municipality", municipality_code=HAKODATE, locale="en"))
    _lines(client)
    rows = _rows(client.get("/subsidies/estimate.csv").data)
    assert rows[0][:3] == ["Row type", "Municipality code", "Municipality name"]
    assert "Out of period" in {c for r in rows for c in r}
    assert rows[-1][0] == "Total"
    ws = load_workbook(io.BytesIO(client.get("/subsidies/estimate.xlsx").data)).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Row type" and values[0][10] == "Grant (yen)"
    assert [v[0] for v in values[1:3]] == ["Cost line", "Cost line"]


def test_dashboard_csvs_have_japanese_headers_and_one_charset(app, ctx):
    c = app.test_client()
    login(c, make_user("ministry"))
    r = c.get("/subsidies/national.csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert _rows(r.data)[0] == ["コード", "団体名", "年度", "年度（和暦）", "金額（円）", "対象経費（円）",
                                "措置額（円）", "措置額のある団体数"]
    p = app.test_client()
    login(p, make_user("prefecture", prefecture_code="01"))
    r = p.get("/subsidies/prefecture/01.csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert _rows(r.data)[0][0] == "コード"
