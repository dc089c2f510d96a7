"""What "posting.published" means for subscribers (the worker runs it; never the publish
request, so publishing does not grow with the number of subscribers).

For the published revision: load its public facts once, prefilter the active, confirmed
subscriptions in SQL with integer and equality tests, decide the rest with the pure
matcher, then in the worker's transaction
- queue one mail per immediate subscription, dedupe_key
  ``sub:{id}:rev:{revision_id}:posting.published`` (a re-run inserts nothing new), and
- record a pending digest item per daily / weekly subscription (one per posting: a newer
  revision replaces the older one's).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import or_, select

from talentmatch import signals
from talentmatch.accounts.models import User
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications import services as notifications
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.subscriptions import bulk, mailing, matching
from talentmatch.subscriptions.matching import IMMEDIATELY, Columns, PostingFacts
from talentmatch.subscriptions.models import DigestItem, Subscription
from talentmatch.subscriptions.tokens import Minter

log = logging.getLogger("talentmatch.subscriptions")

EVENT = "posting.published"
TEMPLATE = "posting_published"
S = Subscription.__table__
U = User.__table__


@signals.outbox_event.connect_via(EVENT)
def on_published(kind: str, event) -> Result:
    return handle_published(event)


def handle_published(event) -> Result:
    payload = event.payload or {}
    return expand(int(payload["posting_id"]), int(payload["revision_id"]),
           is_update=bool(payload.get("is_update")))


@lru_cache(maxsize=50_000)
def _keyword_query(q: str):
    from talentmatch.publication.search import keyword_query

    return keyword_query(q)


def keyword_check(search_text: str):
    """The listing's keyword rule: parse_query(q, lexicon).matches(search_text)."""
    return lambda q: _keyword_query(q).matches(search_text)


def facts_of(posting: Posting, rev: PostingRevision) -> PostingFacts:
    return PostingFacts(
        posting_id=posting.id, revision_id=rev.id, prefecture_code=rev.prefecture_code,
        municipality_code=rev.municipality_code, employment_type=rev.employment_type,
        focus_areas=frozenset(rev.focus_areas or ()), remote=rev.remote,
        joint=rev.joint_wish == "joint", side_job=rev.side_job_ok is True,
        search_text=rev.search_text or "")


def public_revision(posting_id: int, revision_id: int) -> tuple[Posting, PostingRevision] | None:
    """The revision if it is still what the public sees (a withdrawn, closed or already
    superseded revision is not announced)."""
    rev = db.session.get(PostingRevision, revision_id)
    if rev is None or rev.posting_id != posting_id or rev.state != "published":
        return None
    posting = rev.posting
    if posting.status != "open" or posting.published_revision_id != rev.id:
        return None
    return posting, rev


@dataclass
class Matched:
    ids: list[int]
    frequency: list[str]
    locale: list[str]
    email: list[str]
    name: list[str]
    guest: list[bool]
    candidates: int = 0  # rows the SQL prefilter returned


def matching_subscriptions(facts: PostingFacts) -> Matched:
    """Active, confirmed subscriptions whose saved search the posting meets."""
    pbit = matching.prefecture_bit(facts.prefecture_code)
    stmt = (
        select(S.c.id, S.c.frequency, S.c.locale, S.c.email, S.c.user_id,
               U.c.email.label("user_email"), U.c.display_name,
               S.c.prefecture_mask, S.c.municipality, S.c.employment_mask, S.c.focus_mask,
               S.c.remote, S.c.joint, S.c.side_job, S.c.q)
        .select_from(S.outerjoin(U, U.c.id == S.c.user_id))
        .where(S.c.unsubscribed_at.is_(None), S.c.confirmed_at.is_not(None))
        .where(or_(S.c.user_id.is_(None), U.c.active.is_(True)))
        # Prefilter: a superset of the matches (the pure matcher decides).
        .where(or_(S.c.prefecture_mask == 0, S.c.prefecture_mask.bitwise_and(pbit) != 0))
        .where(or_(S.c.municipality.is_(None), S.c.municipality == facts.municipality_code))
        .where(or_(S.c.employment_mask == 0,
                   S.c.employment_mask.bitwise_and(facts.employment_mask) != 0))
        .where(or_(S.c.focus_mask == 0, S.c.focus_mask.bitwise_and(facts.focus_mask) != 0))
        .order_by(S.c.id)
    )
    if not facts.joint:
        stmt = stmt.where(S.c.joint.is_(False))
    if not facts.side_job:
        stmt = stmt.where(S.c.side_job.is_(False))
    rows = db.session.execute(stmt).all()
    (ids, frequency, locale, email, user_id, user_email, name, pref, muni, emp, focus, remote,
     joint, side_job, q) = zip(*rows, strict=True) if rows else ((),) * 15
    ok = matching.match_columns(facts, Columns(
        prefecture_mask=pref, municipality=muni, employment_mask=emp, focus_mask=focus,
        remote=remote, joint=joint, side_job=side_job, q=q), keyword_check(facts.search_text))
    hits = ok.nonzero()[0].tolist()
    guest = [user_id[i] is None for i in hits]
    return Matched(
        ids=[ids[i] for i in hits],
        frequency=[frequency[i] for i in hits],
        locale=[locale[i] or "ja" for i in hits],
        email=[email[i] if g else user_email[i] for i, g in zip(hits, guest, strict=True)],
        name=["" if g else (name[i] or "") for i, g in zip(hits, guest, strict=True)],
        guest=guest, candidates=len(rows))


