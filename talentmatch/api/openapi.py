"""PURE: the OpenAPI 3.1 document of the public API (/api/v1/openapi.json).

The requests' parts (query parameters, the estimate's body) are generated from the pydantic
models in api/schema.py that also validate every request; the answers' schemas below take
their enumerations from the vocabulary, the template and the subsidy rules.
"""

from __future__ import annotations

from typing import Any

from talentmatch.api import schema
from talentmatch.postings.template.fields import CHOICES
from talentmatch.publication.filters import (
    MAX_PER_PAGE,
    PREFECTURE_CODES,
)
from talentmatch.subsidies.calculation import REASONS
from talentmatch.vocab import MUNICIPAL_KINDS

VERSION = "1.0.0"


def _enum(key: str) -> list[str]:
    return [c.value for c in CHOICES[key]]


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    t = schema.get("type")
    out = dict(schema)
    out["type"] = [t, "null"] if isinstance(t, str) else [*t, "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


_STR = {"type": "string"}
_TEXT_LIST = {"type": "array", "items": {"type": "string"}}
_DATE = {"type": "string", "format": "date"}
_DATETIME = {"type": "string", "format": "date-time"}
_CODE6 = {"type": "string", "pattern": "^[0-9]{6}$", "description": "全国地方公共団体コード (6 digits)"}
_PREF = {"type": "string", "enum": list(PREFECTURE_CODES)}


def _posting_schema() -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {"type": "integer", "description": "Posting number; the page is /postings/{id}."},
        "url": {"type": "string", "format": "uri"},
        "revision": {"type": "integer", "description": "Version of the posting's content."},
        "municipality_code": _CODE6,
        "municipality": _nullable(_STR),
        "municipality_kind": _nullable({"type": "string", "enum": list(MUNICIPAL_KINDS)}),
        "prefecture_code": _PREF,
        "prefecture": _nullable(_STR),
        "title": _STR,
        "role_type": _nullable({"type": "string", "enum": _enum("role_type")}),
        "employment_type": {"type": "string", "enum": _enum("employment_type")},
        "joint_wish": {"type": "string", "enum": _enum("joint_wish")},
        "side_job_ok": {"type": ["boolean", "null"]},
        "focus_areas": {"type": "array", "items": {"type": "string", "enum": _enum("focus_areas")}},
        "duties": _STR,
        "required_experience": _STR,
        "required_skills": _TEXT_LIST,
        "preferred_skills": _TEXT_LIST,
        "preferred_qualifications": _TEXT_LIST,
        "days_per_month": {"type": ["number", "null"]},
        "hours_note": _STR,
        "remote": {"type": "string", "enum": _enum("remote")},
        "work_location": _STR,
        "compensation_amount": {"type": ["integer", "null"], "description": "Yen."},
        "compensation_unit": _nullable({"type": "string", "enum": _enum("compensation_unit")}),
        "expenses_note": _STR,
        "period_start": _nullable(_DATE),
        "period_end": _nullable(_DATE),
        "deadline": _nullable(_DATE),
        "selection_process": _STR,
        "how_to_apply": {"type": "string", "description": "Text, or an http(s) link."},
        "contact_department": _STR,
        "contact_email": _STR,
        "contact_phone": _STR,
        "dx_policy_status": _nullable({"type": "string", "enum": _enum("dx_policy_status")}),
        "dx_organization": _STR,
        "cio_title": _STR,
        "pr_text": _STR,
        "title_en": _STR,
        "summary_en": _STR,
        "first_published_at": _nullable(_DATETIME),
        "published_at": _nullable(_DATETIME),
        "participants": {
            "type": "array",
            "description": "Municipalities filling the role: the lead municipality, and the "
                           "others of a joint appointment with their share.",
            "items": {"$ref": "#/components/schemas/Participant"},
        },
    }
    return {
        "type": "object",
        "required": ["id", "url", "title", "municipality_code", "prefecture_code",
                     "employment_type", "participants"],
        "properties": props,
    }


def _json(schema_ref: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


def document(server_url: str = "") -> dict[str, Any]:
    error = "#/components/schemas/Error"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TalentMatch public API",
            "version": VERSION,
            "description": "Open postings of Japanese municipalities recruiting external "
                           "digital talent, the municipalities master list and the special "
                           "grant estimate. Read-only, no login, no personal data.",
        },
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/v1/postings": {
                "get": {
                    "operationId": "listPostings",
                    "summary": "Open postings, filtered and paginated like the public listing",
                    "parameters": schema.query_parameters(schema.listing_query()),
                    "responses": {
                        "200": _json("#/components/schemas/PostingList", "A page of postings."),
                        "400": _json(error, "An invalid parameter; `field` names it."),
                    },
                }
            },
            "/api/v1/postings/{id}": {
                "get": {
                    "operationId": "getPosting",
                    "summary": "One open posting",
                    "parameters": [{"name": "id", "in": "path", "required": True,
                                    "schema": {"type": "integer", "minimum": 1}}],
                    "responses": {
                        "200": _json("#/components/schemas/Posting", "The posting."),
                        "404": _json(error, "No open posting has this number."),
                    },
                }
            },
            "/api/v1/municipalities": {
                "get": {
                    "operationId": "listMunicipalities",
                    "summary": "Municipalities (master list), optionally of one prefecture",
                    "parameters": schema.query_parameters(schema.municipalities_query()),
                    "responses": {
                        "200": _json("#/components/schemas/MunicipalityList", "Municipalities."),
                        "400": _json(error, "Unknown prefecture code."),
                    },
                }
            },
            "/api/v1/subsidy/estimate": {
                "post": {
                    "operationId": "estimateSubsidy",
                    "summary": "Estimate the special grant (特別交付税措置) for cost lines",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/SubsidyRequest"}}},
                    },
                    "responses": {
                        "200": _json("#/components/schemas/SubsidyResult", "The estimate."),
                        "400": _json("#/components/schemas/SubsidyErrors",
                                     "Invalid input, refused as a whole; each error names "
                                     "its field."),
                    },
                }
            },
        },
        "components": {"schemas": _schemas()},
    }


