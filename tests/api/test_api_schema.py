"""One schema (api/schema.py) validates the API's requests and writes the OpenAPI document;
CORS on every /api/ answer; 405 with Allow."""

from __future__ import annotations

import json

from talentmatch import vocab
from talentmatch.api import schema
from talentmatch.subsidies import validation
from tests.support.factories import make_posting

ESTIMATE = "/api/v1/subsidy/estimate"
LINE = {"id": "a", "date": "2023-06-30", "category": "recruitment", "amount": 800_000}


def _post(client, payload, **kw):
    return client.post(ESTIMATE, data=json.dumps(payload), content_type="application/json", **kw)


def _params(doc, path):
    return {p["name"]: p["schema"] for p in doc["paths"][path]["get"]["parameters"]}


def test_the_document_is_generated_from_the_request_models(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    params = _params(doc, "/api/v1/postings")
    assert params["employment_type"]["enum"] == list(vocab.values(vocab.EMPLOYMENT_TYPES))
    assert params["focus_area"]["enum"] == list(vocab.values(vocab.FOCUS_AREAS))
    assert params["prefecture"]["enum"] == list(vocab.PREFECTURE_CODES)
    assert "011002" in params["municipality"]["enum"] and "010006" not in params["municipality"]["enum"]
    assert params["page"] == {"type": "integer", "minimum": 1, "maximum": schema.MAX_PAGE, "default": 1}
    body = doc["components"]["schemas"]["SubsidyRequest"]
    assert body == schema.body_schemas(schema.subsidy_request())["SubsidyRequest"]
    line = doc["components"]["schemas"]["SubsidyLine"]
    assert line["properties"]["amount"]["maximum"] == validation.MAX_AMOUNT - 1
    assert line["oneOf"] == [{"required": ["date"]}, {"required": ["fiscal_year"]}]


def test_values_the_schema_refuses_are_refused(app, client):
    with app.app_context():
        make_posting("011002")
    assert client.get("/api/v1/postings").status_code == 200
    for query in ("prefecture=", "page=1.0", "page= 1", f"page={schema.MAX_PAGE + 1}",
                  "joint=TRUE", "q=" + "あ" * 201, "sort=", "municipality=010006"):
        r = client.get(f"/api/v1/postings?{query}")
        assert r.status_code == 400, query
        assert r.get_json()["error"]["field"] == query.split("=")[0], query
    assert client.get("/api/v1/municipalities?prefecture=").status_code == 400
    assert client.get("/api/v1/municipalities?prefecture=13").get_json()["count"] > 0


def test_the_estimate_takes_what_the_schema_takes_and_refuses_the_rest(client):
    ok = {"municipality_code": "012025", "lines": [
        LINE, dict(LINE, amount=100_000.0), dict(LINE, id=" ", fiscal_year=2024, date=None)]}
    ok["lines"][2].pop("date")
    r = _post(client, ok)
    assert r.status_code == 200, r.get_json()
    # Repeated ids are the caller's labels: answered in input order.
    assert [ln["id"] for ln in r.get_json()["lines"]] == ["a", "a", " "]
    assert _post(client, {"municipality_code": "012025", "lines": [dict(LINE, id="a"),
                                                                  dict(LINE, id="a")]}).status_code == 200
    both = _post(client, {"municipality_code": "012025", "lang": "en",
                          "lines": [dict(LINE, fiscal_year=2023)]})
    assert both.status_code == 400
    assert both.get_json()["errors"] == [{"field": "lines[0]",
                                          "message": "Give either a date or a fiscal year, not both."}]
    for bad in ({"lang": None}, {"municipality_code": " 012025"}, {"extra": 1} | {"lines": [
            dict(LINE, amount=True)]}):
        r = _post(client, {"municipality_code": "012025", "lines": [LINE]} | bad)
        assert r.status_code == 400, bad
        assert r.get_json()["errors"][0]["field"] in {"lang", "municipality_code", "lines[0].amount"}


def test_every_api_answer_allows_any_origin_and_the_estimate_answers_a_preflight(app, client):
    with app.app_context():
        make_posting("011002")
    for resp in (client.get("/api/v1/postings"), client.get("/api/v1/municipalities?prefecture=01"),
                 _post(client, {"municipality_code": "012025", "lines": [LINE]}),
                 _post(client, {"municipality_code": "x", "lines": []})):
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options(ESTIMATE, headers={"Origin": "https://example.org",
                                            "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()
    # Pages are not shared with other sites.
    assert "Access-Control-Allow-Origin" not in client.get("/postings").headers


def test_405_names_the_allowed_methods(client):
    for method, path in (("TRACE", "/api/v1/postings"), ("DELETE", ESTIMATE), ("PUT", "/postings"),
                         ("POST", "/healthz")):
        r = client.open(path, method=method)
        assert r.status_code == 405, (method, path)
        allowed = {m.strip() for m in r.headers["Allow"].split(",")}
        assert method not in allowed and allowed & {"GET", "POST"}, (method, path, allowed)
