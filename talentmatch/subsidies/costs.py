"""PURE: what a posting's (or an appointment's) compensation costs in each fiscal year.

A municipality that has published an opening can take its expected costs into the grant
estimate without retyping them. The compensation is spread over the period by calendar
months; a month the period covers only partly counts by its days (15 of 30 days = half a
month), so a period of 1 April – 31 March is exactly 12 months.

- ``month``: amount × months;  ``year``: amount × months / 12;
- ``contract``: the amount once, dated the period's first day;
- ``day``: amount × days per month × months;
- ``hour``: amount × days per month × 8 hours × months (the standard template gives days per
  month but no hours per day, so a working day is assumed to be 8 hours).

Each fiscal year's figure is rounded down to the yen.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from talentmatch.messages import N_, Msg
from talentmatch.vocab import COMPENSATION_UNITS, values
from talentmatch.wareki import fiscal_year_of

HOURS_PER_DAY = 8
UNITS = values(COMPENSATION_UNITS)

# employment_type (DESIGN §2) → the calculator's category for what that appointment costs.
EMPLOYMENT_CATEGORY: dict[str, str] = {
    "special_part_time": "special_part_time_remuneration",
    "outsourcing": "outsourcing_fee",
    "full_time_staff": "full_time_salary",
    "fiscal_year_appointee": "fiscal_year_appointee_pay",
    "fixed_term_staff": "fixed_term_staff_salary",
    "company_secondment": "secondment_contribution",
}

MSG_NO_AMOUNT = N_("It has no compensation amount.")
MSG_NO_UNIT = N_("Its compensation has no unit (per hour, day, month, year or contract).")
MSG_NO_PERIOD = N_("It has no appointment period.")
MSG_PERIOD_ORDER = N_("Its appointment period ends before it starts.")
MSG_NO_DAYS = N_("It gives no days per month, needed for pay per hour or per day.")
MSG_NO_EMPLOYMENT = N_("It has no employment type, so the cost category is unknown.")


class CostEstimateError(ValueError):
    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.msgid)
        self.msg = msg


@dataclass(frozen=True)
class CostPart:
    fiscal_year: int
    amount: int
    date: date | None  # set only for a one-off (contract) amount


def _exact(value: object) -> Fraction:
    # Floats come from NUMERIC columns such as days_per_month (e.g. 4.5); str() keeps 4.5 exact.
    if isinstance(value, float):
        return Fraction(Decimal(str(value)))
    return Fraction(value)  # type: ignore[arg-type]


def months_by_fiscal_year(start: date, end: date) -> dict[int, Fraction]:
    """Months of [start, end] (both inclusive) falling in each fiscal year."""
    if end < start:
        raise CostEstimateError(Msg(MSG_PERIOD_ORDER))
    out: dict[int, Fraction] = {}
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        days = calendar.monthrange(y, m)[1]
        first, last = date(y, m, 1), date(y, m, days)
        lo, hi = max(first, start), min(last, end)
        covered = (hi - lo).days + 1
        fy = fiscal_year_of(first)
        out[fy] = out.get(fy, Fraction(0)) + Fraction(covered, days)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def cost_by_fiscal_year(
    amount: int | None,
    unit: str | None,
    start: date | None,
    end: date | None,
    days_per_month: float | int | Decimal | None = None,
) -> list[CostPart]:
    """The compensation's cost per fiscal year; raises ``CostEstimateError`` saying what is
    missing when the figures are not enough to tell."""
    if amount is None:
        raise CostEstimateError(Msg(MSG_NO_AMOUNT))
    if unit not in UNITS:
        raise CostEstimateError(Msg(MSG_NO_UNIT))
    if start is None or end is None:
        raise CostEstimateError(Msg(MSG_NO_PERIOD))
    if end < start:
        raise CostEstimateError(Msg(MSG_PERIOD_ORDER))
    if unit == "contract":
        return [CostPart(fiscal_year_of(start), int(amount), start)]
    per_month: Fraction
    if unit == "month":
        per_month = Fraction(amount)
    elif unit == "year":
        per_month = Fraction(amount, 12)
    else:
        if not days_per_month or _exact(days_per_month) <= 0:
            raise CostEstimateError(Msg(MSG_NO_DAYS))
        per_month = amount * _exact(days_per_month)
        if unit == "hour":
            per_month *= HOURS_PER_DAY
    return [
        CostPart(fy, math.floor(per_month * months), None)
        for fy, months in sorted(months_by_fiscal_year(start, end).items())
    ]


def category_for(employment_type: str | None) -> str:
    if employment_type not in EMPLOYMENT_CATEGORY:
        raise CostEstimateError(Msg(MSG_NO_EMPLOYMENT))
    return EMPLOYMENT_CATEGORY[employment_type]

