"""Estimated grants from saved cost lines, per municipality, prefecture and fiscal year.

Each municipality's lines go through ``calculation.calculate`` as a whole (the recruitment cap is
per municipality and fiscal year), and the dashboards add up its per-year results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.subsidies import calculation
from talentmatch.subsidies.measure_services import published_measures
from talentmatch.subsidies.models import CostLine
from talentmatch.subsidies.services import gettext_for, municipal_info
from talentmatch.wareki import fiscal_year_label


@dataclass
class Figures:
    amount: int = 0
    eligible_amount: int = 0
    grant: int = 0
    municipalities: int = 0  # with a grant above zero

    def add(self, fy: calculation.FiscalYearTotal) -> None:
        self.amount += fy.amount
        self.eligible_amount += fy.eligible_amount
        self.grant += fy.grant
        self.municipalities += 1 if fy.grant > 0 else 0


@dataclass
class Row:
    code: str
    name: str
    kind: str = ""
    by_fy: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    total: Figures = field(default_factory=Figures)


@dataclass
class Summary:
    fiscal_years: list[int]
    rows: list[Row]  # municipalities (prefecture view) or prefectures (national view)
    by_fy: dict[int, Figures]
    total: Figures


def _results(where, lang: str, today: date | None) -> list[calculation.Result]:
    stmt = select(CostLine).where(where) if where is not None else select(CostLine)
    by_code: dict[str, list[CostLine]] = defaultdict(list)
    for ln in db.session.scalars(stmt.order_by(CostLine.municipality_code, CostLine.id)):
        by_code[ln.municipality_code].append(ln)
    t = gettext_for(lang)
    table = published_measures()
    out = []
    for code, lines in sorted(by_code.items()):
        lines.sort(key=lambda ln: (ln.fiscal_year, ln.date or date.max, ln.id))
        payload = {"municipality_code": code, "lines": [ln.to_payload_line() for ln in lines]}
        out.append(calculation.calculate(payload, municipal_info, lang=lang, gettext=t, today=today,
                                          measures=table))
    return out


def _summarise(results: list[calculation.Result], key, rows: dict[str, Row]) -> Summary:
    by_fy: dict[int, Figures] = defaultdict(Figures)
    total = Figures()
    for res in results:
        row = rows[key(res.municipality)]
        for fy in res.fiscal_years:
            row.by_fy[fy.fiscal_year].add(fy)
            row.total.add(fy)
            by_fy[fy.fiscal_year].add(fy)
            total.add(fy)
    fys = sorted(by_fy)
    return Summary(fys, [r for r in rows.values() if r.by_fy], dict(by_fy), total)


def prefecture_summary(pref_code: str, lang: str, today: date | None = None) -> Summary:
    codes = select(Municipality.code).where(Municipality.prefecture_code == pref_code)
    results = _results(CostLine.municipality_code.in_(codes), lang, today)
    rows = {
        m.code: Row(m.code, m.name, m.kind)
        for m in db.session.scalars(
            select(Municipality).where(Municipality.prefecture_code == pref_code)
            .order_by(Municipality.code))
    }
    return _summarise(results, lambda info: info.code, rows)


def national_summary(lang: str, today: date | None = None) -> Summary:
    results = _results(None, lang, today)
    rows = {
        p.code: Row(p.code, p.name)
        for p in db.session.scalars(select(Prefecture).order_by(Prefecture.code))
    }
    return _summarise(results, lambda info: info.prefecture_code, rows)


CSV_HEADER = ("code", "name", "fiscal_year", "fiscal_year_label", "amount", "eligible_amount",
              "grant", "municipalities_with_grant")


def summary_csv_rows(summary: Summary, lang: str, scope: str) -> list[list[object]]:
    """Long format: one row per (municipality or prefecture, fiscal year), then one total row
    per fiscal year for the whole ``scope`` (code "" and name = scope)."""
    rows: list[list[object]] = [list(CSV_HEADER)]
    for row in summary.rows:
        for fy in summary.fiscal_years:
            f = row.by_fy.get(fy)
            if f is None:
                continue
            rows.append([row.code, row.name, fy, fiscal_year_label(fy, lang), f.amount,
                         f.eligible_amount, f.grant, f.municipalities])
    for fy in summary.fiscal_years:
        f = summary.by_fy[fy]
        rows.append(["", scope, fy, fiscal_year_label(fy, lang), f.amount, f.eligible_amount,
                     f.grant, f.municipalities])
    return rows
