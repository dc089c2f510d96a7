"""PURE: the special grant's measures (措置) as data: who, which costs, what rate, which years.

MIC counts half of what a 市町村 pays to appoint external talent as CIO補佐官等 (special
part-time remuneration or outsourcing fees, FY2021–FY2025) and half of its recruitment costs
(FY2022–FY2025, up to 1,000,000円 of cost per municipality and fiscal year). Each of the two
is one ``Measure`` row of ``MEASURES``; an extension or a new measure is one more row, not new
code, and ``calculation.calculate()`` takes the table it applies as an argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from talentmatch.messages import N_

# --- vocabulary ------------------------------------------------------------------------------

CATEGORY_LABELS: dict[str, str] = {
    "recruitment": N_("Recruitment costs"),
    "special_part_time_remuneration": N_("Remuneration of special part-time staff"),
    "outsourcing_fee": N_("Outsourcing fees"),
    "full_time_salary": N_("Salaries of full-time staff"),
    "fiscal_year_appointee_pay": N_("Pay of fiscal-year appointees"),
    # Added for the arrangements that followed FY2025 (DESIGN §6, additive): no measure of
    # the seed covers them; a measure MIC enters may.
    "fixed_term_staff_salary": N_("Salaries of fixed-term staff"),
    "secondment_contribution": N_("Contributions for a company's seconded employee"),
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)

# The grant goes to 市町村: prefectures and Tokyo's 特別区 are not recipients.
SHICHOSON: tuple[str, ...] = ("designated_city", "city", "town", "village")


# --- the measures table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    name: str  # an N_ msgid
    categories: tuple[str, ...]
    rate: Fraction | Decimal | int
    cap: int | None  # of eligible cost per municipality and fiscal year; None: no cap
    first_fy: int
    last_fy: int
    eligible_kinds: tuple[str, ...]

    def __post_init__(self) -> None:
        # Floats would make the yen figures depend on binary rounding.
        if isinstance(self.rate, bool | float) or not isinstance(
            self.rate, Fraction | Decimal | int
        ):
            raise TypeError(f"measure {self.key}: rate must be a Fraction, Decimal or int")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"measure {self.key}: rate must be between 0 and 1")
        if self.cap is not None and (isinstance(self.cap, bool) or self.cap < 0):
            raise ValueError(f"measure {self.key}: cap must be None or a non-negative int")
        if self.first_fy > self.last_fy:
            raise ValueError(f"measure {self.key}: first_fy is after last_fy")

    @property
    def exact_rate(self) -> Fraction:
        return Fraction(self.rate)

    def covers_year(self, fy: int) -> bool:
        return self.first_fy <= fy <= self.last_fy


APPOINTMENT_NAME = N_("Appointment of external talent (CIO advisers etc.)")
RECRUITMENT_NAME = N_("Recruitment of external talent (CIO advisers etc.)")

MEASURES: tuple[Measure, ...] = (
    Measure(
        key="appointment",
        name=APPOINTMENT_NAME,
        categories=("special_part_time_remuneration", "outsourcing_fee"),
        rate=Fraction(1, 2),
        cap=None,
        first_fy=2021,
        last_fy=2025,
        eligible_kinds=SHICHOSON,
    ),
    Measure(
        key="recruitment",
        name=RECRUITMENT_NAME,
        categories=("recruitment",),
        rate=Fraction(1, 2),
        cap=1_000_000,
        first_fy=2022,
        last_fy=2025,
        eligible_kinds=SHICHOSON,
    ),
)


def check_measures(measures: Sequence[Measure]) -> None:
    """Refuse a table where two rows could both claim one cost: the result would be ambiguous."""
    keys = [m.key for m in measures]
    if len(set(keys)) != len(keys):
        raise ValueError("measure keys must be unique")
    for i, a in enumerate(measures):
        for b in measures[i + 1 :]:
            if (
                set(a.categories) & set(b.categories)
                and set(a.eligible_kinds) & set(b.eligible_kinds)
                and a.first_fy <= b.last_fy
                and b.first_fy <= a.last_fy
            ):
                raise ValueError(f"measures {a.key} and {b.key} overlap")


def accepted_categories(measures: Sequence[Measure] = MEASURES) -> tuple[str, ...]:
    """The known categories plus any a newer measure introduces."""
    extra = [c for m in measures for c in m.categories if c not in CATEGORY_LABELS]
    return CATEGORIES + tuple(dict.fromkeys(extra))


def covered_fiscal_years(measures: Sequence[Measure] = MEASURES) -> list[int]:
    return sorted({fy for m in measures for fy in range(m.first_fy, m.last_fy + 1)})


def format_rate(rate: Fraction) -> str:
    """0.5 as the seed writes it; a rate without a finite decimal stays a fraction (1/3)."""
    den = rate.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{rate.numerator}/{rate.denominator}"
    return format(Decimal(rate.numerator) / Decimal(rate.denominator), "f")
