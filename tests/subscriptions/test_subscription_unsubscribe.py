"""One-click unsubscribe (RFC 8058): a POST to the signed link from any client, without
cookies or a CSRF token, is the only CSRF-exempt request; a GET or a forged token changes
nothing."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.notifications.models import DROPPED, OutboxMessage
from talentmatch.subscriptions.models import Subscription
from talentmatch.subscriptions.tokens import Minter, read_unsubscribe_token, unsubscribe_token
from tests.support.subscriptions import (
    World,
    eml_files,
    guest,
    posting_mail,
    professional,
    recipients,
    run_worker,
    saved,
    unsubscribe_token_of,
)


def _path(token: str) -> str:
    return f"/unsubscribe/{token}"


def test_one_click_post_without_cookie_or_csrf_token_unsubscribes(csrf_app, ctx):
    pro = professional()
    sub = saved(pro)
    visitor = guest("visitor@example.jp")
    world = World()
    world.publish()
    run_worker()
    by_address = {m.to_email: m for m in posting_mail()}
    client = csrf_app.test_client()  # a mail client: no session, no cookie, no form token
    for message in by_address.values():
        r = client.post(_path(unsubscribe_token_of(message)),
                        data={"List-Unsubscribe": "One-Click"})
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
    db.session.expire_all()
    # The professional's saved search stays, switched off; the visitor's goes with the address.
    assert db.session.get(Subscription, sub.id).unsubscribed_at is not None
    assert db.session.get(Subscription, visitor.id) is None
    # Nothing more arrives for either of them.
    world.publish(title="別のCIO補佐官")
    run_worker()
    assert [m.to_email for m in posting_mail()].count(pro.email) == 1
    assert recipients().count("visitor@example.jp") == 1
    # Unsubscribing twice is fine.
    assert client.post(_path(unsubscribe_token_of(by_address[pro.email]))).status_code == 200


def test_other_subscription_posts_still_need_the_csrf_token(csrf_app, ctx):
    client = csrf_app.test_client()
    r = client.post("/subscribe", data={"email": "a@example.jp", "frequency": "daily", "locale": "ja"})
    assert r.status_code == 400
    assert db.session.scalars(select(Subscription)).all() == []


def test_get_shows_a_button_and_changes_nothing(client, ctx):
    sub = saved(professional())
    page = client.get(_path(unsubscribe_token(sub.id)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'method="post"' in html and _path(unsubscribe_token(sub.id)) in html
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).unsubscribed_at is None


def test_forged_or_tampered_tokens_change_nothing(csrf_app, ctx):
    mine = saved(professional())
    other = saved(professional())
    token = unsubscribe_token(mine.id)
    payload, signature = token.split(".")
    from itsdangerous import URLSafeSerializer

    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature changed
        unsubscribe_token(other.id).split(".")[0] + "." + signature,  # another id, my signature
        URLSafeSerializer("not-our-key", salt="talentmatch:unsubscribe").dumps(other.id),
        URLSafeSerializer(csrf_app.config["SECRET_KEY"], salt="talentmatch:other").dumps(other.id),
        payload, "", "x" * 300, "%2e%2e",
    ]
    client = csrf_app.test_client()
    for bad in forged:
        r = client.post(_path(bad)) if bad else client.post("/unsubscribe/")
        assert r.status_code in (400, 404, 405), (bad, r.status_code)
        assert client.get(_path(bad) if bad else "/unsubscribe/").status_code in (400, 404)
    db.session.expire_all()
    assert db.session.get(Subscription, mine.id).unsubscribed_at is None
    assert db.session.get(Subscription, other.id).unsubscribed_at is None


def test_fast_tokens_are_the_signed_tokens(ctx):
    mint = Minter()
    for sub_id in (1, 9, 10, 12345, 99_999_999):
        assert mint(sub_id) == unsubscribe_token(sub_id)
        assert read_unsubscribe_token(mint(sub_id)) == sub_id


def test_unsubscribing_drops_mail_not_yet_sent(ctx):
    sub = saved(professional())
    World().publish()
    from talentmatch.notifications.models import OutboxEvent
    from talentmatch.subscriptions import fanout

    fanout.handle_published(db.session.scalars(select(OutboxEvent)).one())  # expand, send nothing
    db.session.commit()
    message = posting_mail()[0]
    from talentmatch.subscriptions import services

    assert services.unsubscribe(unsubscribe_token_of(message))
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == DROPPED
    assert db.session.get(Subscription, sub.id).unsubscribed_at is not None


def test_every_subscription_mail_file_carries_the_headers(app, ctx):
    subscriber = professional()
    saved(subscriber, frequency="immediately")
    World().publish()
    run_worker()
    # Publishing also tells the municipality's staff (workflow mail, not a subscription).
    mails = [m for m in eml_files(app)
             if m["X-TalentMatch-Outbox-Id"] and subscriber.email in str(m["To"])]
    assert mails
    for msg in mails:
        assert str(msg["List-Unsubscribe"]).strip().startswith("<http://localhost/unsubscribe/")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
