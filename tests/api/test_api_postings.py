"""The read-only JSON API: listing, one posting, errors, and its OpenAPI document."""

from __future__ import annotations

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from talentmatch.api.openapi import document
from tests.support.factories import make_posting

SAPPORO, CHIYODA = "011002", "131016"


@pytest.fixture
def api_world(app):
    with app.app_context():
        yield {
            "sapporo": make_posting(SAPPORO, title="CIO補佐官", remote="full",
                                    publication_channels=["own_website"]).id,
            "chiyoda": make_posting(CHIYODA, title="データ利活用推進員", joint_wish="joint").id,
            "draft": make_posting(SAPPORO, state="draft", title="下書き").id,
            "closed": make_posting(SAPPORO, state="closed", title="終了").id,
            "withdrawn": make_posting(SAPPORO, state="withdrawn", title="取下げ").id,
        }


def test_listing_returns_public_fields_only(client, api_world):
    resp = client.get("/api/v1/postings")
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    data = resp.get_json()
    assert (data["page"], data["per_page"], data["total"], data["pages"]) == (1, 20, 2, 1)
    by_id = {item["id"]: item for item in data["items"]}
    assert set(by_id) == {api_world["sapporo"], api_world["chiyoda"]}
    item = by_id[api_world["sapporo"]]
    assert item["title"] == "CIO補佐官" and item["municipality"] == "札幌市"
    assert item["prefecture"] == "北海道" and item["remote"] == "full"
    assert item["url"] == f"http://localhost/postings/{api_world['sapporo']}"
    assert item["participants"] == [{"code": SAPPORO, "name": "札幌市", "share": None}]
    assert item["deadline"] and item["period_start"] and item["first_published_at"]
    for private in ("publication_channels", "search_text", "focus_key", "advice_codes", "state",
                    "created_by_id", "current_revision_id", "comment"):
        assert private not in item, private


def test_filters_and_keyword(client, api_world):
    def got(query):
        return {i["id"] for i in client.get(f"/api/v1/postings?{query}").get_json()["items"]}

    assert got("prefecture=13") == {api_world["chiyoda"]}
    assert got(f"municipality={SAPPORO}") == {api_world["sapporo"]}
    assert got("joint=1") == {api_world["chiyoda"]}
    assert got("remote=full&q=cio") == {api_world["sapporo"]}
    assert got("q=ちよだ") == {api_world["chiyoda"]}
    assert got("q=下書き") == set()


@pytest.mark.parametrize("query,field", [
    ("prefecture=99", "prefecture"), ("prefecture=tokyo", "prefecture"),
    ("municipality=011001", "municipality"),  # wrong check digit
    ("municipality=130001", "municipality"),  # a prefecture, not a municipality
    ("employment_type=boss", "employment_type"), ("focus_area=x", "focus_area"),
    ("remote=sometimes", "remote"), ("joint=maybe", "joint"), ("side_job=2", "side_job"),
    ("sort=random", "sort"), ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"),
    ("per_page=101", "per_page"), ("per_page=0", "per_page"),
    ("prefecture=01&prefecture=13", "prefecture"),
])
def test_bad_parameters_are_refused_naming_them(client, query, field):
    resp = client.get(f"/api/v1/postings?{query}")
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["status"] == 400 and err["field"] == field
    assert field in err["message"]
    assert [e["field"] for e in err["errors"]] == [field]


def test_one_posting_and_404_for_anything_not_public(client, api_world):
    resp = client.get(f"/api/v1/postings/{api_world['chiyoda']}")
    assert resp.status_code == 200 and resp.get_json()["title"] == "データ利活用推進員"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    for key in ("draft", "closed", "withdrawn"):
        resp = client.get(f"/api/v1/postings/{api_world[key]}")
        assert resp.status_code == 404 and resp.is_json, key
        assert resp.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/postings/987654").status_code == 404
    assert client.get("/api/v1/postings/abc").get_json()["error"]["status"] == 404


def test_pagination_parameters(client, app):
    with app.app_context():
        for _ in range(7):
            make_posting(CHIYODA)
    data = client.get("/api/v1/postings?per_page=3&page=3").get_json()
    assert (data["total"], data["pages"], len(data["items"])) == (7, 3, 1)
    assert client.get("/api/v1/postings?per_page=3&page=9").get_json()["items"] == []


def test_openapi_document_is_valid_and_covers_the_api(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    validate(spec)
    assert spec["servers"][0]["url"] == "http://localhost"
    paths = spec["paths"]
    assert set(paths) >= {"/api/v1/postings", "/api/v1/postings/{id}", "/api/v1/municipalities",
                          "/api/v1/subsidy/estimate"}
    params = {p["name"] for p in paths["/api/v1/postings"]["get"]["parameters"]}
    assert params >= {"prefecture", "municipality", "employment_type", "focus_area", "remote",
                      "joint", "side_job", "q", "sort", "page", "per_page"}
    estimate = paths["/api/v1/subsidy/estimate"]["post"]
    assert set(estimate["responses"]) >= {"200", "400"}


def _validator(spec: dict, name: str) -> OAS31Validator:
    """A validator for one component schema, resolving its $refs inside the document."""
    contents = {"$schema": "https://json-schema.org/draft/2020-12/schema", **spec}
    registry = Registry().with_resource("urn:tm-openapi", Resource.from_contents(contents))
    return OAS31Validator({"$ref": f"urn:tm-openapi#/components/schemas/{name}"},
                          registry=registry)


def test_real_responses_match_the_documented_schemas(client, api_world):
    spec = document("http://localhost")
    listing = client.get("/api/v1/postings").get_json()
    _validator(spec, "PostingList").validate(listing)
    one = client.get(f"/api/v1/postings/{api_world['sapporo']}").get_json()
    _validator(spec, "Posting").validate(one)
    _validator(spec, "Error").validate(client.get("/api/v1/postings?page=0").get_json())
    _validator(spec, "Error").validate(client.get("/api/v1/postings/999999").get_json())
    munis = client.get("/api/v1/municipalities?prefecture=47").get_json()
    _validator(spec, "MunicipalityList").validate(munis)
    # The validator does check: a wrong shape is refused.
    with pytest.raises(ValidationError):
        _validator(spec, "Posting").validate({**one, "remote": "sometimes"})
    with pytest.raises(ValidationError):
        _validator(spec, "PostingList").validate({**listing, "items": [{"id": "x"}]})