def _schemas() -> dict[str, Any]:
    money = {"type": "integer", "minimum": 0, "description": "Yen."}
    return {
        **schema.body_schemas(schema.subsidy_request()),
        "Participant": {
            "type": "object",
            "required": ["code", "name", "share"],
            "properties": {"code": _CODE6, "name": _nullable(_STR),
                           "share": {"type": ["number", "null"],
                                     "description": "Share of the costs (0.5 = half); null "
                                                    "for a posting that is not joint."},
                           "share_days": {"type": "number",
                                          "description": "Days per month of a joint "
                                                         "appointment's participant."}},
        },
        "Posting": _posting_schema(),
        "PostingList": {
            "type": "object",
            "required": ["items", "page", "per_page", "total", "pages"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Posting"}},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1},
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": _STR,
                    "field": {"type": "string", "description": "The offending parameter."},
                    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
                },
            }},
        },
        "FieldError": {
            "type": "object",
            "required": ["field", "message"],
            "properties": {"field": _STR, "message": _STR},
        },
        "Municipality": {
            "type": "object",
            "required": ["code", "name", "kind", "prefecture_code"],
            "properties": {
                "code": _CODE6, "name": _STR, "name_kana": _STR,
                "kind": {"type": "string", "enum": list(MUNICIPAL_KINDS)},
                "prefecture_code": _PREF, "prefecture": _STR,
            },
        },
        "MunicipalityList": {
            "type": "object",
            "required": ["count", "items"],
            "properties": {
                "count": {"type": "integer"},
                "items": {"type": "array",
                          "items": {"$ref": "#/components/schemas/Municipality"}},
            },
        },
        "SubsidyLineResult": {
            "type": "object",
            "required": ["id", "fiscal_year", "fiscal_year_label", "category", "amount",
                         "eligible_amount", "grant", "reason", "measure", "message"],
            "properties": {
                "id": _STR,
                "fiscal_year": {"type": "integer"},
                "fiscal_year_label": {"type": "string", "examples": ["令和5年度"]},
                "date": _nullable(_DATE),
                "category": _STR,
                "amount": money,
                "eligible_amount": money,
                "grant": {**money, "description": "This line's share of the grant of its "
                          "measure and fiscal year (rate × their total eligible, rounded down "
                          "once)."},
                "reason": {"type": "string", "enum": list(REASONS)},
                "measure": {**_nullable(_STR), "description": "Key of the measure that counted "
                            "the line; null when none applies."},
                "measure_version": _nullable({"type": "integer"}),
                "message": {"type": "string", "description": "Why, in the requested language."},
            },
        },
        "FiscalYearTotal": {
            "type": "object",
            "required": ["fiscal_year", "fiscal_year_label", "amount", "eligible_amount",
                         "grant"],
            "properties": {
                "fiscal_year": {"type": "integer"}, "fiscal_year_label": _STR,
                "amount": money, "eligible_amount": money, "grant": money,
                "measures": {"type": "array", "items": _STR,
                             "description": "Keys of the measures registered for the year."},
                "notice": {**_nullable(_STR), "description": "Says that no measure is "
                           "registered for the year, when none is."},
            },
        },
        "SubsidyResult": {
            "type": "object",
            "required": ["municipality_code", "municipality_name", "municipality_kind", "lines",
                         "fiscal_years", "total_grant"],
            "properties": {
                "municipality_code": _CODE6,
                "municipality_name": _STR,
                "municipality_kind": _STR,
                "lines": {"type": "array",
                          "items": {"$ref": "#/components/schemas/SubsidyLineResult"}},
                "fiscal_years": {"type": "array",
                                 "items": {"$ref": "#/components/schemas/FiscalYearTotal"}},
                "total_amount": money,
                "total_eligible": money,
                "total_grant": money,
                "covered_fiscal_years": {"type": "array", "items": {"type": "integer"}},
                "measure_ended": {"type": "boolean"},
                "notice": _nullable(_STR),
            },
        },
        "SubsidyErrors": {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array",
                                      "items": {"$ref": "#/components/schemas/FieldError"}}},
        },
    }
