"""The seed's rules to the letter for postings: the 会計年度任用職員 term within one fiscal
year (地方公務員法第22条の2), the selection-flow and market-pay advice, and
`flask postings check FILE` (errors and advice, nothing saved)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from talentmatch.postings.services import advice_for
from talentmatch.postings.template.advice import advice
from talentmatch.postings.template.advice_flow import MarketPay, interview_rounds, market_pay_of
from talentmatch.postings.template.validation import validate
from tests.postings.test_posting_import import KEYS, csv_bytes
from tests.support.factories import make_posting
from tests.support.postings import MUNI_A, form_data

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("employment", "start", "end", "refused"),
    [
        ("fiscal_year_appointee", "2027-04-01", "2028-03-31", False),  # a whole fiscal year
        ("fiscal_year_appointee", "2027-04-01", "2028-04-01", True),  # one day into the next
        ("fiscal_year_appointee", "2027-01-10", "2027-03-31", False),
        ("fiscal_year_appointee", "2027-01-10", "2027-04-30", True),  # crosses 31 March
        ("fiscal_year_appointee", "2027-03-31", "2027-04-01", True),
        ("special_part_time", "2027-01-10", "2028-06-30", False),  # other forms may cross
        ("outsourcing", "2027-01-10", "2028-06-30", False),
    ],
)
def test_a_fiscal_year_appointees_term_ends_within_its_fiscal_year(employment, start, end, refused):
    data = form_data(employment_type=employment, period_start=start, period_end=end,
                     deadline="2026-12-20", municipality_code=MUNI_A)
    cleaned, errors = validate(data, mode="submit", today=TODAY)
    fields = [e.field for e in errors]
    assert fields == (["period_end"] if refused else [])
    if refused:
        year = int(start[:4]) + (0 if int(start[5:7]) < 4 else 1)
        assert errors[0].message.params == {"year": year}
        assert "period_end" not in cleaned


@pytest.mark.parametrize(
    ("text", "rounds", "advised"),
    [
        ("書類選考、面接", 1, False),
        ("書類選考→一次面接→二次面接→最終面接", 3, True),
        ("書類選考、面接（2回）", 2, False),
        ("書類選考の後、面接3回", 3, True),
        ("一次面接、二次面接", 2, True),  # no document screening
        ("面接のみ", 1, True),
        ("Document screening, then 3 interviews", 3, True),
        ("document screening and one interview", 1, False),
        ("", 0, False),
    ],
)
def test_selection_flow_advice(text, rounds, advised):
    assert interview_rounds(text) == rounds
    codes = [a.code for a in advice({"selection_process": text, "compensation_amount": 1,
                                     "compensation_unit": "day"}, today=TODAY)]
    assert ("selection_flow" in codes) is advised


MARKET = {("special_part_time", "day"): MarketPay(lower_quartile=40_000, median=50_000, n=12)}


@pytest.mark.parametrize(
    ("amount", "unit", "market", "advised"),
    [
        (30_000, "day", MARKET, True),
        (40_000, "day", MARKET, False),  # at the quartile: not below
        (30_000, "month", MARKET, False),  # another pay unit is not comparable
        (30_000, "day", {("special_part_time", "day"): MarketPay(40_000, 50_000, 4)}, False),
        (30_000, "day", None, False),  # the service passed no figures
    ],
)
def test_market_pay_advice(amount, unit, market, advised):
    data = {"employment_type": "special_part_time", "compensation_amount": amount,
            "compensation_unit": unit}
    found = [a for a in advice(data, today=TODAY, market=market) if a.code == "market_pay"]
    assert bool(found) is advised
    if advised:
        assert found[0].field == "compensation_amount"
        text = found[0].message.render()
        assert "30,000" in text and "40,000" in text and "50,000" in text and "12" in text


def test_market_figures_come_from_comparable_published_postings(ctx):
    assert market_pay_of([1, 2, 3, 4]) is None  # too few to compare
    for amount in (300_000, 320_000, 340_000, 360_000, 380_000):
        make_posting(MUNI_A, employment_type="special_part_time", compensation_amount=amount,
                     compensation_unit="month")
    make_posting(MUNI_A, employment_type="outsourcing", compensation_amount=10,
                 compensation_unit="month")  # another employment form
    make_posting(MUNI_A, state="draft", employment_type="special_part_time",
                 compensation_amount=10, compensation_unit="month")  # not published
    low = advice_for(form_data(compensation_amount="250000"))
    pay = [a for a in low if a.code == "market_pay"]
    assert pay and pay[0].message.params == {"amount": "250,000", "n": 5, "q1": "320,000",
                                             "median": "340,000"}
    assert not [a for a in advice_for(form_data(compensation_amount="330000"))
                if a.code == "market_pay"]
    assert not [a for a in advice_for(form_data(compensation_amount="250000",
                                                 compensation_unit="day"))
                if a.code == "market_pay"]


def _check(runner, tmp_path, rows, *args, name="postings.csv"):
    f = tmp_path / name
    f.write_bytes(csv_bytes(rows, keys=["municipality_code", *KEYS]))
    return runner.invoke(args=["postings", "check", str(f), *args])


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Posting))


def test_check_prints_advice_and_exits_0_without_errors(ctx, runner, tmp_path):
    rows = [form_data(municipality_code=MUNI_A),
            form_data(municipality_code=MUNI_A, selection_process="一次面接→二次面接→三次面接")]
    res = _check(runner, tmp_path, rows)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert [r["row"] for r in report["rows"]] == [2, 3]
    assert all(r["errors"] == [] for r in report["rows"])
    flow = [a for a in report["rows"][1]["advice"] if a["key"] == "selection_flow"]
    assert flow and flow[0]["field"] == "selection_process" and "職務経歴欄" in flow[0]["message"]
    assert _count() == 0


def test_check_reports_errors_by_row_and_field_exits_2_and_saves_nothing(ctx, runner, tmp_path):
    rows = [
        form_data(municipality_code=MUNI_A),
        form_data(municipality_code=MUNI_A, employment_type="fiscal_year_appointee",
                  period_start="2027-01-10", period_end="2027-06-30"),
        form_data(municipality_code=MUNI_A, compensation_amount="abc"),
    ]
    res = _check(runner, tmp_path, rows, "--lang", "en")
    assert res.exit_code == 2
    report = json.loads(res.stdout)
    by_row = {r["row"]: r for r in report["rows"]}
    assert by_row[2]["errors"] == []
    assert [e["field"] for e in by_row[3]["errors"]] == ["period_end"]
    assert "31 March 2027" in by_row[3]["errors"][0]["message"]
    assert [e["field"] for e in by_row[4]["errors"]] == ["compensation_amount"]
    assert _count() == 0
    # `postings import` refuses the same file on the same field.
    f = tmp_path / "postings.csv"
    imp = runner.invoke(args=["postings", "import", str(f)])
    assert imp.exit_code == 2 and ("Row 3" in imp.output or "3行目" in imp.output)
    assert _count() == 0


def test_check_refuses_an_unreadable_file(ctx, runner, tmp_path):
    f = tmp_path / "postings.xlsx"
    f.write_bytes(b"not a spreadsheet")
    res = runner.invoke(args=["postings", "check", str(f)])
    assert res.exit_code == 2
    report = json.loads(res.stdout)
    assert report["rows"][0]["row"] == 1 and report["rows"][0]["errors"]


def test_the_posting_form_and_the_import_refuse_a_term_crossing_31_march_on_its_end(ctx, client):
    # The clerk's two ways in: the template form and the spreadsheet upload.
    import io

    from tests.support.factories import login
    from tests.support.postings import clerk

    login(client, clerk())
    crossing = {"employment_type": "fiscal_year_appointee", "period_start": "2027-01-10",
                "period_end": "2027-06-30"}
    for action in ("save", "submit"):
        resp = client.post("/my/postings/new", data=form_data(action=action, **crossing))
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400, html
        assert 'id="period_end-error"' in html and "2027年3月31日" in html
        assert _count() == 0
    data = io.BytesIO(csv_bytes([form_data(), form_data(**crossing)]))
    resp = client.post("/my/postings/import", data={"file": (data, "postings.csv")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400, html
    assert "3行目" in html and "2027年3月31日" in html
    assert _count() == 0
