"""The CSV and Excel rows of an estimate carry the figures of its JSON."""

from __future__ import annotations

from talentmatch.subsidies.calculation import calculate
from talentmatch.subsidies.exports import CSV_HEADER, result_rows_for_csv
from talentmatch.subsidies.measures import seed_measures
from tests.support.subsidy_cases import CITY, TODAY, line, lookup


def test_csv_rows_carry_the_same_figures_as_the_json() -> None:
    result = calculate(
        {
            "municipality_code": CITY,
            "lines": [
                line("a", category="outsourcing_fee", amount=333_333, date="2023-06-30"),
                line("b", amount=1_200_000, fiscal_year=2024),
            ],
        },
        lookup,
        today=TODAY,
        measures=seed_measures(),
    )
    data = result.to_dict()
    rows = result_rows_for_csv(result)
    assert rows[0] == list(CSV_HEADER)
    assert all(len(r) == len(CSV_HEADER) for r in rows)
    records = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]]
    lines = [r for r in records if r["row_type"] == "line"]
    for rec, ln in zip(lines, data["lines"], strict=True):
        assert set(ln) <= set(CSV_HEADER)  # every field of a JSON line has its column
        for key in set(ln) - {"date"}:
            assert rec[key] == ln[key]
        assert rec["date"] == (ln["date"] or "")
        assert (rec["municipality_code"], rec["municipality_name"]) == (CITY, "函館市")
    fys = [r for r in records if r["row_type"] == "fiscal_year"]
    assert [(r["fiscal_year"], r["amount"], r["eligible_amount"], r["grant"]) for r in fys] == [
        (fy["fiscal_year"], fy["amount"], fy["eligible_amount"], fy["grant"])
        for fy in data["fiscal_years"]
    ]
    (total,) = [r for r in records if r["row_type"] == "total"]
    assert (total["amount"], total["eligible_amount"], total["grant"]) == (
        data["total_amount"],
        data["total_eligible"],
        data["total_grant"],
    )
    assert total["message"] == data["notice"]
    assert records[-1] is total
