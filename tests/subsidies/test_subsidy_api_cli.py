"""The calculator's contract through POST /api/v1/subsidy/estimate and `flask subsidy estimate`,
and the one test that holds the API, the CLI and the staff page to the same figures."""

from __future__ import annotations

import json
from datetime import timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from talentmatch.accounts.models import UserSession
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.subsidies import calculation, validation
from talentmatch.subsidies.measures import seed_measures
from talentmatch.subsidies.models import CostLine
from tests.support.factories import login, make_user
from tests.support.subsidies import HAKODATE, HOKKAIDO, SHIBUYA, master_lookup, parse_csv

API = "/api/v1/subsidy/estimate"

# Recruitment over the cap (FY2023: 700,000 + 600,000 against 1,000,000), an outsourcing fee
# after the measure ended, a full-time salary (not covered), recruitment before FY2022 and a
# remuneration given by fiscal year only.
LINES = [
    {"id": "r1", "date": "2023-06-30", "category": "recruitment", "amount": 700_000},
    {"id": "r2", "date": "2023-09-15", "category": "recruitment", "amount": 600_000},
    {"id": "o1", "date": "2026-05-10", "category": "outsourcing_fee", "amount": 450_000},
    {"id": "f1", "fiscal_year": 2024, "category": "full_time_salary", "amount": 5_000_000},
    {"id": "r0", "date": "2021-11-01", "category": "recruitment", "amount": 300_000},
    {"id": "s1", "fiscal_year": 2022, "category": "special_part_time_remuneration", "amount": 1_234_567},
]


def _post(client, payload, **kw):
    data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(API, data=data, content_type="application/json", **kw)


def _cli(runner, payload, *args):
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return runner.invoke(args=["subsidy", "estimate", *args, "-"], input=text)


def test_api_cli_and_page_give_the_same_figures(app, client, auth, runner, ctx):
    payload = {"municipality_code": HAKODATE, "lines": LINES}

    api = _post(client, payload)
    assert api.status_code == 200, api.get_data(as_text=True)
    api_json = api.get_json()

    cli = _cli(runner, payload)
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout) == api_json
    assert "函館市" in cli.stdout  # ensure_ascii=False: Japanese stays readable

    # Independent expectation from the pure calculator and the master list.
    expected = calculation.calculate(payload, master_lookup, measures=seed_measures()).to_dict()
    assert api_json["lines"] == expected["lines"]
    assert api_json["total_grant"] == expected["total_grant"] == 500_000 + 617_283

    # The same lines typed into the staff page, then the page's own CSV download.
    staff = make_user("municipality", municipality_code=HAKODATE)
    auth.login(staff)
    for ln in LINES:
        form = {"category": ln["category"], "amount": f"{ln['amount']:,}", "note": ln["id"],
                "date": ln.get("date", ""), "fiscal_year": str(ln.get("fiscal_year", ""))}
        r = client.post("/subsidies/lines", data=form)
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    page = client.get("/subsidies")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    with app.test_request_context(), force_locale("ja"):
        from talentmatch.i18n import yen

        assert yen(api_json["total_grant"]) in html

    rows = parse_csv(client.get("/subsidies/estimate.csv").data)
    page_lines = {r["note"]: r for r in rows if r["row_type"] == "line"}
    assert set(page_lines) == {ln["id"] for ln in LINES}
    for ln in api_json["lines"]:
        got = page_lines[ln["id"]]
        for key in ("fiscal_year", "amount", "eligible_amount", "grant"):
            assert int(got[key]) == ln[key], (ln["id"], key)
        for key in ("fiscal_year_label", "category", "reason", "message"):
            assert got[key] == ln[key], (ln["id"], key)
        assert got["date"] == (ln["date"] or "")
    page_fys = [r for r in rows if r["row_type"] == "fiscal_year"]
    assert [(int(r["fiscal_year"]), int(r["amount"]), int(r["eligible_amount"]), int(r["grant"]))
            for r in page_fys] == [
        (f["fiscal_year"], f["amount"], f["eligible_amount"], f["grant"]) for f in api_json["fiscal_years"]]
    total = next(r for r in rows if r["row_type"] == "total")
    assert int(total["grant"]) == api_json["total_grant"]
    assert total["message"] == api_json["notice"]


BAD = {
    "municipality_code": "012026",  # wrong check digit
    "lines": [
        {"id": "a", "date": "2023-06-30", "category": "recruitment", "amount": -1},
        {"id": "b", "fiscal_year": 2023, "category": "travel", "amount": 100},
        {"id": "c", "category": "outsourcing_fee", "amount": 100},
        {"id": "d", "date": "2023-02-30", "category": "outsourcing_fee", "amount": 1.5},
        {"id": "a", "fiscal_year": 2023, "category": "recruitment", "amount": 1.5},
    ],
}
BAD_FIELDS = {"municipality_code", "lines[0].amount", "lines[1].category", "lines[2].date",
              "lines[3].date", "lines[3].amount", "lines[4].amount"}


def test_invalid_input_is_refused_naming_every_field(client, runner):
    r = _post(client, BAD)
    assert r.status_code == 400
    errors = r.get_json()["errors"]
    assert {e["field"] for e in errors} == BAD_FIELDS
    assert all(e["message"] for e in errors)
    check = next(e for e in errors if e["field"] == "municipality_code")
    assert check["message"] == "012026は検査数字が誤っています（末尾は5になるはずです）。"

    cli = _cli(runner, BAD)
    assert cli.exit_code == 2
    assert cli.stdout == ""
    assert json.loads(cli.stderr) == r.get_json()


