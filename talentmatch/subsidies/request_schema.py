"""PURE: the request of `POST /api/v1/subsidy/estimate` as a pydantic model (see
talentmatch/schemas.py): it validates the API's bodies and is the document's SubsidyRequest."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from talentmatch.schemas import WholeInt, choice, codes
from talentmatch.subsidies.measures import CATEGORIES
from talentmatch.subsidies.validation import MAX_AMOUNT, MAX_FISCAL_YEAR, MAX_LINES, MIN_FISCAL_YEAR
from talentmatch.vocab import LANGUAGES

# Dates of fiscal years MIN_FISCAL_YEAR..MAX_FISCAL_YEAR (2000-04-01 to 2100-03-31): JSON
# Schema has no date bounds, so the pattern carries them (and `format: date` real days).
DATE_PATTERN = (
    r"^(?:2000-(?:0[4-9]|1[0-2])|20(?:0[1-9]|[1-9][0-9])-(?:0[1-9]|1[0-2])|2100-0[1-3])"
    r"-(?:0[1-9]|[12][0-9]|3[01])$"
)
assert (MIN_FISCAL_YEAR, MAX_FISCAL_YEAR) == (2000, 2099), "DATE_PATTERN spells these years"


def _real_date(value: str) -> str:
    date.fromisoformat(value)  # 2023-02-30 is refused here
    return value


DateText = Annotated[str, Field(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}),
                     AfterValidator(_real_date)]


@lru_cache(maxsize=1)
def subsidy_request() -> type[BaseModel]:
    """`POST /api/v1/subsidy/estimate`: the calculator's input (DESIGN §6)."""
    bodies, _ = codes()

    class SubsidyLine(BaseModel):
        """One cost; give `date` or `fiscal_year`. `amount` is what this municipality itself
        pays (for a joint appointment, its share)."""

        model_config = ConfigDict(strict=True, json_schema_extra={
            "oneOf": [{"required": ["date"]}, {"required": ["fiscal_year"]}]})

        id: str = Field(min_length=1, description="Your label for the line, echoed back.")
        date: DateText = Field(None, description="The day the cost was paid.")  # type: ignore[assignment]
        fiscal_year: WholeInt = Field(None, ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR,  # type: ignore[assignment]
                                 examples=[2023])
        category: choice(CATEGORIES)  # type: ignore[valid-type]
        amount: WholeInt = Field(ge=0, le=MAX_AMOUNT - 1, description="Yen.")

        @model_validator(mode="after")
        def _one_of(self) -> SubsidyLine:
            given = self.model_fields_set & {"date", "fiscal_year"}
            if len(given) != 1:
                raise ValueError("date xor fiscal_year")
            return self

    class SubsidyRequest(BaseModel):
        model_config = ConfigDict(strict=True, json_schema_extra={"example": {
            "municipality_code": "012025", "lines": [
                {"id": "a", "date": "2023-06-30", "category": "recruitment", "amount": 800000}]}})

        municipality_code: choice(bodies) = Field(  # type: ignore[valid-type]
            description="全国地方公共団体コード (6 digits with the check digit).")
        lang: choice(LANGUAGES) = Field(None, description=(  # type: ignore[valid-type]
            "Language of the messages; else the tm_lang cookie, else Accept-Language."))
        lines: list[SubsidyLine] = Field(min_length=1, max_length=MAX_LINES)

    return SubsidyRequest
