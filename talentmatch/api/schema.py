"""PURE: the public API's requests, described once.

Each pydantic model below both validates a request (the views refuse what it refuses) and
produces that request's part of /api/v1/openapi.json, so the document cannot be looser or
stricter than the server. pydantic, because it emits JSON Schema 2020-12 — OpenAPI 3.1's own
dialect — from plain typed classes without tying the API to a Flask extension. Enumerations
come from talentmatch/vocab.py, the master list and the subsidy rules, so a value added there
is accepted and documented at once.

The views still run their domain parsing (`parse_filters`, the calculator's validation) for
its messages; a request passes only if both accept it, and every value these models accept is
one the domain accepts too (tests/api/test_api_schema.py holds them to it).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.publication.filters import (
    EMPLOYMENT_VALUES,
    FOCUS_VALUES,
    MAX_PER_PAGE,
    MAX_Q_CHARS,
    PER_PAGE,
    REMOTE_VALUES,
    SORTS,
)
from talentmatch.subsidies.measures import CATEGORIES
from talentmatch.subsidies.validation import MAX_AMOUNT, MAX_FISCAL_YEAR, MAX_LINES, MIN_FISCAL_YEAR
from talentmatch.vocab import LANGUAGES, PREFECTURE_CODES

MASTER = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
MAX_PAGE = 1_000_000
FLAGS = ("1", "0", "true", "false", "yes", "no", "on", "off")
# Dates of fiscal years MIN_FISCAL_YEAR..MAX_FISCAL_YEAR (2000-04-01 to 2100-03-31): JSON
# Schema has no date bounds, so the pattern carries them (and `format: date` real days).
DATE_PATTERN = (
    r"^(?:2000-(?:0[4-9]|1[0-2])|20(?:0[1-9]|[1-9][0-9])-(?:0[1-9]|1[0-2])|2100-0[1-3])"
    r"-(?:0[1-9]|[12][0-9]|3[01])$"
)
assert (MIN_FISCAL_YEAR, MAX_FISCAL_YEAR) == (2000, 2099), "DATE_PATTERN spells these years"

MSG_INVALID = N_("This value is not one the API accepts (see /api/v1/openapi.json).")
MSG_BOTH = N_("Give either a date or a fiscal year, not both.")


@lru_cache(maxsize=1)
def _codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every body's code, the municipalities' codes) of the master list."""
    with MASTER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return (tuple(r["code"] for r in rows),
            tuple(r["code"] for r in rows if r["kind"] != "prefecture"))


def _choice(values: tuple[str, ...] | list[str]) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _digits(value: object) -> object:
    """Query integers as plain ASCII digits only (pydantic alone would take "1.0", " 1", "1_0")."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,9}", value):
        raise ValueError("digits")
    return value


QueryInt = Annotated[int, BeforeValidator(_digits)]


def _whole(value: object) -> object:
    """A JSON number with no fraction (800000.0) is an integer, as JSON Schema counts it."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


WholeInt = Annotated[int, BeforeValidator(_whole)]


def _query_model(name: str, fields: dict[str, Any]) -> type[BaseModel]:
    # Unknown parameters are ignored (as the listing's own links may carry lang=…).
    return create_model(name, __config__=ConfigDict(extra="ignore"), **fields)


@lru_cache(maxsize=1)
def listing_query() -> type[BaseModel]:
    """`GET /api/v1/postings`: the public listing's filters."""
    _, municipalities = _codes()
    opt = None
    return _query_model("ListingQuery", {
        "prefecture": (_choice(PREFECTURE_CODES) | None,
                       Field(opt, description="Prefecture code 01–47.")),
        "municipality": (_choice(municipalities) | None,
                         Field(opt, description="Municipality code with its check digit.")),
        "employment_type": (_choice(EMPLOYMENT_VALUES) | None,
                            Field(opt, description="Type of appointment.")),
        "focus_area": (_choice(FOCUS_VALUES) | None,
                       Field(opt, description="One focus area of the municipal DX plan.")),
        "remote": (_choice(REMOTE_VALUES) | None, Field(opt, description="Remote work.")),
        "joint": (_choice(FLAGS) | None,
                  Field(opt, description="1: only joint appointments by several municipalities.")),
        "side_job": (_choice(FLAGS) | None,
                     Field(opt, description="1: only postings that allow a side job.")),
        "q": (str | None, Field(opt, max_length=MAX_Q_CHARS, description=(
            "Keywords: Japanese-aware (width, hiragana/katakana, no spaces needed, synonyms, "
            "small typos)."))),
        "sort": (_choice(SORTS), Field("deadline", description=(
            "deadline: soonest first; newest: most recently published first."))),
        "page": (QueryInt, Field(1, ge=1, le=MAX_PAGE, description="Page number.")),
        "per_page": (QueryInt, Field(PER_PAGE, ge=1, le=MAX_PER_PAGE,
                                     description="Items per page.")),
    })


