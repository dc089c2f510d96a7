"""Fixtures for the special grant tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def add_lines(ctx):
    """Save CostLines directly (for dashboards and access tests)."""
    from datetime import date

    from talentmatch.extensions import db
    from talentmatch.subsidies.models import CostLine
    from talentmatch.wareki import fiscal_year_of

    def add(code: str, lines: list[dict[str, Any]], source: str = "manual") -> list[int]:
        ids = []
        for ln in lines:
            day = date.fromisoformat(ln["date"]) if ln.get("date") else None
            row = CostLine(municipality_code=code, date=day,
                           fiscal_year=fiscal_year_of(day) if day else ln["fiscal_year"],
                           category=ln["category"], amount=ln["amount"], note=ln.get("note", ""),
                           source=source)
            db.session.add(row)
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
        return ids

    return add
