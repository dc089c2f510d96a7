"""PURE: the public API's request schemas, described once — the shared machinery.

Each pydantic model both validates a request (the views refuse what it refuses) and produces
that request's part of /api/v1/openapi.json, so the document cannot be looser or stricter
than the server. pydantic, because it emits JSON Schema 2020-12 — OpenAPI 3.1's own dialect —
from plain typed classes without tying the API to a Flask extension. The models live with the
routes' domains (api/schema.py for the listing, subsidies/request_schema.py for the estimate,
municipalities_query here for geo's list) so no folder imports the api folder; enumerations
come from talentmatch/vocab.py and the master list.

The views still run their domain parsing for its messages; a request passes only if both
accept it, and every value a model accepts is one the domain accepts too
(tests/api/test_api_schema.py and tests/api/test_schemathesis.py hold them to it).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.vocab import PREFECTURE_CODES

MASTER = Path(__file__).resolve().parent / "data" / "municipalities.csv"

MSG_INVALID = N_("This value is not one the API accepts (see /api/v1/openapi.json).")
MSG_BOTH = N_("Give either a date or a fiscal year, not both.")


@lru_cache(maxsize=1)
def codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every body's code, the municipalities' codes) of the master list."""
    with MASTER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return (tuple(r["code"] for r in rows),
            tuple(r["code"] for r in rows if r["kind"] != "prefecture"))


def choice(values: tuple[str, ...] | list[str]) -> Any:
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


def query_model(name: str, fields: dict[str, Any]) -> type[BaseModel]:
    # Unknown parameters are ignored (as the listing's own links may carry lang=…).
    return create_model(name, __config__=ConfigDict(extra="ignore"), **fields)


@lru_cache(maxsize=1)
def municipalities_query() -> type[BaseModel]:
    """`GET /api/v1/municipalities`."""
    return query_model("MunicipalitiesQuery", {
        "prefecture": (choice(PREFECTURE_CODES) | None,
                       Field(None, description="Prefecture code 01–47.")),
    })


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