def test_unknown_code_and_missing_fields(client, runner):
    r = _post(client, {"municipality_code": "999997"})
    assert r.status_code == 400
    assert {e["field"] for e in r.get_json()["errors"]} == {"municipality_code", "lines"}
    cli = _cli(runner, {"lines": []})
    assert cli.exit_code == 2
    assert {e["field"] for e in json.loads(cli.stderr)["errors"]} == {"municipality_code", "lines"}


def test_non_json_and_oversized_bodies_get_400_with_errors(client, runner):
    for body in (b"not json", b"{\"municipality_code\": ", b"\xff\xfe garbage", b"[1, 2]"):
        r = _post(client, body)
        assert r.status_code == 400, body
        assert r.is_json and r.get_json()["errors"][0]["field"] == "payload"
    big = json.dumps({"municipality_code": HAKODATE, "lines": [], "pad": "x" * 300_000})
    r = _post(client, big)
    assert r.status_code == 400
    assert r.get_json()["errors"][0]["field"] == "payload"
    assert "262144" in r.get_json()["errors"][0]["message"]
    cli = _cli(runner, "{oops")
    assert cli.exit_code == 2
    assert json.loads(cli.stderr)["errors"][0]["field"] == "payload"


def test_language_from_payload_cookie_or_accept_language(client, runner):
    payload = {"municipality_code": HOKKAIDO,
               "lines": [{"id": "a", "fiscal_year": 2023, "category": "recruitment", "amount": 1}]}
    ja = _post(client, payload).get_json()
    assert ja["lines"][0]["reason"] == "body_not_covered"
    assert ja["lines"][0]["fiscal_year_label"] == "令和5年度"
    assert "対象外" in ja["lines"][0]["message"]

    en = _post(client, payload, headers={"Accept-Language": "en-US,en;q=0.9"}).get_json()
    assert en["lines"][0]["fiscal_year_label"] == "FY2023"
    assert en["lines"][0]["message"].startswith("Not covered")

    client.set_cookie("tm_lang", "en")
    assert _post(client, payload).get_json()["lines"][0]["fiscal_year_label"] == "FY2023"
    # The payload's own "lang" wins over the cookie.
    assert _post(client, dict(payload, lang="ja")).get_json()["lines"][0]["fiscal_year_label"] == "令和5年度"
    r = _post(client, dict(payload, lang="fr"))
    assert r.status_code == 400 and r.get_json()["errors"][0]["field"] == "lang"

    cli = _cli(runner, payload, "--lang", "en")
    assert json.loads(cli.stdout)["lines"][0]["fiscal_year_label"] == "FY2023"
    cli = _cli(runner, dict(payload, lang="en"))
    assert json.loads(cli.stdout)["notice"].startswith("The special grant covered costs through FY2025")


def test_special_ward_is_not_a_recipient(client):
    r = _post(client, {"municipality_code": SHIBUYA, "lines": [
        {"id": "a", "fiscal_year": 2023, "category": "outsourcing_fee", "amount": 1_000_000}]})
    assert r.get_json()["lines"][0]["reason"] == "body_not_covered"
    assert r.get_json()["total_grant"] == 0


def test_api_needs_no_login_no_csrf_and_leaves_the_session_alone(csrf_app, ctx):
    client = csrf_app.test_client()
    payload = {"municipality_code": HAKODATE,
               "lines": [{"id": "a", "fiscal_year": 2023, "category": "recruitment", "amount": 10}]}
    assert _post(client, payload).status_code == 200  # no CSRF token, no login

    # A logged-in staff member calling the API: its session is neither read nor refreshed.
    app = csrf_app
    app.config["WTF_CSRF_ENABLED"] = False
    staff = make_user("municipality", municipality_code=HAKODATE)
    login(client, staff)
    app.config["WTF_CSRF_ENABLED"] = True
    sess = db.session.scalar(select(UserSession).where(UserSession.user_id == staff.id))
    old = utcnow() - timedelta(minutes=10)
    sess.last_seen_at = old
    db.session.commit()

    r = _post(client, payload)
    assert r.status_code == 200
    assert "Set-Cookie" not in r.headers
    db.session.expire_all()
    assert abs((db.session.get(UserSession, sess.id).last_seen_at - old).total_seconds()) < 1

    # Whereas a page view refreshes it (so the check above can fail).
    assert client.get("/subsidies").status_code == 200
    db.session.expire_all()
    assert db.session.get(UserSession, sess.id).last_seen_at > old + timedelta(minutes=5)

    # Other POSTs still need the CSRF token.
    r = client.post("/subsidies/lines", data={"category": "recruitment", "amount": "1", "fiscal_year": "2023"})
    assert r.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 0


def test_error_messages_follow_the_catalogue(app, client):
    r = _post(client, {"municipality_code": HAKODATE, "lines": "x", "lang": "en"})
    msg = r.get_json()["errors"][0]["message"]
    with app.test_request_context(), force_locale("en"):
        assert msg == gettext(validation.ERR_LINES_LIST)