@lru_cache(maxsize=1)
def municipalities_query() -> type[BaseModel]:
    """`GET /api/v1/municipalities`."""
    return _query_model("MunicipalitiesQuery", {
        "prefecture": (_choice(PREFECTURE_CODES) | None,
                       Field(None, description="Prefecture code 01–47.")),
    })


def _real_date(value: str) -> str:
    date.fromisoformat(value)  # 2023-02-30 is refused here
    return value


DateText = Annotated[str, Field(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}),
                     AfterValidator(_real_date)]


@lru_cache(maxsize=1)
def subsidy_request() -> type[BaseModel]:
    """`POST /api/v1/subsidy/estimate`: the calculator's input (DESIGN §6)."""
    bodies, _ = _codes()

    class SubsidyLine(BaseModel):
        """One cost; give `date` or `fiscal_year`. `amount` is what this municipality itself
        pays (for a joint appointment, its share)."""

        model_config = ConfigDict(strict=True, json_schema_extra={
            "oneOf": [{"required": ["date"]}, {"required": ["fiscal_year"]}]})

        id: str = Field(min_length=1, description="Your label for the line, echoed back.")
        date: DateText = Field(None, description="The day the cost was paid.")  # type: ignore[assignment]
        fiscal_year: WholeInt = Field(None, ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR,  # type: ignore[assignment]
                                 examples=[2023])
        category: _choice(CATEGORIES)  # type: ignore[valid-type]
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

        municipality_code: _choice(bodies) = Field(  # type: ignore[valid-type]
            description="全国地方公共団体コード (6 digits with the check digit).")
        lang: _choice(LANGUAGES) = Field(None, description=(  # type: ignore[valid-type]
            "Language of the messages; else the tm_lang cookie, else Accept-Language."))
        lines: list[SubsidyLine] = Field(min_length=1, max_length=MAX_LINES)

    return SubsidyRequest


def field_errors(exc: ValidationError) -> list[FieldError]:
    """pydantic's errors as the API's FieldErrors (`lines[0].date`), one per field."""
    out: dict[str, FieldError] = {}
    for err in exc.errors():
        parts = [p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper())]
        name = ""
        for p in parts:
            if isinstance(p, int):
                name += f"[{p}]"
            elif "[" in p or "," in p or p in ("literal", "function-after"):
                continue  # pydantic's names of union branches, not fields
            else:
                name += f".{p}" if name else p
        message = MSG_BOTH if err.get("type") == "value_error" and "xor" in str(err.get("ctx", "")) \
            else MSG_INVALID
        out.setdefault(name or "payload", FieldError(name or "payload", Msg(message)))
    return list(out.values())


def check_query(model: type[BaseModel], args: Any) -> list[FieldError]:
    """Errors of query parameters (a MultiDict's first values) against `model`."""
    data = {name: args.get(name) for name in model.model_fields if args.get(name) is not None}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return field_errors(exc)
    return []


def check_body(model: type[BaseModel], raw: bytes) -> list[FieldError]:
    try:
        model.model_validate_json(raw)
    except ValidationError as exc:
        return field_errors(exc)
    return []


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The model's fields as OpenAPI query parameters."""
    schema = model.model_json_schema()
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        if "anyOf" in prop:  # X | None: the parameter is optional, never null on the wire
            (prop,) = [dict(p, **{k: v for k, v in prop.items() if k != "anyOf"})
                       for p in prop["anyOf"] if p.get("type") != "null"]
            prop.pop("default", None)
        out.append({"name": name, "in": "query", "required": False, "schema": prop,
                    "description": description})
    return out


def body_schemas(model: type[BaseModel]) -> dict[str, Any]:
    """The model and its parts as components/schemas entries."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    for part in (schema, *defs.values()):
        for prop in part.get("properties", {}).values():
            if prop.get("default", 0) is None:
                prop.pop("default")  # an omitted key, not a null one
    return {model.__name__: schema, **defs}
