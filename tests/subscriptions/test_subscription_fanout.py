"""Fan-out of a publication to saved searches: who gets mail, exactly once, in which words."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxEvent, OutboxMessage
from talentmatch.postings.models import Posting
from talentmatch.subscriptions import fanout, matching
from talentmatch.subscriptions.models import DigestItem, Subscription
from tests.support.subscriptions import (
    HAKODATE,
    SAPPORO,
    World,
    eml_files,
    guest,
    html_of,
    posting_mail,
    professional,
    recipients,
    run_worker,
    saved,
    text_of,
)

SECURITY_POSTING = {"required_skills": "情報セキュリティ、プロジェクト管理",
                    "focus_areas": ["security", "dx_strategy"], "remote": "partial",
                    "employment_type": "special_part_time", "side_job_ok": "yes",
                    "joint_wish": "none"}


def _handler_for_event(posting_id: int):
    event = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "posting.published")
                               .order_by(OutboxEvent.id.desc())).first()
    assert event.payload["posting_id"] == posting_id
    return event


def test_publishing_writes_an_event_and_no_mail_until_the_worker_runs(ctx):
    x = professional()
    saved(x)
    world = World()
    posting = world.publish()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "posting_published")) == 0
    event = _handler_for_event(posting.id)
    assert event.payload["is_update"] is False
    run_worker()
    assert recipients() == [x.email]


def test_fanout_is_once_per_subscription_and_revision(ctx):
    people = [professional() for _ in range(3)]
    for p in people:
        saved(p)
    world = World()
    posting = world.publish()
    event = _handler_for_event(posting.id)
    handler = fanout.handle_published
    handler(event)
    db.session.commit()
    first = [(m.id, m.dedupe_key) for m in posting_mail()]
    assert len(first) == 3
    rev_id = posting.published_revision_id
    assert {k for _i, k in first} == {f"sub:{s.id}:rev:{rev_id}:posting.published"
                                      for s in db.session.scalars(select(Subscription))}
    handler(event)  # the worker crashed after the handler, or an operator re-ran it
    db.session.commit()
    run_worker()  # the worker's own run of the same event
    assert [(m.id, m.dedupe_key) for m in posting_mail()] == first

    # A new revision: one "updated" mail per subscription, once.
    world.republish(posting, title="CIO補佐官（改訂）")
    run_worker()
    run_worker()
    mails = posting_mail()
    assert len(mails) == 6
    updated = [m for m in mails if m.id not in {i for i, _k in first}]
    assert len(updated) == 3 and all(m.subject.startswith(("Updated", "【更新】")) for m in updated), [m.subject for m in mails]
    assert all("updated" in m.content()[0] or "更新" in m.content()[0] for m in updated)
    assert all(m.subject.startswith(("New", "【新着】")) for m in mails if m.id in {i for i, _k in first})


def test_only_matching_confirmed_active_subscriptions_get_mail(ctx):
    world = World()
    yes = {
        "any": saved(professional()),
        "pref": saved(professional(), prefecture=["01", "13"]),
        "muni": saved(professional(), municipality="札幌市"),
        "type": saved(professional(), employment_type=["special_part_time"]),
        "focus": saved(professional(), focus_area=["security", "bpr"]),
        "remote": saved(professional(), remote="partial"),
        "side": saved(professional(), side_job="1"),
        "kw": saved(professional(), q="セキュリティ"),
        "hiragana": saved(professional(), q="せきゅりてぃ"),
        "halfwidth": saved(professional(), q="ｾｷｭﾘﾃｨ"),
        "english": saved(professional(), q="security"),
        "two": saved(professional(), q="さっぽろ せきゅりてぃ", prefecture=["01"]),
        "guest": guest("visitor@example.jp", q="情報セキュリティ"),
    }
    no = {
        "pref": saved(professional(), prefecture=["13"]),
        "muni": saved(professional(), municipality=HAKODATE),
        "type": saved(professional(), employment_type=["outsourcing", "full_time_staff"]),
        "focus": saved(professional(), focus_area=["my_number_card"]),
        "remote": saved(professional(), remote="full"),
        "joint": saved(professional(), joint="1"),
        "kw": saved(professional(), q="ガバメントクラウド"),
        "kw_and": saved(professional(), q="セキュリティ 仙台"),
        "unconfirmed": guest("unconfirmed@example.jp", confirmed=False),
        "stopped": saved(professional()),
    }
    from talentmatch.db import utcnow

    no["stopped"].unsubscribed_at = utcnow()
    db.session.commit()
    world.publish(SAPPORO, **SECURITY_POSTING)
    run_worker()
    got = set(recipients())

    def address(sub):
        return sub.user.email if sub.user else sub.email

    assert {address(s) for s in yes.values()} <= got
    wrongly = {name for name, s in no.items() if address(s) in got}
    assert not wrongly
    assert len(got) == len(yes)


def test_sql_prefilter_and_pure_matcher_agree_on_random_searches(ctx):
    """Whatever the mix of filters, fan-out selects exactly what matching.matches says."""
    rng = random.Random(7)
    world = World()
    posting = world.publish(SAPPORO, **SECURITY_POSTING)
    people = [professional() for _ in range(6)]
    keywords = ("", "", "セキュリティ", "せきゅりてぃ", "札幌", "仙台", "クラウド", "ＣＩＯ補佐官")
    subs = []
    for i in range(120):
        data = {
            "prefecture": rng.sample(["01", "04", "13"], rng.randint(0, 2)),
            "municipality": rng.choice(["", "", "", SAPPORO, HAKODATE]),
            "employment_type": rng.sample(list(matching.EMPLOYMENT_BITS), rng.randint(0, 2)),
            "focus_area": rng.sample(["security", "bpr", "ai_rpa", "dx_strategy"], rng.randint(0, 2)),
            "remote": rng.choice(["", "", "partial", "full", "none"]),
            "joint": rng.random() < 0.1, "side_job": rng.random() < 0.2,
            "q": rng.choice(keywords),
            "frequency": rng.choice(["immediately", "daily"]),
        }
        if data["municipality"] and data["prefecture"] and "01" not in data["prefecture"]:
            data["municipality"] = ""
        if i < 15:
            subs.append(saved(people[i % 6], **data))
        else:
            subs.append(guest(f"g{i}@example.jp", **data))
    rev = posting.published_revision
    facts = fanout.facts_of(posting, rev)
    check = fanout.keyword_check(facts.search_text)
    expected = {s.id for s in subs if matching.matches(s.filters, facts, check)}
    got = set(fanout.matching_subscriptions(facts).ids)
    assert got == expected
    assert 0 < len(expected) < len(subs)


def test_daily_and_weekly_subscriptions_get_digest_items_not_mail(ctx):
    daily = saved(professional(), frequency="daily")
    weekly = guest("weekly@example.jp", frequency="weekly")
    now = saved(professional())
    world = World()
    world.publish()
    run_worker()
    assert recipients() == [now.user.email]
    items = db.session.scalars(select(DigestItem)).all()
    assert {i.subscription_id for i in items} == {daily.id, weekly.id}


def test_withdrawn_before_the_worker_runs_announces_nothing(ctx):
    saved(professional())
    world = World()
    posting = world.publish()
    from talentmatch.review import services as review

    review.close(world.clerk(SAPPORO), posting.id, "filled")
    run_worker()
    assert recipients() == []


def test_mail_is_in_the_recipients_language_with_key_facts_and_unsubscribe_headers(app, ctx):
    ja = saved(professional(locale="ja"))
    en = saved(professional(locale="en"))
    world = World()
    posting = world.publish(SAPPORO, compensation_amount="50,000", compensation_unit="day",
                            title="CIO補佐官", title_en="CIO adviser", days_per_month="4")
    rev = db.session.get(Posting, posting.id).published_revision
    run_worker()
    mails = {m["To"].addresses[0].addr_spec: m for m in eml_files(app)
             if m["List-Unsubscribe"]}
    assert set(mails) == {ja.user.email, en.user.email}
    for sub in (ja, en):
        msg = mails[sub.user.email]
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header = str(msg["List-Unsubscribe"]).strip()  # long values are folded (RFC 5322)
        assert header.startswith("<http://localhost/unsubscribe/") and header.endswith(">")
        assert header.strip("<>") in text_of(msg)
        assert f"http://localhost/postings/{posting.id}" in text_of(msg)
        assert "http://localhost/unsubscribe/" in html_of(msg)
    ja_text, en_text = text_of(mails[ja.user.email]), text_of(mails[en.user.email])
    d = rev.deadline
    assert "CIO補佐官" in ja_text and "北海道札幌市" in ja_text and "50,000円" in ja_text
    assert f"{d.year}年{d.month}月{d.day}日（令和" in ja_text
    assert "CIO adviser" in en_text and "¥50,000" in en_text and "Hokkaido" in en_text
    assert d.strftime("%d %b %Y") in en_text and "令和" in en_text  # 和暦 for English too
    assert 'lang="en"' in html_of(mails[en.user.email])
    assert 'lang="ja"' in html_of(mails[ja.user.email])
    # Nobody sees another recipient.
    assert ja.user.email not in en_text and en.user.email not in ja_text
