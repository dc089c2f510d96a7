"""PURE: the request of `GET /api/v1/postings` as a pydantic model (see talentmatch/schemas.py),
and the API's request schemas gathered for the document and the views."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field

from talentmatch.publication.filters import (
    EMPLOYMENT_VALUES,
    FOCUS_VALUES,
    MAX_PER_PAGE,
    MAX_Q_CHARS,
    PER_PAGE,
    REMOTE_VALUES,
    SORTS,
)
from talentmatch.schemas import (  # noqa: F401 (the API's request schemas, in one place)
    MSG_BOTH,
    MSG_INVALID,
    QueryInt,
    body_schemas,
    check_body,
    check_query,
    choice,
    codes,
    field_errors,
    municipalities_query,
    query_model,
    query_parameters,
)
from talentmatch.subsidies.request_schema import DATE_PATTERN, subsidy_request  # noqa: F401
from talentmatch.vocab import PREFECTURE_CODES

MAX_PAGE = 1_000_000
FLAGS = ("1", "0", "true", "false", "yes", "no", "on", "off")


@lru_cache(maxsize=1)
def listing_query() -> type[BaseModel]:
    """`GET /api/v1/postings`: the public listing's filters."""
    _, municipalities = codes()
    opt = None
    return query_model("ListingQuery", {
        "prefecture": (choice(PREFECTURE_CODES) | None,
                       Field(opt, description="Prefecture code 01–47.")),
        "municipality": (choice(municipalities) | None,
                         Field(opt, description="Municipality code with its check digit.")),
        "employment_type": (choice(EMPLOYMENT_VALUES) | None,
                            Field(opt, description="Type of appointment.")),
        "focus_area": (choice(FOCUS_VALUES) | None,
                       Field(opt, description="One focus area of the municipal DX plan.")),
        "remote": (choice(REMOTE_VALUES) | None, Field(opt, description="Remote work.")),
        "joint": (choice(FLAGS) | None,
                  Field(opt, description="1: only joint appointments by several municipalities.")),
        "side_job": (choice(FLAGS) | None,
                     Field(opt, description="1: only postings that allow a side job.")),
        "q": (str | None, Field(opt, max_length=MAX_Q_CHARS, description=(
            "Keywords: Japanese-aware (width, hiragana/katakana, no spaces needed, synonyms, "
            "small typos)."))),
        "sort": (choice(SORTS), Field("deadline", description=(
            "deadline: soonest first; newest: most recently published first."))),
        "page": (QueryInt, Field(1, ge=1, le=MAX_PAGE, description="Page number.")),
        "per_page": (QueryInt, Field(PER_PAGE, ge=1, le=MAX_PER_PAGE,
                                     description="Items per page.")),
    })
