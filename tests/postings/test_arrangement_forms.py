"""The two employment forms that followed FY2025 — 任期付職員 (fixed_term_staff) and
企業からの派遣・出向 (company_secondment) — end to end: the template form, the spreadsheet
import, the listing's filter, exports, the posting page's words and JSON-LD, the API, the
professional's accepted forms and the matcher."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from talentmatch.professionals import profile
from talentmatch.subsidies import costs
from tests.postings.test_posting_import import _upload, csv_bytes
from tests.support.factories import login, make_posting
from tests.support.matching import make_pro
from tests.support.postings import MUNI_A, clerk, form_data

NEW_FORMS = ("fixed_term_staff", "company_secondment")


def _posted() -> list[Posting]:
    db.session.expire_all()
    return db.session.scalars(select(Posting).order_by(Posting.id)).all()


@pytest.mark.parametrize("form", NEW_FORMS)
def test_the_template_form_saves_each_new_form(ctx, client, form):
    login(client, clerk())
    page = client.get("/my/postings/new").get_data(as_text=True)
    assert f'value="{form}"' in page
    resp = client.post("/my/postings/new", data=form_data(employment_type=form, action="save"))
    assert resp.status_code == 302
    [posting] = _posted()
    assert posting.current_revision.employment_type == form


def test_an_unknown_form_is_refused_on_its_field_and_nothing_is_saved(ctx, client):
    login(client, clerk())
    resp = client.post("/my/postings/new",
                       data=form_data(employment_type="secondment_typo", action="save"))
    assert resp.status_code == 400
    assert re.search(r'id="employment_type-error">[^<]+</p>', resp.get_data(as_text=True))
    assert _posted() == []


def test_the_import_accepts_the_japanese_spellings(ctx, client):
    login(client, clerk(locale="en"))
    rows = [form_data(title="任期付CIO補佐官", employment_type="任期付職員"),
            form_data(title="出向DXアドバイザー", employment_type="企業からの派遣・出向"),
            form_data(title="出向2", employment_type="出向")]
    resp = _upload(client, csv_bytes(rows))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert [p.current_revision.employment_type for p in _posted()] == [
        "fixed_term_staff", "company_secondment", "company_secondment"]


@pytest.fixture
def published(ctx):
    ids = {form: make_posting(MUNI_A, title=f"{form}の募集", employment_type=form,
                              compensation_amount=400000, compensation_unit="month").id
           for form in (*NEW_FORMS, "special_part_time")}
    db.session.commit()
    return ids


@pytest.mark.parametrize("form", NEW_FORMS)
def test_listing_filter_api_and_exports_know_the_new_forms(client, published, form):
    listing = client.get(f"/postings?employment_type={form}").get_data(as_text=True)
    assert f"/postings/{published[form]}" in listing
    others = [pid for f, pid in published.items() if f != form]
    assert all(f'href="/postings/{pid}"' not in listing for pid in others)

    api = client.get(f"/api/v1/postings?employment_type={form}").get_json()
    assert [item["id"] for item in api["items"]] == [published[form]]
    assert api["items"][0]["employment_type"] == form
    spec = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/postings"]["get"]["parameters"]}
    assert form in params["employment_type"]["schema"]["enum"]

    csv_text = client.get("/postings.csv").get_data(as_text=True)
    label = {"fixed_term_staff": "任期付職員", "company_secondment": "企業からの派遣・出向"}[form]
    assert label in csv_text
    # The Excel file MIC publishes (one sheet per prefecture) and the Atom feed too.
    book = openpyxl.load_workbook(io.BytesIO(client.get("/postings.xlsx").get_data()))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert label in cells
    assert label in client.get("/feed.atom").get_data(as_text=True)


def test_posting_page_words_and_json_ld(client, published):
    fixed = client.get(f"/postings/{published['fixed_term_staff']}").get_data(as_text=True)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', fixed,
                              re.S).group(1))
    assert ld["employmentType"] == "TEMPORARY"
    # The clerk's words for this form: 給料・給与 for the pay, 任期 for the period.
    assert "<dt>給料・給与</dt>" in fixed and "<dt>任期</dt>" in fixed

    seconded = client.get(f"/postings/{published['company_secondment']}?lang=en")
    html = seconded.get_data(as_text=True)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html,
                              re.S).group(1))
    assert ld["employmentType"] == "CONTRACTOR"
    assert "<dt>Contribution to the company</dt>" in html
    assert "<dt>Period of secondment</dt>" in html


def test_professionals_accept_the_forms_and_the_matcher_filters_on_them(client, runner, published):
    assert profile.choice_value("accepted_employment_types", "任期付職員") == "fixed_term_staff"
    assert profile.choice_value("accepted_employment_types", "派遣・出向") == "company_secondment"
    seconded_only = make_pro("出向のみ 一郎", skills=["bpr"],
                             accepted_employment_types=["company_secondment"])
    anything = make_pro("どれでも 二郎", skills=["bpr"])
    result = runner.invoke(args=["match", "rank", str(published["fixed_term_staff"]), "--json",
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output.strip().splitlines()[-1])
    assert [c["professional_id"] for c in body["candidates"]] == [anything.id]
    reasons = {e["professional_id"]: e["reason"] for e in body["excluded"]}
    assert reasons[seconded_only.id] == "Does not accept appointment as fixed-term staff"

    result = runner.invoke(args=["match", "rank", str(published["company_secondment"]), "--json"])
    body = json.loads(result.output.strip().splitlines()[-1])
    assert {c["professional_id"] for c in body["candidates"]} == {anything.id, seconded_only.id}


def test_their_costs_have_categories_of_their_own():
    assert costs.EMPLOYMENT_CATEGORY["fixed_term_staff"] == "fixed_term_staff_salary"
    assert costs.EMPLOYMENT_CATEGORY["company_secondment"] == "secondment_contribution"