@dataclass
class Result:
    messages: int = 0
    digest_items: int = 0
    candidates: int = 0
    skipped: bool = False
    # Seconds per phase (for `flask bench fanout`).
    match_s: float = 0.0
    render_s: float = 0.0
    insert_s: float = 0.0


def expand(posting_id: int, revision_id: int, *, is_update: bool) -> Result:
    """Turn one publication into mail and digest items, in the caller's transaction."""
    found = public_revision(posting_id, revision_id)
    if found is None:
        log.info("posting %s revision %s is no longer public: nothing to announce",
                 posting_id, revision_id)
        return Result(skipped=True)
    posting, rev = found
    t0 = time.perf_counter()
    facts = facts_of(posting, rev)
    matched = matching_subscriptions(facts)
    immediate = [i for i, f in enumerate(matched.frequency) if f == IMMEDIATELY]
    digest = [i for i, f in enumerate(matched.frequency) if f != IMMEDIATELY]
    t1 = time.perf_counter()
    rows = build_messages(posting, rev, matched, immediate, is_update=is_update)
    t2 = time.perf_counter()
    bulk.enqueue_messages(rows)
    if digest:
        now = utcnow()
        bulk.upsert(DigestItem.__table__, [
            {"subscription_id": matched.ids[i], "posting_id": posting.id,
             "revision_id": rev.id, "is_update": is_update, "created_at": now}
            for i in digest], conflict=["subscription_id", "posting_id"],
            update=["revision_id", "is_update", "created_at"])
    return Result(messages=len(rows), digest_items=len(digest), candidates=matched.candidates,
                  match_s=t1 - t0, render_s=t2 - t1, insert_s=time.perf_counter() - t2)


def build_messages(posting: Posting, rev: PostingRevision, matched: Matched,
                   indices: list[int], *, is_update: bool) -> list[dict]:
    """One outbox row per subscription. Each template is rendered once per (locale, kind of
    recipient) and stored once per revision (``outbox_body``, with the List-Unsubscribe
    headers); a row holds only its recipient and unsubscribe token, which the sender fills
    into the shared body and headers."""
    if not indices:
        return []
    facts = mailing.posting_facts(posting, rev)
    mint = Minter()
    manage = mailing.manage_url()
    bodies: dict[tuple[str, bool], tuple[int, str]] = {}
    dedupe_suffix = f":rev:{rev.id}:{EVENT}"
    change = "update" if is_update else "new"
    placeholder = mailing.PLACEHOLDER
    rows: list[dict] = []
    append = rows.append
    for i in indices:
        locale, guest = key = (matched.locale[i], matched.guest[i])
        body = bodies.get(key)
        if body is None:
            page = mailing.prepare(TEMPLATE, locale, posting=facts, is_update=is_update,
                                   manage_url=None if guest else manage)
            text, html = page.shared()
            kind = "guest" if guest else "account"
            body_id = notifications.store_body(
                f"{TEMPLATE}:{locale}:{kind}:{change}:rev:{rev.id}", page.subject, text, html,
                headers=mailing.list_headers(mailing.unsubscribe_base() + placeholder))
            body = bodies[key] = (body_id, page.subject)
        sub_id = matched.ids[i]
        append({
            "to_email": matched.email[i], "to_name": matched.name[i], "subject": body[1],
            "body_id": body[0], "substitutions": {placeholder: mint(sub_id)},
            "locale": locale, "kind": TEMPLATE, "dedupe_key": f"sub:{sub_id}{dedupe_suffix}",
        })
    return rows
