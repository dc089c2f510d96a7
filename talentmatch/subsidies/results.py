"""PURE: the result of a special grant estimate and its JSON contract (DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talentmatch.messages import Msg
from talentmatch.subsidies.validation import MunicipalityInfo


@dataclass(frozen=True)
class LineResult:
    id: str
    fiscal_year: int
    fiscal_year_label: str
    date: date | None
    category: str
    amount: int
    eligible_amount: int
    grant: int  # this line's share of the grant of its measure and fiscal year
    reason: str
    message: str
    msg: Msg = field(compare=False, repr=False)
    measure: str | None = None  # key of the measure that counted the line
    measure_version: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "date": self.date.isoformat() if self.date else None,
            "category": self.category,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
            "reason": self.reason,
            "measure": self.measure,
            "measure_version": self.measure_version,
            "message": self.message,
        }


@dataclass(frozen=True)
class FiscalYearTotal:
    fiscal_year: int
    fiscal_year_label: str
    amount: int
    eligible_amount: int
    grant: int
    measures: tuple[str, ...] = ()  # keys of the measures registered for the year
    notice: str | None = None  # "no measure for … is registered" when there is none

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
            "measures": list(self.measures),
            "notice": self.notice,
        }


@dataclass(frozen=True)
class Result:
    municipality: MunicipalityInfo
    lang: str
    lines: tuple[LineResult, ...]
    fiscal_years: tuple[FiscalYearTotal, ...]
    total_amount: int
    total_eligible: int
    total_grant: int
    covered_fiscal_years: tuple[int, ...]
    measure_ended: bool
    notice: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of the CLI and ``POST /api/v1/subsidy/estimate``."""
        return {
            "municipality_code": self.municipality.code,
            "municipality_name": self.municipality.name,
            "municipality_kind": self.municipality.kind,
            "lines": [line.to_dict() for line in self.lines],
            "fiscal_years": [fy.to_dict() for fy in self.fiscal_years],
            "total_amount": self.total_amount,
            "total_eligible": self.total_eligible,
            "total_grant": self.total_grant,
            "covered_fiscal_years": list(self.covered_fiscal_years),
            "measure_ended": self.measure_ended,
            "notice": self.notice,
        }
