"""Robustness under hostile input (SECURITY.md 13, 15): the posting template, both imports
and the subsidy calculator never raise on any input and name the field of every error; the
public API answers every input its OpenAPI document allows (and many it does not) without a
500; every upload route refuses an oversized body with 413 and saves nothing; search
strings with LIKE wildcards and quotes find nothing extra."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talentmatch.messages import FieldError
from talentmatch.postings import importing as posting_import
from talentmatch.postings.template import fields, headers
from talentmatch.postings.template import validation as template_validation
from talentmatch.professionals import importing as talent_import
from talentmatch.subsidies import calculation, measures
from talentmatch.subsidies import validation as subsidy_validation
from talentmatch.subsidies.measures import seed_measures
from tests.support.figures import figure
from tests.support.security_world import client_for, url_of

TODAY = date(2026, 11, 26)
FIELD_KEYS = {f.key for f in fields.FIELDS}
FIXTURES_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
               HealthCheck.data_too_large]

# Text that breaks naive code: control characters, RTL marks, NUL, surrogate-free astral
# characters, full-width digits, formula prefixes, SQL and LIKE metacharacters.
NASTY = st.sampled_from([
    "", " ", "\x00", "\r\n", "=1+1", "+81", "-1", "@SUM(A1)", "\t=cmd", "%", "_", "'", '"',
    "\\", "' OR '1'='1", "１２３", "１２，０００円", "令和8年4月1日", "R8.4.1", "2026-02-30",
    "9" * 40, "-0", "NaN", "Infinity", "1e309", "\u202e", "𠮷野家", "ｱｲｳ", "<script>", "a" * 5000,
])
TEXT = st.one_of(NASTY, st.text(max_size=60))
SCALAR = st.one_of(st.none(), TEXT, st.integers(), st.floats(allow_nan=True), st.booleans(),
                   st.dates())
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=4))


def _named(errors: list[FieldError], known: set[str]) -> None:
    for e in errors:
        assert isinstance(e, FieldError)
        assert e.field in known, e.field
        assert e.render().strip(), e


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.dictionaries(st.one_of(st.sampled_from(sorted(FIELD_KEYS)), st.text(max_size=8)),
                            VALUE, max_size=len(FIELD_KEYS) + 3),
       mode=st.sampled_from(["draft", "submit"]))
def test_template_validation_never_raises_and_names_each_field(data, mode):
    cleaned, errors = template_validation.validate(data, mode=mode, today=TODAY,
                                        municipality_exists=lambda code: code == "011002")
    _named(errors, FIELD_KEYS)
    assert set(cleaned) <= FIELD_KEYS  # extra keys (state, id, municipality...) are dropped
    figure("robustness", "template inputs")


def _csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


POSTING_HEADERS = [headers.JA_HEADERS[f.key] for f in fields.FIELDS if f.key in headers.JA_HEADERS]


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES_OK)
@given(raw=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
@example(raw=b"\xef\xbb\xbf", name="a.csv")
@example(raw=b"PK\x03\x04garbage", name="a.xlsx")
@example(raw="募集名称\n".encode("cp932") + b"\x81", name="a.csv")
def test_posting_import_survives_random_bytes(raw, name):
    rows, errors = posting_import.parse_upload(name, raw)
    assert rows or errors
    for e in errors:
        assert e.field == "file" or e.field in FIELD_KEYS or e.row is not None, e
        assert posting_import.render_error(e).strip()
    figure("robustness", "posting import files")


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURES_OK)
@given(columns=st.lists(st.sampled_from(POSTING_HEADERS), min_size=1, max_size=8, unique=True),
       cells=st.lists(st.lists(TEXT, min_size=8, max_size=8), min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
def test_posting_import_random_cells_give_row_and_column_errors(columns, cells, encoding):
    data = _csv_bytes(columns, [row[: len(columns)] for row in cells], encoding)
    rows, errors = posting_import.parse_upload("postings.csv", data)
    if not errors:
        cleaned, errors = posting_import.validate_rows(
            rows, today=TODAY, municipality_exists=lambda c: c == "011002",
            allowed_municipality="011002")
        assert len(cleaned) == len(rows)
    for e in errors:
        assert e.field == "file" or e.row is not None, e
        assert posting_import.render_error(e).strip()
    figure("robustness", "posting import grids")


TALENT_COLUMNS = sorted(talent_import.COLUMNS)


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES_OK)
@given(raw=st.one_of(st.binary(max_size=3000),
                     st.builds(lambda cols, rows, enc: _csv_bytes(cols, rows, enc),
                               st.lists(st.sampled_from(TALENT_COLUMNS), min_size=1, max_size=6,
                                        unique=True),
                               st.lists(st.lists(TEXT, min_size=6, max_size=6), max_size=4),
                               st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))))
def test_talent_list_import_survives_random_input(raw):
    parsed = talent_import.parse_csv(raw)
    for e in parsed.errors:
        assert e.field == "file" or e.field in TALENT_COLUMNS or e.row is not None, e
        assert e.render().strip()
    figure("robustness", "talent list files")


def _lookup(code: str):
    return subsidy_validation.MunicipalityInfo(code, "函館市", "city", "01", "北海道") if code == "012025" else None


LINE = st.fixed_dictionaries({}, optional={
    "fiscal_year": st.one_of(st.integers(-5, 3000), TEXT), "date": st.one_of(TEXT, st.dates().map(str)),
    "category": st.one_of(st.sampled_from(measures.CATEGORIES), TEXT),
    "amount": st.one_of(st.integers(-10**15, 10**15), TEXT, st.floats()), "id": TEXT,
    "note": TEXT,
})
PAYLOAD = st.one_of(
    st.fixed_dictionaries({}, optional={
        "municipality_code": st.one_of(st.just("012025"), TEXT, st.integers()),
        "lines": st.one_of(st.lists(st.one_of(LINE, SCALAR), max_size=6), SCALAR),
        "lang": st.one_of(st.sampled_from(["ja", "en"]), TEXT),
        "participants": st.one_of(st.lists(st.dictionaries(TEXT, SCALAR, max_size=3), max_size=3), SCALAR),
    }),
    st.recursive(SCALAR, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                st.dictionaries(st.text(max_size=5), kids, max_size=3)),
                 max_leaves=10),
)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES_OK)
@given(payload=PAYLOAD)
def test_subsidy_calculator_answers_or_names_the_fields(payload):
    try:
        result = calculation.calculate(payload, _lookup, today=TODAY, measures=seed_measures())
    except subsidy_validation.InvalidInput as exc:
        assert exc.errors
        for e in exc.errors:
            assert e.field and e.render().strip()
        json.dumps(exc.to_dict())
    else:
        assert result is not None
    figure("robustness", "subsidy payloads")


# --------------------------------------------------------------------------- OpenAPI

def _schema_strategy(schema: dict, components: dict) -> st.SearchStrategy:
    """Values the schema allows (enough of JSON Schema for this document)."""
    if "$ref" in schema:
        return _schema_strategy(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    types = schema.get("type", "string")
    if isinstance(types, list):
        return st.one_of(*[_schema_strategy({**schema, "type": t}, components) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "integer":
        return st.integers(schema.get("minimum", -(2**40)), schema.get("maximum", 2**40))
    if types == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False,
                         allow_infinity=False)
    if types == "array":
        return st.lists(_schema_strategy(schema.get("items", {}), components), max_size=4)
    if types == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: _schema_strategy(v, components) for k, v in props.items() if k in required},
            optional={k: _schema_strategy(v, components) for k, v in props.items() if k not in required})
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    if schema.get("format") == "date":
        return st.dates().map(str)
    return st.text(max_size=schema.get("maxLength", 40))


def _not_allowed() -> st.SearchStrategy:
    return st.one_of(NASTY, st.text(max_size=30), st.integers().map(str))


@pytest.fixture(scope="module")
def openapi_doc(app):
    resp = app.test_client().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


def _operations(doc) -> list[tuple[str, str, dict]]:
    return [(p, m, op) for p, ops in doc["paths"].items() for m, op in ops.items()]


def test_the_document_lists_every_api_route(app, openapi_doc):
    documented = {re.sub(r"\{\w+\}", "<>", p) for p, _, _ in _operations(openapi_doc)}
    routes = {re.sub(r"<[^>]+>", "<>", r.rule) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/") and r.endpoint != "api.openapi"}
    assert routes <= documented, routes - documented


@settings(max_examples=250, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_no_500_for_any_input_the_document_describes(world, client, openapi_doc, data):
    components = openapi_doc["components"]["schemas"]
    path, method, op = data.draw(st.sampled_from(_operations(openapi_doc)))
    query, url = {}, path
    for param in op.get("parameters", []):
        if param["in"] == "path":
            value = data.draw(st.one_of(_schema_strategy(param["schema"], components),
                                        st.sampled_from([world["published_a"], world["draft_b"]])))
            url = url.replace("{" + param["name"] + "}", str(value))
        elif data.draw(st.booleans()):
            valid = data.draw(st.booleans())
            query[param["name"]] = data.draw(_schema_strategy(param["schema"], components)
                                             if valid else _not_allowed())
    kwargs = {"query_string": query}
    if method == "post":
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        body = data.draw(st.one_of(_schema_strategy(schema, components), PAYLOAD))
        kwargs = {"data": json.dumps(body, default=str), "content_type": "application/json"}
    resp = client.open(url, method=method.upper(), **kwargs)
    figure("robustness", "API requests")
    assert resp.status_code < 500, (method, url, query, resp.status_code)
    if resp.status_code != 404 or url.startswith("/api/"):
        assert resp.is_json, (url, resp.content_type)
    if resp.status_code >= 400:
        assert str(resp.status_code) in op["responses"] or resp.status_code == 404, (url, resp.status_code)


# --------------------------------------------------------------------------- uploads

def _upload_routes(app, world) -> list[tuple[str, str, str]]:
    """Every POST route whose page has a file input, with the role that uses it."""
    from tests.security.test_authorization_matrix import DENIED
    from tests.security.test_authorization_matrix import ROWS as MATRIX

    found = []
    for endpoint, method, spec, expected in MATRIX:
        if method != "GET":
            continue
        role = next((r for r in ("muni", "pref", "min", "pro") if expected[r] == "200"), None)
        if role is None:
            continue
        posts = [(e, s) for e, m, s, x in MATRIX if m == "POST" and e == endpoint and x[role] not in DENIED]
        if not posts:
            continue
        page = client_for(app, world, role).get(url_of(app, world, endpoint, spec))
        if 'type="file"' in page.get_data(as_text=True):
            found.append((endpoint, role, url_of(app, world, endpoint, spec)))
    # The subsidy page's import form posts to its own route.
    html = client_for(app, world, "muni").get("/subsidies").get_data(as_text=True)
    if 'type="file"' in html:
        found.append(("subsidies.import_lines", "muni", "/subsidies/import"))
    return found


def test_oversized_uploads_get_413_on_every_upload_route(app, world):
    from sqlalchemy import func, select

    from talentmatch.extensions import db

    routes = _upload_routes(app, world)
    assert {e for e, _, _ in routes} >= {"postings.import_file", "subsidies.import_lines",
                                          "pool.import_list"}, routes
    limit = app.config["MAX_CONTENT_LENGTH"]
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
              for t in db.metadata.sorted_tables if t.name not in ("audit_event", "user_session")}
    for endpoint, role, url in routes:
        body = b"a;b\r\n" * (limit // 5 + 10)
        resp = client_for(app, world, role).post(
            url, data={"file": (io.BytesIO(body), "big.csv"), "consent_obtained": "y"},
            content_type="multipart/form-data")
        assert resp.status_code == 413, (endpoint, resp.status_code)
        assert "Traceback" not in resp.get_data(as_text=True)
        figure("robustness", "upload routes refusing 413")
    db.session.expire_all()
    after = {t: db.session.scalar(select(func.count()).select_from(db.metadata.tables[t]))
             for t in counts}
    assert after == counts


# --------------------------------------------------------------------------- search

SPECIALS = ["%", "_", "'", '"', "\\", "%%", "_%_", "' OR '1'='1", "\\%", "%' --", "[%]", "*"]


@pytest.mark.parametrize("q", SPECIALS)
def test_search_strings_with_wildcards_and_quotes_find_nothing_extra(app, world, q):
    client = app.test_client()
    everything = client.get("/api/v1/postings").get_json()
    assert everything["total"] >= 3
    found = client.get("/api/v1/postings", query_string={"q": q}).get_json()
    assert found["total"] == 0, (q, found["total"])
    page = client.get("/postings", query_string={"q": q})
    assert page.status_code == 200
    assert "DX推進アドバイザー" not in page.get_data(as_text=True).split("<main", 1)[-1]
    pref = client_for(app, world, "pref")

    def pool_rows(**query) -> str:  # the search result table only, not recent introductions
        html = pref.get("/prefectures/01/pool", query_string=query).get_data(as_text=True)
        found = re.search(r'<table class="pool">.*?</table>', html, re.S)
        return found.group(0) if found else ""

    assert "MKXperson" in pool_rows()
    for key in ("q", "tag"):
        assert "MKXperson" not in pool_rows(**{key: q}), (key, q)
    figure("robustness", "search strings checked")
