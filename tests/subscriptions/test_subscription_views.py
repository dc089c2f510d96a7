"""Professionals manage their saved searches; nobody else sees or changes them."""

from __future__ import annotations

from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.subscriptions.models import Subscription
from tests.support.factories import make_user
from tests.support.subscriptions import professional, saved


def test_professional_creates_edits_and_deletes_a_saved_search(client, auth, ctx):
    x = professional(locale="en")
    auth.login(x)
    # From a listing search: the form is pre-filled with the listing's parameters.
    page = client.get("/subscriptions/new?prefecture=01&municipality=011002&employment_type="
                      "outsourcing&focus_area=security&remote=full&side_job=1&q=RPA")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="北海道札幌市"' in html and 'value="RPA"' in html
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0

    r = client.post("/subscriptions/new", data={
        "prefecture": ["01", "04"], "employment_type": ["outsourcing"], "focus_area": ["security"],
        "remote": "full", "side_job": "y", "q": "ＲＰＡ 導入", "frequency": "daily", "locale": "ja"})
    assert r.status_code == 302
    sub = db.session.scalars(select(Subscription)).one()
    assert (sub.user_id, sub.prefectures, sub.frequency, sub.locale) == (x.id, ["01", "04"], "daily", "ja")
    assert sub.confirmed_at is not None and sub.q == "ＲＰＡ 導入"

    listing = client.get("/subscriptions").get_data(as_text=True)
    # Its filters in words (English: the user's language).
    for words in ("Hokkaido", "Miyagi", "Outsourcing contract", "Information security",
                  "Fully remote", "Side jobs allowed", "ＲＰＡ 導入", "Daily"):
        assert words in listing, words

    r = client.post(f"/subscriptions/{sub.id}/edit", data={
        "q": "", "municipality": "仙台市", "frequency": "weekly", "locale": "en"})
    assert r.status_code == 302
    db.session.expire_all()
    sub = db.session.get(Subscription, sub.id)
    assert (sub.prefectures, sub.municipality, sub.frequency, sub.q) == ([], "041009", "weekly", "")

    assert client.post(f"/subscriptions/{sub.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_bad_input_names_the_field_and_saves_nothing(client, auth, ctx):
    auth.login(professional())
    r = client.post("/subscriptions/new", data={"municipality": "伊達市", "focus_area": ["nope"],
                                                "frequency": "immediately", "locale": "ja"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'href="#municipality"' in html and 'href="#focus_area"' in html
    assert "北海道伊達市" in html and "福島県伊達市" in html  # which ones it could be
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_professional_x_cannot_see_or_change_ys_saved_searches(client, auth, ctx):
    x, y = professional(), professional()
    ys = saved(y, q="ガバメントクラウド")
    auth.login(x)
    assert "ガバメントクラウド" not in client.get("/subscriptions").get_data(as_text=True)
    assert client.get(f"/subscriptions/{ys.id}/edit").status_code == 404
    assert client.post(f"/subscriptions/{ys.id}/edit", data={
        "q": "hijack", "frequency": "daily", "locale": "ja"}).status_code == 404
    assert client.post(f"/subscriptions/{ys.id}/delete").status_code == 404
    db.session.expire_all()
    kept = db.session.get(Subscription, ys.id)
    assert (kept.q, kept.frequency) == ("ガバメントクラウド", "immediately")


def test_pages_need_a_professional_login(client, auth, ctx):
    sub = saved(professional())
    for path in ("/subscriptions", "/subscriptions/new", f"/subscriptions/{sub.id}/edit"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.post(f"/subscriptions/{sub.id}/delete").status_code == 302
    staff = make_user("municipality", municipality_code="011002")
    auth.login(staff)
    for path in ("/subscriptions", "/subscriptions/new", f"/subscriptions/{sub.id}/edit"):
        assert client.get(path).status_code == 403
    assert client.post(f"/subscriptions/{sub.id}/delete").status_code == 403
    assert db.session.get(Subscription, sub.id) is not None


def test_a_logged_in_professional_subscribing_from_the_listing_gets_the_saved_search_form(client, auth, ctx):
    auth.login(professional())
    r = client.get("/subscribe?prefecture=13&q=AI")
    assert r.status_code == 302
    assert "/subscriptions/new" in r.headers["Location"] and "prefecture=13" in r.headers["Location"]


def test_the_subscribe_box_carries_the_listing_search(app, ctx):
    from flask import render_template

    with app.test_request_context("/postings?prefecture=01&q=%E3%82%BB&page=3&sort=newest"):
        html = render_template("subscriptions/_subscribe_box.html")
    assert 'name="prefecture" value="01"' in html and 'name="q" value="セ"' in html
    assert 'name="page"' not in html and 'name="sort"' not in html
    assert 'action="/subscribe"' in html and 'method="get"' in html
