"""A broad fan-out stores its mail once and sends it through SendGrid in batches of at most
1,000, each recipient with their own name and unsubscribe link (the real library against a
local fake endpoint)."""

from __future__ import annotations

import re

from sqlalchemy import func, insert, select

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxBody, OutboxMessage
from talentmatch.notifications.worker import run_once
from talentmatch.subscriptions.mailing import PLACEHOLDER
from talentmatch.subscriptions.models import Subscription
from talentmatch.subscriptions.tokens import read_unsubscribe_token
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.outbox import fast_policy, sendgrid
from tests.support.subscriptions import World, professional, saved

GUESTS = 1_203


def _guests(n: int) -> None:
    """n confirmed visitors whose saved search (no condition) matches every posting."""
    now = utcnow()
    db.session.execute(insert(Subscription), [
        {"email": f"guest{i}@mail.example.jp", "frequency": "immediately",
         "locale": "en" if i % 7 == 0 else "ja", "confirmed_at": now, "created_at": now,
         "updated_at": now} for i in range(n)])
    db.session.commit()


def test_broad_fanout_stores_bodies_once_and_sends_batches_with_each_recipients_own_link(ctx):
    named = [professional(name=f"山田 {i}号") for i in range(3)]
    subs = {p.email: saved(p) for p in named}
    _guests(GUESTS)
    subs.update({s.email: s for s in db.session.scalars(
        select(Subscription).where(Subscription.user_id.is_(None)))})
    World().publish()
    fake = FakeSendGrid().start()
    try:
        result = run_once(sendgrid(fake), policy=fast_policy(batch=5000))
    finally:
        fake.stop()

    total = GUESTS + len(named)
    fanout_mail = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "posting_published", OutboxMessage.status == "sent")
    assert db.session.scalar(fanout_mail) == total and result["dead"] == 0
    # One body per (language, kind of recipient) of this revision, not one per recipient.
    assert db.session.scalar(select(func.count()).select_from(OutboxBody)) <= 4
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "posting_published",
                                    OutboxMessage.html_body != "")) == 0

    announcements = [r for r in fake.requests
                     if any(PLACEHOLDER in c["value"] for c in r.body["content"])]
    sizes = [len(r.body["personalizations"]) for r in announcements]
    assert max(sizes) == 1000 and sum(sizes) == total and len(announcements) <= 5
    assert sorted(fake.accepted) == sorted(db.session.scalars(select(OutboxMessage.id))) \
        and not fake.duplicates()

    seen: set[int] = set()
    for req in announcements:
        # The shared content carries the placeholder; SendGrid fills in each recipient's token.
        assert all(PLACEHOLDER in c["value"] for c in req.body["content"])
        for p in req.body["personalizations"]:
            (to,) = p["to"]
            sub = subs[to["email"]]
            token = p["substitutions"][PLACEHOLDER]
            assert read_unsubscribe_token(token) == sub.id
            assert p["headers"]["List-Unsubscribe"] == f"<http://localhost/unsubscribe/{token}>"
            if sub.user_id is not None:
                assert to["name"] == sub.user.display_name and re.match(r"山田 \d号", to["name"])
            else:
                assert "name" not in to
            seen.add(sub.id)
    assert len(seen) == total  # every recipient had their own link
