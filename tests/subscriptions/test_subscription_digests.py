"""Daily and weekly digests: only new matches, never a posting twice, nothing when empty,
one per period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.subscriptions import digests
from talentmatch.subscriptions.models import DigestItem, SentPosting
from tests.support.subscriptions import World, guest, professional, run_worker, saved


def _digests() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "digest_postings").order_by(OutboxMessage.id)))


def test_daily_digest_lists_new_matches_once_and_never_repeats_a_posting(ctx):
    pro = professional(locale="ja")
    sub = saved(pro, frequency="daily", q="セキュリティ")
    world = World()
    a = world.publish(required_skills="情報セキュリティ", title="セキュリティ担当CIO補佐官")
    b = world.publish(required_skills="クラウド移行", title="DX推進アドバイザー")  # no match
    run_worker()
    assert _digests() == []  # nothing immediately

    tomorrow = utcnow() + timedelta(days=1)
    result = digests.run("daily", now=tomorrow)
    assert result["daily"]["sent"] == 1 and result["daily"]["postings"] == 1
    [mail] = _digests()
    assert mail.to_email == pro.email
    assert f"/postings/{a.id}" in mail.text_body and f"/postings/{b.id}" not in mail.text_body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.dedupe_key == f"sub:{sub.id}:digest:daily:{digests.period_key('daily', tomorrow)}"
    assert db.session.scalars(select(SentPosting.posting_id)).all() == [a.id]

    # The same day again: nothing more (idempotent per period).
    assert digests.run("daily", now=tomorrow + timedelta(hours=2))["daily"]["sent"] == 0
    # The posting is updated: it was sent to this subscription before, so it is not listed
    # again, and with nothing else new the next day brings no digest at all.
    world.republish(a, required_skills="情報セキュリティ", title="セキュリティ担当CIO補佐官（改訂）")
    run_worker()
    assert digests.run("daily", now=tomorrow + timedelta(days=1))["daily"]["sent"] == 0
    assert len(_digests()) == 1
    assert db.session.scalars(select(DigestItem)).all() == []

    # Something new: it alone is listed.
    c = world.publish(required_skills="情報セキュリティ", title="情報セキュリティ専門員")
    run_worker()
    digests.run("daily", now=tomorrow + timedelta(days=2))
    latest = _digests()[-1]
    assert f"/postings/{c.id}" in latest.text_body and f"/postings/{a.id}" not in latest.text_body


def test_nothing_is_sent_when_nothing_is_new(ctx):
    saved(professional(), frequency="daily")
    guest("weekly@example.jp", frequency="weekly")
    result = digests.run(now=utcnow() + timedelta(days=8))
    assert result["daily"]["sent"] == 0 and result["weekly"]["sent"] == 0
    assert _digests() == []


def test_weekly_digest_once_a_week_in_the_subscribers_language(ctx):
    sub = guest("weekly@example.jp", frequency="weekly", locale="en", prefecture=["01"])
    world = World()
    p = world.publish(title="CIO補佐官", title_en="CIO adviser")
    run_worker()
    same_week = digests.run("weekly", now=utcnow())
    assert same_week["weekly"]["sent"] == 0 and same_week["weekly"]["not_due"] == 1
    next_week = utcnow() + timedelta(days=7)
    assert digests.run("weekly", now=next_week)["weekly"]["sent"] == 1
    [mail] = _digests()
    assert mail.to_email == "weekly@example.jp" and mail.locale == "en"
    assert "CIO adviser" in mail.text_body and "Weekly digest" in mail.subject
    assert 'lang="en"' in mail.html_body and f"/postings/{p.id}" in mail.html_body
    assert digests.run("weekly", now=next_week + timedelta(days=1))["weekly"]["sent"] == 0
    assert sub.id == int(mail.dedupe_key.split(":")[1])


def test_closed_postings_are_not_listed(ctx):
    saved(professional(), frequency="daily")
    world = World()
    p = world.publish()
    run_worker()
    from talentmatch.review import services as review

    review.close(world.clerk(p.municipality_code), p.id, "filled")
    assert digests.run("daily", now=utcnow() + timedelta(days=1))["daily"]["sent"] == 0
    assert _digests() == []


def test_the_command_runs_the_digests(runner, ctx):
    result = runner.invoke(args=["notify", "digests", "--frequency", "daily"])
    assert result.exit_code == 0, result.output
    assert '"daily"' in result.output.splitlines()[-1]
