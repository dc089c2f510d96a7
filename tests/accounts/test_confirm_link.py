"""A garbled or expired confirmation link says so at once — no "confirm" button first — and
offers to send a new confirmation (not a password reset), revealing nobody's registration."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from talentmatch.accounts.models import OneTimeToken, User
from talentmatch.db import utcnow
from talentmatch.extensions import db
from tests.support.factories import make_user
from tests.support.mail import body, links, mailbox

PASSPHRASE = "とても長い日本語のパスフレーズ"


def _register(client, email="hanako@example.jp"):
    resp = client.post("/register", data={"display_name": "山田 花子", "email": email,
                                          "password": PASSPHRASE, "consent": "y"})
    assert resp.status_code == 200


def _confirm_links(app) -> list[str]:
    return [urlsplit(link).path for msg in mailbox(app) for link in links(msg, "/confirm/")]


def test_garbage_link_says_so_at_once_and_offers_a_new_confirmation(client, ctx):
    for path in ("/confirm/garbage", "/confirm/eyJhbGciOiJIUzI1NiJ9.x.y", "/confirm/" + "A" * 300):
        resp = client.get(path)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 400, path
        assert "この確認用リンクは使えません" in page
        assert "確認用メールを再送する" in page and 'action="/confirm/resend"' in page
        assert "/password/forgot" not in page.split("<main", 1)[1]  # no password reset offered
        assert "アドレスを確認する" not in page  # no confirm button before the bad news


def test_expired_and_truncated_links_say_so_at_once(app, client, ctx):
    _register(client)
    [link] = _confirm_links(app)
    assert "確認" in client.get(link).get_data(as_text=True)  # a good link: the button
    assert client.get(link[:-6]).status_code == 400  # cut short by a mail program
    db.session.execute(update(OneTimeToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    resp = client.get(link)
    assert resp.status_code == 400 and "この確認用リンクは使えません" in resp.get_data(as_text=True)
    assert client.post(link).status_code == 400  # and the button's POST refuses it the same way


def test_a_used_link_of_a_confirmed_person_sends_them_to_log_in(app, client, ctx):
    _register(client)
    [link] = _confirm_links(app)
    assert client.post(link).status_code == 302
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")


def test_resend_mails_a_new_working_link_to_an_unconfirmed_person(app, client, ctx):
    _register(client)
    [first] = _confirm_links(app)
    resp = client.post("/confirm/resend", data={"email": "Hanako@Example.jp"})
    assert resp.status_code == 200 and "hanako@example.jp" in resp.get_data(as_text=True).lower()
    paths = _confirm_links(app)
    assert len(paths) == 2 and paths[1] != first
    assert client.post(paths[1]).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "hanako@example.jp"))
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    confirm_mails = [m for m in mailbox(app) if "/confirm/" in body(m)]
    assert not any("/password/reset/" in body(m) for m in confirm_mails)


def test_resend_reveals_nobody_and_mails_only_the_unconfirmed(app, client, ctx):
    make_user("professional", email="confirmed@example.jp")
    make_user("municipality", email="clerk@example.jp", municipality_code="011002", confirmed=False)
    pages = {addr: client.post("/confirm/resend", data={"email": addr}).get_data(as_text=True)
             for addr in ("confirmed@example.jp", "clerk@example.jp", "nobody@example.jp")}
    assert all(resp.count("確認用リンクを送信しました") == 1 for resp in pages.values())
    assert mailbox(app) == []
    resp = client.post("/confirm/resend", data={"email": ""})
    assert resp.status_code == 400 and 'id="email-error"' in resp.get_data(as_text=True)
