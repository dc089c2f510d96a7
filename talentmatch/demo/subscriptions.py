"""Demo saved searches of every kind, so that `flask notify run --once` after `flask demo load`
writes mail for the demo's published postings: immediate, daily and weekly; Japanese and
English; keyword-only and filter-only; professionals and visitors (confirmed, and one who
never confirmed and so gets nothing); one a professional switched off.

Runs after the postings and professionals steps. Postings published by the postings demo went
through the publish service, which wrote their ``posting.published`` events; any published
posting without one gets it here, so the worker announces every demo posting.
"""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.accounts.models import PROFESSIONAL, User
from talentmatch.accounts.permissions import of_role
from talentmatch.accounts.tokens import new_token
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications import events
from talentmatch.notifications.models import OutboxEvent
from talentmatch.postings.models import Posting
from talentmatch.subscriptions.fanout import EVENT
from talentmatch.subscriptions.matching import SearchFilters
from talentmatch.subscriptions.models import Subscription

GUEST_DOMAIN = "visitor.demo.talentmatch.jp"

# (frequency, locale, filters, note) for the first professionals, in order.
PROFESSIONAL_SEARCHES = (
    ("immediately", "ja", SearchFilters(q="セキュリティ"), "keyword only"),
    ("immediately", "en", SearchFilters(prefectures=("01",)), "filter only, English"),
    ("daily", "ja", SearchFilters(focus_areas=("dx_strategy", "bpr"),
                                  employment_types=("special_part_time",)), "daily digest"),
    ("weekly", "ja", SearchFilters(prefectures=("13", "14"), q="DX推進"), "weekly digest"),
    ("immediately", "ja", SearchFilters(), "every new and updated posting"),
    ("immediately", "ja", SearchFilters(remote="full", side_job=True), "remote side jobs"),
    ("daily", "en", SearchFilters(q="security"), "English keyword, daily"),
    ("immediately", "ja", SearchFilters(q="さっぽろ"), "place name in hiragana"),
)
# (local part, frequency, locale, filters, confirmed)
GUEST_SEARCHES = (
    ("hokkaido", "immediately", "ja", SearchFilters(prefectures=("01",), q="せきゅりてぃ"), True),
    ("weekly-en", "weekly", "en", SearchFilters(focus_areas=("ai_rpa", "data_utilization")), True),
    ("everything", "immediately", "en", SearchFilters(), True),
    ("unconfirmed", "immediately", "ja", SearchFilters(), False),
)


def _professionals(world) -> list[User]:
    emails = list(world.extra.get("professional_emails") or [])
    query = select(User).where(of_role(PROFESSIONAL), User.active.is_(True),
                               User.email_confirmed_at.is_not(None))
    if emails:
        query = query.where(User.email.in_(emails))
    return list(db.session.scalars(query.order_by(User.id).limit(len(PROFESSIONAL_SEARCHES) + 1)))


def _add(sub: Subscription, f: SearchFilters) -> Subscription:
    sub.set_filters(f)
    db.session.add(sub)
    return sub


def _announce_published() -> int:
    """A posting.published event for every public revision that has none yet."""
    announced = {int((e.payload or {}).get("revision_id", 0))
                 for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == EVENT))}
    count = 0
    for posting in db.session.scalars(select(Posting).where(
            Posting.status == "open", Posting.published_revision_id.is_not(None))):
        rev = posting.published_revision
        if rev is None or rev.state != "published" or rev.id in announced:
            continue
        events.emit(EVENT, {"posting_id": posting.id, "revision_id": rev.id,
                            "revision_number": rev.number, "is_update": rev.number > 1})
        count += 1
    return count


def load(world) -> None:
    now = utcnow()
    if db.session.scalar(select(Subscription.id).limit(1)) is None:
        people = _professionals(world)
        for user, (frequency, locale, f, note) in zip(people, PROFESSIONAL_SEARCHES, strict=False):
            _add(Subscription(user_id=user.id, frequency=frequency, locale=locale,
                              confirmed_at=now), f)
            world.extra.setdefault("subscriptions", []).append((user.email, note))
        if len(people) > len(PROFESSIONAL_SEARCHES):
            # A saved search its owner switched off from a mail: it stays listed, silent.
            _add(Subscription(user_id=people[-1].id, frequency="immediately", locale="ja",
                              confirmed_at=now, unsubscribed_at=now), SearchFilters(q="AI"))
        for local, frequency, locale, f, confirmed in GUEST_SEARCHES:
            sub = Subscription(email=f"{local}@{GUEST_DOMAIN}", frequency=frequency,
                               locale=locale, confirmed_at=now if confirmed else None)
            if not confirmed:
                sub.confirm_token_hash = new_token()[1]  # the link went to an inbox nobody opened
            _add(sub, f)
    _announce_published()
    db.session.commit()
