"""PURE: labels that follow the form of employment, as 自治体 practice words them.

A full-time or fixed-term employee is paid a 給料・給与, a part-time or fiscal-year appointee a
報酬, and an outsourcing contract a 委託料 (契約金額); people are appointed for a 任用期間, a
contract runs for a 契約（履行）期間. A form the table does not know (or none) keeps the
neutral words.
"""
from __future__ import annotations

from talentmatch.messages import N_

SALARY, FEE, CONTRACT = N_("Salary"), N_("Compensation"), N_("Contract fee")
PAY_LABELS = {
    "full_time_staff": SALARY,
    "fixed_term_staff": SALARY,
    "special_part_time": FEE,
    "fiscal_year_appointee": FEE,
    "outsourcing": CONTRACT,
    "company_secondment": CONTRACT,
}
CONTRACT_FORMS = frozenset({"outsourcing", "company_secondment"})
PERIOD_LABELS = {
    "period_start": (N_("Period start"), N_("Contract period (start)")),
    "period_end": (N_("Period end"), N_("Contract period (end)")),
}


def pay_label(employment_type: str | None) -> str:
    """The msgid naming the pay of this form of employment."""
    return PAY_LABELS.get(employment_type or "", FEE)


def period_label(field: str, employment_type: str | None) -> str:
    """The msgid naming the start or end of the period: 任用期間 or 契約（履行）期間."""
    appointment, contract = PERIOD_LABELS[field]
    return contract if employment_type in CONTRACT_FORMS else appointment
