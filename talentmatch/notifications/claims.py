"""Leased claims on the outbox (DESIGN.md §7, SECURITY.md 22).

PostgreSQL: a short transaction selects due rows ``FOR UPDATE SKIP LOCKED``, marks them
``sending`` with ``claimed_by`` and ``lease_until`` and commits; sending happens outside any
transaction. Concurrent workers skip each other's locked rows, and the new status hides the
rows from later claims until the lease runs out. A claimed row's ``next_attempt_at`` is set to
its lease expiry, so one condition (claimable state and ``next_attempt_at <= now``) finds both
due mail and the mail of a worker that died while holding it.

SQLite ignores ``FOR UPDATE``: there the UPDATE repeats the due condition, so a row is claimed
only if it is still due when the write happens. SQLite serialises writers, but the supported
setup is ONE worker per SQLite database (development and tests); production runs PostgreSQL.

Outcomes are recorded guarded by ``claimed_by``: a worker whose lease expired and was taken
over cannot overwrite the new owner's result, except ``sent``, which is always the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, or_, select, update

from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.notifications.backends import Mail, fill
from talentmatch.notifications.models import (
    DEAD,
    DONE,
    FAILED,
    PENDING,
    PROCESSING,
    SENDING,
    SENT,
    OutboxBody,
    OutboxEvent,
    OutboxMessage,
)

MSG = OutboxMessage.__table__
BODY = OutboxBody.__table__
EVT = OutboxEvent.__table__
CLAIMABLE = (PENDING, FAILED, SENDING)


@dataclass
class Claimed:
    id: int
    attempts: int
    mail: Mail


def _due(cutoff: datetime):
    return and_(MSG.c.status.in_(CLAIMABLE), MSG.c.next_attempt_at <= cutoff)


def claim_messages(worker: str, limit: int, lease_seconds: float,
                   cutoff: datetime | None = None) -> tuple[list[Claimed], datetime]:
    """Lease up to ``limit`` due messages (due at ``cutoff``, default now) to ``worker``."""
    now = utcnow()
    cutoff = min(cutoff or now, now)
    until = now + timedelta(seconds=lease_seconds)

    def claim():
        ids = db.session.scalars(
            select(MSG.c.id).where(_due(cutoff)).order_by(MSG.c.id).limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            return []
        return db.session.execute(
            update(MSG).where(MSG.c.id.in_(ids), _due(cutoff))
            .values(status=SENDING, claimed_by=worker, lease_until=until, next_attempt_at=until)
            .returning(MSG.c.id, MSG.c.attempts, MSG.c.to_email, MSG.c.to_name, MSG.c.subject,
                       MSG.c.text_body, MSG.c.html_body, MSG.c.headers, MSG.c.body_id,
                       MSG.c.substitutions)
        ).all()

    with transaction():  # one short claim transaction, committed before sending
        rows = claim()
        body_ids = {r.body_id for r in rows if r.body_id is not None}
        bodies = {b.id: b for b in db.session.execute(
            select(BODY.c.id, BODY.c.text_body, BODY.c.html_body, BODY.c.headers).where(BODY.c.id.in_(body_ids))
        )} if body_ids else {}
    claimed = []
    for r in rows:
        text, html, headers = r.text_body, r.html_body or "", dict(r.headers or {})
        subs = dict(r.substitutions or {})
        if r.body_id is not None:  # a shared body: its placeholders are filled at send time
            body = bodies[r.body_id]
            text, html = body.text_body, body.html_body or ""
            shared = {name: fill(value, subs) for name, value in (body.headers or {}).items()}
            headers = {**shared, **headers}
        claimed.append(Claimed(r.id, r.attempts, Mail(
            r.id, r.to_email, r.to_name, r.subject, text, html, headers, subs)))
    claimed.sort(key=lambda c: c.id)
    return claimed, until


def extend_lease(worker: str, ids: list[int], lease_seconds: float) -> tuple[set[int], datetime]:
    """Renew the lease on ``ids``; returns those still held (others were taken over)."""
    until = utcnow() + timedelta(seconds=lease_seconds)
    if not ids:
        return set(), until
    with transaction():
        held = db.session.scalars(
            update(MSG).where(MSG.c.id.in_(ids), MSG.c.status == SENDING, MSG.c.claimed_by == worker)
            .values(lease_until=until, next_attempt_at=until).returning(MSG.c.id)).all()
    return set(held), until


def record_sent(ids: list[int]) -> None:
    """Mark sent (in the caller's transaction). Unconditional on the owner: it did go out."""
    if ids:
        db.session.execute(
            update(MSG).where(MSG.c.id.in_(ids), MSG.c.status.in_(CLAIMABLE))
            .values(status=SENT, sent_at=utcnow(), attempts=MSG.c.attempts + 1, lease_until=None,
                    last_error=""))


def record_failures(worker: str, items: list[dict]) -> None:
    """``items``: ``{"mid", "st", "err", "at"}`` — failed (retry at ``at``) or dead."""
    if items:
        db.session.execute(
            update(MSG).where(MSG.c.id == bindparam("mid"), MSG.c.status == SENDING,
                              MSG.c.claimed_by == worker)
            .values(status=bindparam("st"), last_error=bindparam("err"),
                    next_attempt_at=bindparam("at"), attempts=MSG.c.attempts + 1, lease_until=None),
            items)


def release(worker: str, ids: list[int], not_before: datetime | None = None, reason: str = "") -> None:
    """Give claimed messages back untouched (no attempt counted)."""
    if ids:
        values = {"status": case((MSG.c.attempts > 0, FAILED), else_=PENDING),
                  "next_attempt_at": not_before or utcnow(), "lease_until": None}
        if reason:
            values["last_error"] = reason[:1000]
        db.session.execute(
            update(MSG).where(MSG.c.id.in_(ids), MSG.c.status == SENDING, MSG.c.claimed_by == worker)
            .values(**values))


# --- events ------------------------------------------------------------------------------------

def claim_event(worker: str, lease_seconds: float, cutoff: datetime | None = None) -> int | None:
    """Lease the oldest due event to ``worker``; its id, or None when nothing is due."""
    now = utcnow()
    cutoff = min(cutoff or now, now)
    due = and_(EVT.c.status.in_((PENDING, PROCESSING)),
               or_(EVT.c.lease_until.is_(None), EVT.c.lease_until <= cutoff))

    def claim():
        event_id = db.session.scalar(
            select(EVT.c.id).where(due).order_by(EVT.c.id).limit(1).with_for_update(skip_locked=True))
        if event_id is None:
            return None
        return db.session.scalar(
            update(EVT).where(EVT.c.id == event_id, due)
            .values(status=PROCESSING, claimed_by=worker, lease_until=now + timedelta(seconds=lease_seconds))
            .returning(EVT.c.id))

    with transaction():
        return claim()


def finish_event(event_id: int) -> None:
    """Mark done in the caller's transaction (the one holding the handler's inserts)."""
    db.session.execute(
        update(EVT).where(EVT.c.id == event_id, EVT.c.status != DONE)
        .values(status=DONE, processed_at=utcnow(), lease_until=None, last_error=""))


def fail_event(event_id: int, worker: str, reason: str, retry_at: datetime, max_attempts: int) -> str:
    """Count a failed expansion; the event is retried at ``retry_at`` or, at the limit, dead."""
    def fail():
        attempts = db.session.scalar(select(EVT.c.attempts).where(EVT.c.id == event_id)) or 0
        status = DEAD if attempts + 1 >= max_attempts else PENDING
        db.session.execute(
            update(EVT).where(EVT.c.id == event_id, EVT.c.status == PROCESSING, EVT.c.claimed_by == worker)
            .values(status=status, attempts=attempts + 1, last_error=reason[:1000], lease_until=retry_at))
        return status

    with transaction():
        return fail()
