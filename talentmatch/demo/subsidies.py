"""Demo cost lines for the special grant estimate, FY2021–FY2026, for every demo municipality.

Each municipality gets a plausible history: advisers appointed as special part-time staff or
by outsourcing, recruitment on private job sites (some years above the 1,000,000円 cap),
a few costs the grant never counts (full-time salaries, fiscal-year appointees) and costs
after the measure ended in March 2026, so the dashboards show every kind of reason.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from talentmatch.demo.accounts import DEMO_PREFECTURES
from talentmatch.extensions import db
from talentmatch.subsidies.models import CostLine
from talentmatch.wareki import fiscal_year_of


def _lines_for(code: str) -> list[dict]:
    rnd = random.Random(f"subsidy-{code}")  # the same demo every time
    lines: list[dict] = []
    start_fy = rnd.choice((2021, 2021, 2022, 2023))
    outsourcing = rnd.random() < 0.4
    monthly = rnd.randrange(15, 45) * 10_000  # 150,000–440,000円 a month
    for fy in range(start_fy, 2027):
        months = 12 if fy > start_fy else rnd.choice((6, 9, 12))
        if outsourcing:
            lines.append({"fiscal_year": fy, "category": "outsourcing_fee",
                          "amount": monthly * months, "note": "DX推進アドバイザー 業務委託料"})
        else:
            lines.append({"fiscal_year": fy, "category": "special_part_time_remuneration",
                          "amount": monthly * months + rnd.randrange(0, 3) * 100_000,
                          "note": "CIO補佐官 報酬・期末手当（特別職非常勤職員）"})
    # Recruitment: job-site fees in the year the search started and now and then later.
    for fy in sorted({max(start_fy, 2021), *rnd.sample(range(2022, 2027), 2)}):
        first = rnd.randrange(3, 9) * 100_000
        lines.append({"date": date(fy, rnd.randrange(5, 10), 1 + rnd.randrange(0, 28)),
                      "category": "recruitment", "amount": first, "note": "民間求人サイト掲載料"})
        if rnd.random() < 0.5:  # a second campaign: often over the cap together
            lines.append({"date": date(fy, rnd.randrange(10, 13), 1 + rnd.randrange(0, 28)),
                          "category": "recruitment", "amount": rnd.randrange(3, 9) * 100_000,
                          "note": "スカウトサービス利用料"})
    if rnd.random() < 0.35:
        lines.append({"fiscal_year": rnd.choice((2023, 2024)), "category": "full_time_salary",
                      "amount": rnd.randrange(50, 80) * 100_000, "note": "情報政策課 常勤職員（DX担当）給与"})
    if rnd.random() < 0.3:
        lines.append({"fiscal_year": rnd.choice((2022, 2025)), "category": "fiscal_year_appointee_pay",
                      "amount": rnd.randrange(15, 30) * 100_000, "note": "会計年度任用職員 報酬"})
    return lines


def load(world) -> None:
    for codes in DEMO_PREFECTURES.values():
        for code in codes:
            staff = world.users.get(f"staff{code}@city.demo.talentmatch.jp")
            if staff is None:
                continue
            if db.session.scalar(select(CostLine.id).where(CostLine.municipality_code == code).limit(1)):
                continue  # loaded before
            for ln in _lines_for(code):
                day = ln.get("date")
                db.session.add(CostLine(
                    municipality_code=code, date=day,
                    fiscal_year=fiscal_year_of(day) if day else ln["fiscal_year"],
                    category=ln["category"], amount=ln["amount"], note=ln["note"],
                    source="manual", created_by_id=staff.id))
    db.session.commit()
