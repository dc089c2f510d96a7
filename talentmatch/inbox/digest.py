"""The daily summary for staff who chose it instead of a mail per event: what waits for
them (the header's counts, item by item) and what happened to their postings since the
day before. Sent only when there is something to tell, at most once per account and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from talentmatch.accounts.models import MAIL_DAILY, STAFF_ROLES, User
from talentmatch.accounts.permissions import is_municipality
from talentmatch.clock import TOKYO, today_jst
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.inbox import counts
from talentmatch.messages import N_
from talentmatch.notifications.services import enqueue_many, render_mail
from talentmatch.postings.models import Posting
from talentmatch.postings.workflow import STATE_LABELS
from talentmatch.review.models import ReviewEvent

# Review events a municipality hears about in its summary (the others wait in an inbox).
NEWS_ACTIONS = ("relay", "publish", "close")
HEADINGS = {"submitted": N_("Submissions waiting for your review"),
            "relayed": N_("Relayed postings waiting to be published"),
            "returned": N_("Postings returned to you for changes"),
            "applications": N_("New applications not yet screened")}
PATHS = {"submitted": "/review/postings/{id}", "relayed": "/review/postings/{id}",
         "returned": "/my/postings/{id}", "applications": "/applications/{id}"}


def _since(today: date) -> datetime:
    """Yesterday's start of day in Japan, in UTC (the summary covers the day before and today)."""
    return datetime.combine(today - timedelta(days=1), time.min, tzinfo=TOKYO).astimezone(UTC)


def news(user: User, today: date) -> list[ReviewEvent]:
    if not is_municipality(user) or not user.municipality_code:
        return []
    return list(db.session.scalars(
        select(ReviewEvent).join(Posting, Posting.id == ReviewEvent.posting_id)
        .where(Posting.municipality_code == user.municipality_code,
               ReviewEvent.action.in_(NEWS_ACTIONS), ReviewEvent.at >= _since(today))
        .order_by(ReviewEvent.at, ReviewEvent.id)))


def summary(user: User, today: date) -> dict | None:
    """What the summary holds for ``user`` today, or None when nothing waits."""
    waiting = {k: v for k, v in counts.waiting(user).items() if v}
    recent = news(user, today)
    if not waiting and not recent:
        return None
    items = {what: [(row, PATHS[what].format(id=row.id)) for row in rows]
             for what, rows in waiting.items()}
    return {"waiting": items, "news": recent, "headings": HEADINGS, "state_labels": STATE_LABELS}


def send(*, today: date | None = None) -> dict[str, int]:
    """Queue today's summary for every active staff account that chose it. Running it again
    the same day adds nothing (one dedupe key per account and day)."""
    today = today or today_jst()
    users = db.session.scalars(select(User).where(
        User.active.is_(True), User.role.in_(STAFF_ROLES), User.mail_preference == MAIL_DAILY
    ).order_by(User.id)).all()
    queued = considered = 0
    for user in users:
        considered += 1
        with transaction():
            content = summary(user, today)
            if content is None:
                continue
            locale = user.locale or "ja"
            subject, text, html = render_mail("staff_digest", locale, user=user, today=today,
                                              **content)
            queued += enqueue_many([{
                "to_email": user.email, "to_name": user.display_name, "subject": subject,
                "text_body": text, "html_body": html, "locale": locale, "kind": "staff_digest",
                "dedupe_key": f"staff-digest:{user.id}:{today.isoformat()}"}])
    return {"accounts": considered, "queued": queued}
