"""What waits for staff: the header's counts (「確認待ち 3」), the account's mail setting, and
the daily summary (sent only when something waits, once per day)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event, select

from talentmatch.accounts.models import MAIL_DAILY
from talentmatch.applications import services as applications
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.inbox import counts, digest
from talentmatch.notifications.models import OutboxMessage
from talentmatch.review import services as review
from tests.support.factories import login
from tests.support.matching import make_pro
from tests.support.postings import (
    MUNI_B,
    PREF_Q,
    clerk,
    coordinator,
    ministry,
    published,
    relayed,
    submitted,
)


def _daily(user):
    user.mail_preference = MAIL_DAILY
    db.session.commit()
    return user


def _digests() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff_digest")
                                   .order_by(OutboxMessage.id)))


def test_counts_follow_each_role_and_scope(ctx):
    a, b, p, q, mic = clerk(), clerk(MUNI_B), coordinator(), coordinator(PREF_Q), ministry()
    for _ in range(3):
        submitted(a)
    relayed(b, p)
    returned = submitted(a)
    review.return_posting(p, returned.id, "修正してください")
    assert counts.badges(p) == {"review.prefecture_inbox": ("To review %(count)s", 3)}
    assert counts.badges(q) == {}
    assert counts.badges(mic) == {"review.ministry_inbox": ("To publish %(count)s", 1)}
    assert counts.badges(a) == {"postings.mine": ("Returned %(count)s", 1)}
    assert counts.badges(b) == {}

    posting = published(b, p, mic)
    pro = make_pro("応募 花子")
    applications.apply(pro.user, [posting.id])
    assert counts.badges(b) == {"applications.overview": ("New %(count)s", 1)}
    assert counts.badges(pro.user) == {}


def test_the_header_shows_the_counts_with_one_query_each(app, ctx):
    a, p = clerk(), coordinator()
    for _ in range(3):
        submitted(a)
    c = app.test_client()
    login(c, p)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if "count(" in statement.lower() and "posting_revision" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = c.get("/account").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert '<span class="nav-badge">確認待ち 3</span>' in page
    assert len(statements) == 1
    # On a phone the menu folds the counts away; its button carries their sum.
    button = re.search(r'<button type="button" class="menu-toggle.*?</button>', page, re.S).group(0)
    badge = '<span class="nav-badge"><span class="visually-hidden"> 要対応 </span>3</span>'
    assert badge in button, button
    c.post("/language", data={"locale": "en", "next": "/account"})
    assert '<span class="nav-badge">To review 3</span>' in c.get("/account").get_data(as_text=True)


def test_the_account_page_sets_the_mail_preference(app, ctx):
    p = coordinator()
    c = app.test_client()
    login(c, p)
    page = c.get("/account").get_data(as_text=True)
    assert "手続きのお知らせメール" in page
    assert re.search(r'<input checked[^>]*value="each"', page) and not re.search(r'<input checked[^>]*value="daily"', page)
    resp = c.post("/account", data={"mail-mail_preference": "daily"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(p), p.id).mail_preference == MAIL_DAILY
    resp = c.post("/account", data={"mail-mail_preference": "weekly"})
    assert resp.status_code == 200 and "error" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(p), p.id).mail_preference == MAIL_DAILY
    pro = make_pro("応募 花子")
    c2 = app.test_client()
    login(c2, pro.user)
    assert "手続きのお知らせメール" not in c2.get("/account").get_data(as_text=True)


def test_digest_is_sent_only_when_something_waits_and_once_a_day(ctx):
    a, idle_pref = clerk(), _daily(coordinator(PREF_Q))
    p = _daily(coordinator(locale="en"))
    each = coordinator()
    today = today_jst()
    assert digest.send(today=today)["queued"] == 0  # nothing waits for anybody

    first, second = submitted(a, title="データ利活用アドバイザー"), submitted(a, title="CIO補佐官")
    assert digest.send(today=today) == {"accounts": 2, "queued": 1}
    assert digest.send(today=today)["queued"] == 0  # the same day again: nothing new
    mails = _digests()
    assert [m.to_email for m in mails] == [p.email]
    assert idle_pref.email not in {m.to_email for m in mails} and each.email not in {m.to_email for m in mails}
    mail = mails[0]
    assert mail.locale == "en" and "Submissions waiting for your review: 2" in mail.text_body
    assert "データ利活用アドバイザー" in mail.text_body and "CIO補佐官" in mail.text_body
    assert f"http://localhost/review/postings/{first.id}" in mail.text_body
    assert f"http://localhost/review/postings/{second.id}" in mail.html_body

    assert digest.send(today=today + timedelta(days=1))["queued"] == 1  # still waiting tomorrow
    review.relay(each, first.id)
    review.relay(each, second.id)
    assert digest.send(today=today + timedelta(days=2))["queued"] == 0  # nothing waits any more


def test_municipality_digest_lists_returns_applications_and_news(ctx):
    a, p, mic = _daily(clerk()), coordinator(), ministry()
    posting = published(a, p, mic, title="DX推進アドバイザー")
    returned = submitted(a, title="情報セキュリティ補佐官")
    review.return_posting(p, returned.id, "締切を延ばしてください")
    pro = make_pro("応募 花子")
    application = applications.apply(pro.user, [posting.id])[0]
    # A daily reader got none of these as single mails.
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == a.email)).all() == []

    assert digest.send()["queued"] == 1
    body = _digests()[0].text_body
    assert "差し戻された募集情報: 1" in body and "情報セキュリティ補佐官" in body
    assert "未確認の新しい応募: 1" in body and f"/applications/{application.id}" in body
    assert "昨日からの動き" in body and "公開中" in body


def test_daily_summary_command(runner, ctx):
    a = clerk()
    _daily(coordinator())
    submitted(a)
    result = runner.invoke(args=["notify", "staff-digests"])
    assert result.exit_code == 0 and '"queued": 1' in result.output
    result = runner.invoke(args=["notify", "staff-digests"])
    assert '"queued": 0' in result.output
    assert runner.invoke(args=["notify", "staff-digests", "--today", "2026-13-01"]).exit_code == 2


def test_a_public_posting_page_keeps_its_badges_beside_the_header_counts(app, ctx):
    """The header's counts and the posting page's own badges (employment form, remote work)
    are different things: a clerk with a new application, or a coordinator with postings to
    review, opens a published posting and sees the page, its badges and the counts."""
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic, title="DX推進アドバイザー")
    submitted(a)  # something waits for the coordinator
    applications.apply(make_pro("応募 花子").user, [posting.id])  # and for the clerk
    for user, count in ((a, "新着 1"), (p, "確認待ち 1")):
        c = app.test_client()
        login(c, user)
        resp = c.get(f"/postings/{posting.id}")
        assert resp.status_code == 200, (user.role, resp.status_code)
        page = resp.get_data(as_text=True)
        assert f'<span class="nav-badge">{count}</span>' in page, re.findall(r"nav-badge[^<]*<", page)
        badges = re.search(r'<p class="posting-badges">(.*?)</p>', page, re.S).group(1)
        assert '<span class="badge blue">特別職非常勤職員</span>' in badges, badges
