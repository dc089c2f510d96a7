"""PURE: an estimate as the rows of its CSV and Excel downloads.

The rows carry the same figures as ``Result.to_dict()`` (the JSON of the CLI and the API), so a
spreadsheet never disagrees with the page.
"""

from __future__ import annotations

from typing import Any

from talentmatch.subsidies.calculation import Result

CSV_HEADER: tuple[str, ...] = (
    "row_type",
    "municipality_code",
    "municipality_name",
    "id",
    "fiscal_year",
    "fiscal_year_label",
    "date",
    "category",
    "amount",
    "eligible_amount",
    "grant",
    "reason",
    "measure",
    "measure_version",
    "message",
)


def result_rows_for_csv(result: Result) -> list[list[Any]]:
    """Rows for the CSV / Excel export, with the same figures as ``Result.to_dict()``.

    A header of the JSON field names, one "line" row per input line, one "fiscal_year" row
    per fiscal year and a final "total" row (its message column holds the notice, if any).
    Cells are raw values: the exporter neutralises formula-like text (ids are user input).
    """
    m = result.municipality
    rows: list[list[Any]] = [list(CSV_HEADER)]
    for ln in result.lines:
        rows.append(
            [
                "line",
                m.code,
                m.name,
                ln.id,
                ln.fiscal_year,
                ln.fiscal_year_label,
                ln.date.isoformat() if ln.date else "",
                ln.category,
                ln.amount,
                ln.eligible_amount,
                ln.grant,
                ln.reason,
                ln.measure or "",
                ln.measure_version or "",
                ln.message,
            ]
        )
    for fy in result.fiscal_years:
        rows.append(
            [
                "fiscal_year",
                m.code,
                m.name,
                "",
                fy.fiscal_year,
                fy.fiscal_year_label,
                "",
                "",
                fy.amount,
                fy.eligible_amount,
                fy.grant,
                "",
                " ".join(fy.measures),
                "",
                fy.notice or "",
            ]
        )
    rows.append(
        [
            "total",
            m.code,
            m.name,
            "",
            "",
            "",
            "",
            "",
            result.total_amount,
            result.total_eligible,
            result.total_grant,
            "",
            "",
            "",
            result.notice or "",
        ]
    )
    return rows
