"""Visitors subscribe by email alone, with double opt-in: an unconfirmed address gets
nothing but the confirmation mail, and the confirmation link works once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.subscriptions.models import Subscription
from tests.support.subscriptions import World, recipients, run_worker

ADDRESS = "visitor@example.jp"


def _confirm_link() -> str:
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "subscription_confirm")).one()
    assert mail.to_email == ADDRESS
    m = re.search(r"http://localhost(/subscribe/confirm/[^\s\"<]+)", mail.text_body)
    assert m, mail.text_body
    return m.group(1)


def test_double_opt_in_from_a_listing_search(client, ctx):
    # The listing's box opens the form pre-filled with the search (GET saves nothing).
    page = client.get("/subscribe?prefecture=01&q=%E3%82%BB%E3%82%AD%E3%83%A5%E3%83%AA%E3%83%86%E3%82%A3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="セキュリティ"' in html and re.search(r'value="01"[^>]*checked|checked[^>]*value="01"', html)
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0

    r = client.post("/subscribe", data={"email": ADDRESS, "prefecture": "01", "q": "セキュリティ",
                                        "frequency": "immediately", "locale": "ja"})
    assert r.status_code == 200
    sub = db.session.scalars(select(Subscription)).one()
    assert sub.email == ADDRESS and sub.confirmed_at is None and sub.prefectures == ["01"]

    # Unconfirmed: a matching publication sends nothing to the address.
    world = World()
    world.publish(required_skills="情報セキュリティ")
    run_worker()
    assert ADDRESS not in recipients()

    link = _confirm_link()
    # GET shows a button and confirms nothing (mail scanners follow links).
    page = client.get(link)
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).confirmed_at is None
    assert client.post(link).status_code == 200
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).confirmed_at is not None
    # Single use.
    assert client.post(link).status_code == 400
    assert client.get(link).status_code == 400

    world.publish(required_skills="情報セキュリティ", title="セキュリティ担当CIO補佐官")
    run_worker()
    assert recipients().count(ADDRESS) == 1


def test_forged_or_truncated_confirmation_links_confirm_nothing(client, ctx):
    client.post("/subscribe", data={"email": ADDRESS, "frequency": "daily", "locale": "en"})
    link = _confirm_link()
    for bad in (link[:-3] + "abc", link[:-10], "/subscribe/confirm/" + "A" * 40,
                link.replace("/confirm/", "/confirm/x")):
        assert client.post(bad).status_code == 400, bad
    assert db.session.scalars(select(Subscription)).one().confirmed_at is None


def test_bad_input_names_the_field_and_saves_nothing(client, ctx):
    cases = [
        ({"email": "not-an-address", "frequency": "immediately", "locale": "ja"}, "email"),
        ({"email": ADDRESS, "prefecture": "99", "frequency": "immediately", "locale": "ja"}, "prefecture"),
        ({"email": ADDRESS, "municipality": "存在しない市", "frequency": "daily", "locale": "ja"}, "municipality"),
        ({"email": ADDRESS, "municipality": "伊達市", "frequency": "daily", "locale": "ja"}, "municipality"),
        ({"email": ADDRESS, "frequency": "hourly", "locale": "ja"}, "frequency"),
        ({"email": ADDRESS, "q": "x" * 201, "frequency": "daily", "locale": "ja"}, "q"),
    ]
    for data, field in cases:
        r = client.post("/subscribe", data=data)
        html = r.get_data(as_text=True)
        assert r.status_code == 200
        assert f'href="#{field}"' in html, (field, html[:2000])
    assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_ambiguous_municipality_is_resolved_by_prefecture(client, ctx):
    r = client.post("/subscribe", data={"email": ADDRESS, "municipality": "北海道伊達市",
                                        "frequency": "daily", "locale": "ja"})
    assert r.status_code == 200
    sub = db.session.scalars(select(Subscription)).one()
    assert sub.municipality == "012335"


def test_an_address_is_not_flooded_with_confirmation_mail(client, ctx):
    for _ in range(5):
        client.post("/subscribe", data={"email": ADDRESS, "frequency": "daily", "locale": "ja"})
    sent = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.to_email == ADDRESS))
    assert sent == 3


def test_unconfirmed_visitors_are_forgotten_after_the_link_expires(ctx):
    from datetime import timedelta

    from talentmatch.db import utcnow
    from talentmatch.subscriptions import services

    old = Subscription(email="old@example.jp", frequency="daily", locale="ja",
                       created_at=utcnow() - timedelta(days=8))
    fresh = Subscription(email="fresh@example.jp", frequency="daily", locale="ja")
    db.session.add_all([old, fresh])
    db.session.commit()
    assert services.purge_unconfirmed() == 1
    assert [s.email for s in db.session.scalars(select(Subscription))] == ["fresh@example.jp"]
