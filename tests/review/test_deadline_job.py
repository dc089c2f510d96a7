"""The daily job: published postings close after their deadline and municipalities get one
reminder five days before it; running the job again changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from talentmatch.review import services as review
from tests.support.postings import MUNI_B, clerk, coordinator, ministry, published


def _deadline_in(days: int) -> str:
    return (today_jst() + timedelta(days=days)).isoformat()


def test_expired_postings_close_once_with_the_system_as_actor(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    soon = published(a, p, mic, deadline=_deadline_in(3))
    later = published(a, p, mic, deadline=_deadline_in(30))
    review.revise(a, soon.id)
    review.submit(a, soon.id)  # a revision in review ends with the posting
    deadline = today_jst() + timedelta(days=3)

    assert review.close_expired(today=deadline) == []  # the deadline day is still open
    assert review.close_expired(today=deadline + timedelta(days=1)) == [soon.id]
    assert review.close_expired(today=deadline + timedelta(days=1)) == []

    db.session.expire_all()
    soon, later = db.session.get(Posting, soon.id), db.session.get(Posting, later.id)
    assert (soon.status, soon.close_reason) == ("closed", "deadline_passed")
    assert [r.state for r in soon.revisions] == ["closed", "withdrawn"]
    assert later.status == "open" and later.current_revision.state == "published"
    closing = [(e.action, e.actor_role, e.actor_id, e.close_reason)
               for e in review.timeline(soon.id)][-2:]
    assert closing == [("close", "system", None, "deadline_passed"),
                       ("withdraw", "system", None, None)]


def test_reminder_is_mailed_once_to_the_municipality_staff(ctx):
    a, a2, b = clerk(), clerk(locale="en"), clerk(MUNI_B)
    p, mic = coordinator(), ministry()
    posting = published(a, p, mic, deadline=_deadline_in(5), title="データ利活用アドバイザー")
    far = published(a, p, mic, deadline=_deadline_in(6))

    first = review.run_daily()
    assert first == {"closed": [], "reminded": [posting.id]}
    assert review.run_daily() == {"closed": [], "reminded": []}

    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "posting_deadline_reminder")
                               .order_by(OutboxMessage.id)).all()
    assert sorted(m.to_email for m in mails) == sorted([a.email, a2.email])
    assert b.email not in {m.to_email for m in mails}
    ja = next(m for m in mails if m.to_email == a.email)
    en = next(m for m in mails if m.to_email == a2.email)
    assert "データ利活用アドバイザー" in ja.subject and "5" in ja.subject
    assert f"/my/postings/{posting.id}" in ja.text_body
    assert en.subject.startswith("The application deadline")
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).reminder_sent_at is not None
    assert db.session.get(Posting, far.id).reminder_sent_at is None
    # The next day the other posting is five days away.
    tomorrow = today_jst() + timedelta(days=1)
    assert review.send_deadline_reminders(today=tomorrow) == [far.id]


def test_a_new_deadline_gets_a_new_reminder(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic, deadline=_deadline_in(4))
    assert review.send_deadline_reminders() == [posting.id]
    review.revise(a, posting.id)
    from tests.support.postings import service_data

    postings.save_draft(a, posting.id, service_data(deadline=_deadline_in(40)))
    review.submit(a, posting.id)
    review.relay(p, posting.id)
    review.publish(mic, posting.id)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).reminder_sent_at is None
    assert review.send_deadline_reminders(today=today_jst() + timedelta(days=36)) == [
        posting.id
    ]


def test_cli_runs_the_daily_job(app, runner):
    with app.app_context():
        a, p, mic = clerk(), coordinator(), ministry()
        posting = published(a, p, mic, deadline=_deadline_in(2))
        posting_id = posting.id
    day = (today_jst() + timedelta(days=3)).isoformat()
    result = runner.invoke(args=["postings", "close-expired", "--today", day])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1]) == {"closed": [posting_id],
                                                                  "reminded": []}
    again = runner.invoke(args=["postings", "close-expired", "--today", day])
    assert json.loads(again.output.strip().splitlines()[-1]) == {"closed": [], "reminded": []}
    bad = runner.invoke(args=["postings", "close-expired", "--today", "yesterday"])
    assert bad.exit_code == 2
