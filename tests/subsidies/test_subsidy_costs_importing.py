"""The pure helpers behind the page: compensation spread over fiscal years, reading cost
lines."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from talentmatch.subsidies import costs, importing


@pytest.mark.parametrize(
    ("unit", "amount", "days", "start", "end", "expected"),
    [
        ("month", 300_000, None, date(2025, 4, 1), date(2026, 3, 31), [(2025, 3_600_000, None)]),
        ("month", 300_000, None, date(2025, 10, 1), date(2026, 9, 30), [(2025, 1_800_000, None), (2026, 1_800_000, None)]),
        # half of April (16–30 of 30 days) and all of May
        ("month", 300_000, None, date(2025, 4, 16), date(2025, 5, 31), [(2025, 450_000, None)]),
        ("year", 6_000_000, None, date(2025, 1, 1), date(2025, 12, 31), [(2024, 1_500_000, None), (2025, 4_500_000, None)]),
        ("day", 30_000, 4, date(2024, 4, 1), date(2024, 6, 30), [(2024, 360_000, None)]),
        ("day", 30_000, 4.5, date(2024, 4, 1), date(2024, 4, 30), [(2024, 135_000, None)]),
        ("hour", 5_000, 2, date(2024, 4, 1), date(2024, 4, 30), [(2024, 80_000, None)]),
        ("contract", 2_000_000, None, date(2025, 2, 1), date(2025, 7, 31), [(2024, 2_000_000, date(2025, 2, 1))]),
        # a third of a month rounds down to the yen
        ("month", 100_000, None, date(2025, 4, 1), date(2025, 4, 10), [(2025, 33_333, None)]),
    ],
)
def test_cost_by_fiscal_year(unit, amount, days, start, end, expected):
    parts = costs.cost_by_fiscal_year(amount, unit, start, end, days)
    assert [(p.fiscal_year, p.amount, p.date) for p in parts] == expected


def test_months_by_fiscal_year_counts_part_months_by_days():
    assert costs.months_by_fiscal_year(date(2024, 3, 16), date(2024, 4, 15)) == {
        2023: Fraction(16, 31), 2024: Fraction(15, 30)}


@pytest.mark.parametrize(
    ("args", "msgid"),
    [
        ((None, "month", date(2024, 4, 1), date(2025, 3, 31)), costs.MSG_NO_AMOUNT),
        ((1, None, date(2024, 4, 1), date(2025, 3, 31)), costs.MSG_NO_UNIT),
        ((1, "month", None, date(2025, 3, 31)), costs.MSG_NO_PERIOD),
        ((1, "month", date(2025, 4, 1), date(2025, 3, 31)), costs.MSG_PERIOD_ORDER),
        ((1, "hour", date(2024, 4, 1), date(2025, 3, 31)), costs.MSG_NO_DAYS),
    ],
)
def test_cost_by_fiscal_year_says_what_is_missing(args, msgid):
    with pytest.raises(costs.CostEstimateError) as exc:
        costs.cost_by_fiscal_year(*args)
    assert exc.value.msg.msgid == msgid


def test_employment_types_map_to_categories():
    assert costs.category_for("special_part_time") == "special_part_time_remuneration"
    assert costs.category_for("outsourcing") == "outsourcing_fee"
    assert costs.category_for("full_time_staff") == "full_time_salary"
    assert costs.category_for("fiscal_year_appointee") == "fiscal_year_appointee_pay"
    with pytest.raises(costs.CostEstimateError):
        costs.category_for(None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("800000", 800_000), ("800,000", 800_000), ("８００，０００円", 800_000), ("¥800,000", 800_000),
     ("-5", -5), ("1.5", None), ("1e6", None), ("", None)],
)
def test_parse_amount(text, value):
    assert importing.parse_amount(text) == value


@pytest.mark.parametrize("text", ["=1+1", "+1", "@SUM(A1)", "\tx", "\rx", "-x", " =1"])
def test_formula_cells_are_refused(text):
    row, errors = importing.validate_row({"fiscal_year": "2023", "category": "recruitment",
                                          "amount": "1", "note": text})
    assert row is None and [e.field for e in errors] == ["note"]


def test_validate_row_accepts_japanese_labels_and_checks_dates():
    row, errors = importing.validate_row({"date": "2023年6月30日", "category": "特別職非常勤職員の報酬等",
                                          "amount": "1,000"})
    assert errors == [] and row.fiscal_year == 2023 and row.category == "special_part_time_remuneration"
    row, errors = importing.validate_row({"date": "2023-02-30", "fiscal_year": "2023",
                                          "category": "recruitment", "amount": "1"})
    assert [e.field for e in errors] == ["date"]
    row, errors = importing.validate_row({"date": "2024-01-10", "fiscal_year": "2024",
                                          "category": "recruitment", "amount": "1"})
    assert [e.field for e in errors] == ["fiscal_year"]  # January 2024 is in FY2023
    row, errors = importing.validate_row({"fiscal_year": "2023", "category": "recruitment",
                                          "amount": "1", "note": "x" * 501})
    assert [e.field for e in errors] == ["note"]


def test_parse_csv_reports_rows_and_columns():
    data = (b"fiscal_year,category,amount,extra\n")
    rows, errors = importing.parse_csv(data)
    assert rows == [] and [(e.field, e.row) for e in errors] == [("header", 1)]
    data = b"id,fiscal_year,category,amount\n5,2023,recruitment,1\n5,2023,recruitment,2\n,2023,recruitment,3,9\n"
    rows, errors = importing.parse_csv(data)
    assert rows == [] and [(e.field, e.row) for e in errors] == [("id", 3), ("file", 4)]
    rows, errors = importing.parse_csv(b"category,amount\n")
    assert [e.field for e in errors] == ["header"]  # neither date nor fiscal_year
    rows, errors = importing.parse_csv(b"\x81\x00\xff\xfe")
    assert [e.field for e in errors] == ["file"]
    many = "fiscal_year,category,amount\n" + "2023,recruitment,1\n" * 1001
    rows, errors = importing.parse_csv(many.encode())
    assert [e.field for e in errors] == ["file"]
