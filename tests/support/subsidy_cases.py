"""Shared by the unit tests of the special grant: a body of every kind, a line, a run."""

from __future__ import annotations

from datetime import date
from typing import Any

from talentmatch.subsidies.calculation import calculate
from talentmatch.subsidies.measures import seed_measures
from tests.support.subsidies import master_lookup as lookup

TODAY = date(2026, 11, 26)

PREFECTURE = "010006"  # 北海道
SPECIAL_WARD = "131016"  # 千代田区
DESIGNATED_CITY = "011002"  # 札幌市
CITY = "012025"  # 函館市
TOWN = "013030"  # 当別町
VILLAGE = "013048"  # 新篠津村
# One body of every kind: the rules differ by kind, not by which body of a kind it is.
EVERY_KIND = (PREFECTURE, SPECIAL_WARD, DESIGNATED_CITY, CITY, TOWN, VILLAGE)

APPOINTMENT = ("special_part_time_remuneration", "outsourcing_fee")


def line(
    id: str = "a",
    category: str = "recruitment",
    amount: int = 100_000,
    date: str | None = None,
    fiscal_year: int | None = None,
) -> dict[str, Any]:
    d: dict[str, Any] = {"id": id, "category": category, "amount": amount}
    if date is not None:
        d["date"] = date
    if fiscal_year is not None:
        d["fiscal_year"] = fiscal_year
    return d


def run(lines: list[dict[str, Any]], code: str = CITY, **kw: Any) -> dict[str, Any]:
    kw.setdefault("today", TODAY)
    kw.setdefault("measures", seed_measures())
    return calculate({"municipality_code": code, "lines": lines}, lookup, **kw).to_dict()


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {ln["id"]: ln for ln in result["lines"]}
