"""Daily and weekly digests: one mail per subscription listing the postings published or
updated since its last digest that match it and that it was never sent before.

Run by ``flask notify digests [--frequency daily|weekly]`` (e.g. from cron every morning;
weekly subscriptions get theirs on the first run of each ISO week). Periods are Japanese
dates. A subscription gets at most one digest per period: ``last_digest_at`` says which
period it had, and the mail's dedupe key includes the period, so running the job again
(or two jobs at once) sends nothing twice. Nothing is sent when nothing is new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import delete, select

from talentmatch.clock import TOKYO
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.subscriptions import bulk, mailing, services
from talentmatch.subscriptions.matching import DIGEST_FREQUENCIES, WEEKLY
from talentmatch.subscriptions.models import DigestItem, SentPosting, Subscription

TEMPLATE = "digest_postings"
BATCH = 500
# An item whose revision was replaced by one that no longer matches waits this long for a
# newer matching revision, then goes.
STALE_AFTER = timedelta(days=30)


def period_key(frequency: str, moment: datetime) -> str:
    day = moment.astimezone(TOKYO).date()
    if frequency == WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def is_due(sub: Subscription, now: datetime) -> bool:
    """Once per period; a new subscription's first digest comes in the next period."""
    since = sub.last_digest_at or sub.created_at or now
    return period_key(sub.frequency, since) != period_key(sub.frequency, now)


def _chunks(values: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


def run(frequency: str | None = None, *, now: datetime | None = None) -> dict:
    now = now or utcnow()
    result: dict = {"purged_unconfirmed": services.purge_unconfirmed()}
    for freq in [frequency] if frequency else list(DIGEST_FREQUENCIES):
        if freq not in DIGEST_FREQUENCIES:
            raise ValueError(f"unknown digest frequency {freq!r}")
        result[freq] = run_frequency(freq, now)
    return result


def run_frequency(frequency: str, now: datetime) -> dict:
    ids = db.session.scalars(
        select(Subscription.id).distinct()
        .join(DigestItem, DigestItem.subscription_id == Subscription.id)
        .where(Subscription.frequency == frequency, Subscription.unsubscribed_at.is_(None),
               Subscription.confirmed_at.is_not(None))
        .order_by(Subscription.id)).all()
    totals = {"sent": 0, "postings": 0, "not_due": 0, "empty": 0}
    for chunk in _chunks(ids, BATCH):
        with transaction():
            for key, value in _batch(chunk, frequency, now).items():
                totals[key] += value
    return totals


def _public(posting_ids: set[int]) -> dict[int, tuple[Posting, PostingRevision]]:
    if not posting_ids:
        return {}
    rows = db.session.execute(
        select(Posting, PostingRevision)
        .join(PostingRevision, Posting.published_revision_id == PostingRevision.id)
        .where(Posting.id.in_(posting_ids), Posting.status == "open",
               PostingRevision.state == "published")).all()
    return {p.id: (p, r) for p, r in rows}


def _batch(sub_ids: list[int], frequency: str, now: datetime) -> dict[str, int]:
    counts = {"sent": 0, "postings": 0, "not_due": 0, "empty": 0}
    subs = [s for s in db.session.scalars(select(Subscription).where(Subscription.id.in_(sub_ids)))
            if s.frequency == frequency and s.is_active]
    due = [s for s in subs if is_due(s, now)]
    counts["not_due"] = len(subs) - len(due)
    if not due:
        return counts
    due_ids = [s.id for s in due]
    items: dict[int, list[DigestItem]] = defaultdict(list)
    for item in db.session.scalars(select(DigestItem).where(DigestItem.subscription_id.in_(due_ids))
                                   .order_by(DigestItem.created_at, DigestItem.id)):
        items[item.subscription_id].append(item)
    posting_ids = {i.posting_id for rows in items.values() for i in rows}
    public = _public(posting_ids)
    already = set(db.session.execute(
        select(SentPosting.subscription_id, SentPosting.posting_id)
        .where(SentPosting.subscription_id.in_(due_ids))).all())

    period = period_key(frequency, now)
    personaliser = mailing.Personaliser()
    manage = mailing.manage_url()
    facts: dict[int, dict] = {}
    prepared: dict[tuple, mailing.Prepared] = {}
    rows: list[dict] = []
    sent_rows: list[dict] = []
    drop: list[int] = []
    for sub in due:
        listed = []
        for item in items.get(sub.id, ()):
            found = public.get(item.posting_id)
            if found is None or (sub.id, item.posting_id) in already:
                drop.append(item.id)  # closed, withdrawn, or already sent to this subscription
                continue
            posting, rev = found
            if rev.id != item.revision_id:
                if item.created_at < now - STALE_AFTER:
                    drop.append(item.id)
                continue  # a newer revision is public; its own fan-out decides
            listed.append(item)
        if not listed:
            counts["empty"] += 1
            continue
        for item in listed:
            if item.posting_id not in facts:
                facts[item.posting_id] = mailing.posting_facts(*public[item.posting_id])
        key = (sub.locale, sub.is_guest, sub.filters,
               tuple((i.posting_id, i.is_update) for i in listed))
        page = prepared.get(key)
        if page is None:
            page = prepared[key] = mailing.prepare(
                TEMPLATE, sub.locale, frequency=frequency,
                items=[{"posting": facts[i.posting_id], "is_update": i.is_update} for i in listed],
                search=services.describe_in(sub.filters, sub.locale),
                manage_url=None if sub.is_guest else manage)
        token, headers = personaliser.parts(sub.id)
        text, html = page.personalise(token)
        to_email, to_name = mailing.recipient(sub)
        rows.append({
            "to_email": to_email, "to_name": to_name, "subject": page.subject,
            "text_body": text, "html_body": html, "headers": headers, "locale": sub.locale,
            "kind": TEMPLATE, "dedupe_key": f"sub:{sub.id}:digest:{frequency}:{period}",
        })
        sent_rows.extend({"subscription_id": sub.id, "posting_id": i.posting_id, "sent_at": now}
                         for i in listed)
        drop.extend(i.id for i in listed)
        sub.last_digest_at = now
        counts["sent"] += 1
        counts["postings"] += len(listed)
    bulk.enqueue_messages(rows)
    if sent_rows:
        bulk.insert_ignore(SentPosting.__table__, sent_rows,
                           conflict=["subscription_id", "posting_id"])
    if drop:
        db.session.execute(delete(DigestItem).where(DigestItem.id.in_(drop)))
    return counts
