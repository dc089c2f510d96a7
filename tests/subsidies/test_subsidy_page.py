"""The municipality's estimate page: entering, importing, taking from postings, deleting,
downloading, the measure's period, and who may see whose lines."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from urllib.parse import unquote

from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from sqlalchemy import func, select

from talentmatch.applications.models import Appointment
from talentmatch.extensions import db
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.subsidies import importing
from talentmatch.subsidies.models import CostLine
from tests.support.factories import login, make_user
from tests.support.subsidies import HAKODATE, OTARU, SENDAI, parse_csv


def _count(code: str | None = None) -> int:
    stmt = select(func.count()).select_from(CostLine)
    if code:
        stmt = stmt.where(CostLine.municipality_code == code)
    db.session.expire_all()
    return db.session.scalar(stmt)


def _ja(app, msgid: str, **params) -> str:
    with app.test_request_context(), force_locale("ja"):
        return gettext(msgid, **params)


def _staff(client, code=HAKODATE):
    user = make_user("municipality", municipality_code=code)
    login(client, user)
    return user


def test_period_and_end_of_measure_are_stated_and_late_costs_flagged(app, client, ctx):
    _staff(client)
    html = client.get("/subsidies").get_data(as_text=True)
    notice = html[html.index("measure-period"):html.index("</section>", html.index("measure-period"))]
    assert "令和3年度（2021年度）" in notice and "令和4年度（2022年度）" in notice
    assert notice.count("令和7年度（2025年度）") >= 2  # both measures run through FY2025
    assert "令和8年3月31日" in notice  # the measure ended on 31 March 2026
    assert html.index("measure-period") < html.index('id="results"')  # at the top

    client.post("/subsidies/lines", data={"category": "outsourcing_fee", "amount": "500000",
                                          "date": "2026-05-01", "note": "late"})
    client.post("/subsidies/lines", data={"category": "outsourcing_fee", "amount": "500000",
                                          "date": "2025-05-01", "note": "in time"})
    html = client.get("/subsidies").get_data(as_text=True)
    late = re.search(r'<tr id="line-\d+" class="reason-row-out_of_period">(.*?)</tr>', html, re.S)
    assert late and "late" in late[1] and "reason-out_of_period" in late[1]
    assert "2026年5月1日（令和8年5月1日）" in late[1]
    fy2026 = html[html.index('id="fy-2026"'):]
    assert "badge red" in fy2026[:400]  # the fiscal year itself is marked outside the period
    assert "reason-row-eligible" in html


def test_english_page_states_the_period_in_western_years(client, auth, ctx):
    make = make_user("municipality", municipality_code=HAKODATE, locale="en")
    auth.login(make)
    html = client.get("/subsidies").get_data(as_text=True)
    assert "FY2021 (Reiwa 3)" in html and "FY2025 (Reiwa 7)" in html
    assert "March 31, 2026" in html


def test_bad_line_names_the_field_and_saves_nothing(app, client, ctx):
    _staff(client)
    r = client.post("/subsidies/lines", data={"category": "recruitment", "amount": "abc",
                                              "date": "", "fiscal_year": "", "note": ""})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="amount-error"' in html and _ja(app, importing.ERR_AMOUNT) in html
    assert 'id="date-error"' in html and _ja(app, importing.ERR_WHEN) in html
    assert 'id="error-summary"' in html
    r = client.post("/subsidies/lines", data={"category": "travel", "amount": "-5",
                                              "date": "2023-04-01", "fiscal_year": "2022"})
    html = r.get_data(as_text=True)
    assert 'id="category-error"' in html and 'id="amount-error"' in html and 'id="fiscal_year-error"' in html
    assert _count() == 0


def test_csv_import_is_all_or_nothing_with_row_and_column_errors(app, client, ctx):
    _staff(client)
    bad = (
        "date,fiscal_year,category,amount,note\n"
        "2023-06-30,,recruitment,800000,求人サイト\n"      # row 2: fine
        ",,outsourcing_fee,100,\n"                         # row 3: no date nor fiscal year
        "2023-07-01,,travel,12x,\n"                        # row 4: category and amount
        "2023-07-02,,recruitment,1000,=HYPERLINK(\"x\")\n"  # row 5: a formula
    ).encode()
    r = client.post("/subsidies/import", data={"file": (io.BytesIO(bad), "lines.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    found = set(re.findall(r'<tr class="import-error"><td>(\d+)</td><td>([^<]+)</td>', html))
    label = {k: _ja(app, v) for k, v in importing.COLUMN_LABELS.items()}
    assert found == {("3", label["date"]), ("4", label["category"]), ("4", label["amount"]),
                     ("5", label["note"])}
    assert _count() == 0

    good = ("日付,年度,費目,金額,備考\n"
            "2023/6/30,,募集経費,\"800,000\",求人サイト\n"
            ",令和5年度,委託料,１２０００００円,CIO補佐官 業務委託\n").encode("cp932")
    r = client.post("/subsidies/import", data={"file": (io.BytesIO(good), "lines.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    lines = db.session.scalars(select(CostLine).order_by(CostLine.id)).all()
    assert [(ln.date, ln.fiscal_year, ln.category, ln.amount) for ln in lines] == [
        (date(2023, 6, 30), 2023, "recruitment", 800_000), (None, 2023, "outsourcing_fee", 1_200_000)]

    # A row with an id replaces that line; an id of another municipality's line is refused.
    other = CostLine(municipality_code=OTARU, fiscal_year=2023, category="recruitment", amount=1)
    db.session.add(other)
    db.session.commit()
    csv_text = (f"id,fiscal_year,category,amount\n{lines[0].id},2023,recruitment,900000\n"
                f"{other.id},2023,recruitment,5\n")
    r = client.post("/subsidies/import", data={"file": (io.BytesIO(csv_text.encode()), "x.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    assert re.search(r'<tr class="import-error"><td>3</td>', r.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(CostLine, lines[0].id).amount == 800_000
    assert db.session.get(CostLine, other.id).amount == 1
    csv_text = f"id,fiscal_year,category,amount\n{lines[0].id},2023,recruitment,900000\n"
    r = client.post("/subsidies/import", data={"file": (io.BytesIO(csv_text.encode()), "x.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(CostLine, lines[0].id).amount == 900_000
    assert _count(HAKODATE) == 2


def test_unknown_header_and_empty_upload_are_refused(client, ctx):
    _staff(client)
    r = client.post("/subsidies/import", data={"file": (io.BytesIO(b"when,amout\n1,2\n"), "x.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "amout" in r.get_data(as_text=True)
    r = client.post("/subsidies/import", data={}, content_type="multipart/form-data")
    assert r.status_code == 400
    assert _count() == 0


def test_downloads_have_japanese_names_and_neutralised_cells(client, ctx, add_lines):
    _staff(client)
    r = client.post("/subsidies/lines", data={"category": "recruitment", "amount": "800000",
                                              "fiscal_year": "2023", "note": "@SUM(1+1)"})
    assert r.status_code == 400 and 'id="note-error"' in r.get_data(as_text=True)
    # Text that arrives by another way (a posting's title becomes the note) is neutralised.
    add_lines(HAKODATE, [{"fiscal_year": 2023, "category": "recruitment", "amount": 800_000,
                          "note": "@SUM(1+1)"}], source="posting")
    client.post("/subsidies/lines", data={"category": "outsourcing_fee", "amount": "100",
                                          "fiscal_year": "2024", "note": "ok"})
    r = client.get("/subsidies/estimate.csv")
    cd = r.headers["Content-Disposition"]
    assert cd.startswith("attachment; filename=\"subsidy-estimate_")
    assert "函館市" in unquote(cd.split("filename*=UTF-8''")[1])
    rows = parse_csv(r.data)
    assert any(row["note"] == "'@SUM(1+1)" for row in rows)

    r = client.get("/subsidies/estimate.xlsx")
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.data)).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[0]
    grants = [row[header.index("措置額（円）")] for row in values[1:] if row[0] == "経費明細"]
    assert grants == [400_000, 50]
    # Excel: the text as written, in a quote-prefixed text cell (no visible apostrophe).
    notes = [row[header.index("備考")] for row in ws.iter_rows(min_row=2)]
    (note,) = [c for c in notes if c.value == "@SUM(1+1)"]
    assert note.data_type == "s" and note.quotePrefix is True


def test_costs_taken_from_published_postings(app, client, ctx):
    user = _staff(client)

    def posting(code, state, **content):
        p = Posting(municipality_code=code, prefecture_code=code[:2])
        db.session.add(p)
        db.session.flush()
        rev = PostingRevision(posting_id=p.id, municipality_code=code, prefecture_code=code[:2],
                              state=state, title=content.pop("title", "CIO補佐官"), **content)
        db.session.add(rev)
        db.session.commit()
        return p

    monthly = posting(HAKODATE, "published", employment_type="special_part_time",
                      compensation_amount=300_000, compensation_unit="month",
                      period_start=date(2025, 10, 1), period_end=date(2026, 9, 30))
    hourly = posting(HAKODATE, "closed", employment_type="outsourcing", compensation_amount=5_000,
                     compensation_unit="hour", days_per_month=4,
                     period_start=date(2024, 4, 1), period_end=date(2025, 3, 31))
    posting(HAKODATE, "draft", employment_type="outsourcing", compensation_amount=9_999_999,
            compensation_unit="contract", period_start=date(2024, 4, 1), period_end=date(2024, 5, 1))
    posting(SENDAI, "published", employment_type="outsourcing", compensation_amount=7_777_777,
            compensation_unit="contract", period_start=date(2024, 4, 1), period_end=date(2024, 5, 1))
    posting(HAKODATE, "published", title="期間未定", employment_type="outsourcing",
            compensation_amount=100_000, compensation_unit="month")

    r = client.post("/subsidies/from-postings", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "期間未定" in html  # named among the postings that could not be taken
    lines = db.session.scalars(select(CostLine).order_by(CostLine.fiscal_year, CostLine.source_id)).all()
    got = [(ln.source, ln.source_id, ln.fiscal_year, ln.category, ln.amount) for ln in lines]
    assert got == [
        ("posting", str(hourly.id), 2024, "outsourcing_fee", 5_000 * 4 * 8 * 12),
        ("posting", str(monthly.id), 2025, "special_part_time_remuneration", 1_800_000),
        ("posting", str(monthly.id), 2026, "special_part_time_remuneration", 1_800_000),
    ]
    assert all(ln.created_by_id == user.id for ln in lines)
    assert "8" in html and "reason-row-out_of_period" in html

    # Taking again replaces instead of adding twice; typed-in lines stay.
    client.post("/subsidies/lines", data={"category": "recruitment", "amount": "1", "fiscal_year": "2023"})
    client.post("/subsidies/from-postings")
    assert _count(HAKODATE) == 4

    # Once the monthly posting is filled, the appointment's own terms replace its estimate:
    # 250,000円 a month from October 2025, ended on 31 January 2026 (JST) → 4 months.
    appt = Appointment(posting_id=monthly.id, municipality_code=HAKODATE, days_per_month=8,
                       period_start=date(2025, 10, 1), period_end=date(2026, 9, 30),
                       employment_type="special_part_time", compensation_amount=250_000,
                       compensation_unit="month", status="ended",
                       ended_at=datetime(2026, 1, 31, 3, 0, tzinfo=UTC))
    db.session.add(appt)
    db.session.commit()
    client.post("/subsidies/from-postings")
    db.session.expire_all()
    got = sorted((ln.source, ln.source_id, ln.fiscal_year, ln.amount)
                 for ln in db.session.scalars(select(CostLine).where(CostLine.source != "manual")))
    assert got == [("appointment", str(appt.id), 2025, 1_000_000),
                   ("posting", str(hourly.id), 2024, 5_000 * 4 * 8 * 12)]


def test_lines_belong_to_their_municipality(client, ctx, add_lines):
    (mine,) = add_lines(HAKODATE, [{"fiscal_year": 2023, "category": "recruitment", "amount": 111_111, "note": "函館の行"}])
    (theirs,) = add_lines(OTARU, [{"fiscal_year": 2023, "category": "recruitment", "amount": 222_222, "note": "小樽の行"}])
    _staff(client, HAKODATE)
    html = client.get("/subsidies").get_data(as_text=True)
    assert "函館の行" in html and "小樽の行" not in html
    assert "小樽の行" not in client.get("/subsidies/estimate.csv").get_data(as_text=True)
    assert client.post(f"/subsidies/lines/{theirs}/delete").status_code == 404
    assert client.post("/subsidies/lines/999999/delete").status_code == 404
    assert client.post("/subsidies/lines/2147483648/delete").status_code == 404  # > INTEGER
    assert _count(OTARU) == 1
    assert client.post(f"/subsidies/lines/{mine}/delete").status_code == 302
    assert _count(HAKODATE) == 0
    assert client.get("/subsidies/estimate.csv").status_code == 404  # nothing to export


def test_only_municipality_staff_use_the_page(app, ctx):
    anon = app.test_client()
    assert anon.get("/subsidies").status_code == 302
    assert anon.post("/subsidies/lines", data={}).status_code == 302
    for role, kw in (("prefecture", {"prefecture_code": "01"}), ("ministry", {}), ("professional", {})):
        c = app.test_client()
        login(c, make_user(role, **kw))
        assert c.get("/subsidies").status_code == 403, role
        assert c.get("/subsidies/estimate.csv").status_code == 403, role
        assert c.post("/subsidies/lines", data={"category": "recruitment", "amount": "1",
                                                "fiscal_year": "2023"}).status_code == 403
    assert _count() == 0
