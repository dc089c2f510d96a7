"""Builders shared by the notification tests: outbox rows, a fast retry policy, backends."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.notifications.sendgrid_backend import SendGridBackend
from talentmatch.notifications.services import enqueue_many
from talentmatch.notifications.worker import Policy

SENDER = "TalentMatch <no-reply@talentmatch.example.jp>"


def rows(n: int, *, group: int = 1, prefix: str = "p", start: int = 0, bad: set[int] = frozenset(),
         content: str | None = None) -> list[dict]:
    """``n`` messages; each run of ``group`` shares subject and bodies (a batchable fan-out),
    or all share ``content`` when given.

    Recipients listed in ``bad`` get an address SendGrid refuses (no dot in the domain).
    """
    out = []
    for i in range(start, start + n):
        g = content if content is not None else i // group
        out.append({
            "to_email": f"{prefix}{i}@invalid" if i in bad else f"{prefix}{i}@example.jp",
            "to_name": f"受信者 {i}",
            "subject": f"新着の募集 {prefix}{g}",
            "text_body": f"本文 {g}\n配信停止: https://talentmatch.example.jp/u/{g}",
            "html_body": f"<p>本文 {g}</p>",
            "headers": {"List-Unsubscribe": f"<https://talentmatch.example.jp/unsubscribe/{prefix}{i}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            "kind": "test",
            "dedupe_key": f"test:{prefix}:{i}",
        })
    return out


def queue(n: int, **kw) -> list[int]:
    """Insert and commit ``n`` messages; their ids in order."""
    enqueue_many(rows(n, **kw))
    db.session.commit()
    prefix = kw.get("prefix", "p")
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.dedupe_key.like(f"test:{prefix}:%")).order_by(OutboxMessage.id)))


def states() -> Counter:
    return Counter(dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()))


def fast_policy(**kw) -> Policy:
    defaults = {"batch": 500, "lease": 30.0, "max_attempts": 8, "backoff_base": 0.01, "backoff_cap": 0.05}
    return Policy(**(defaults | kw))


def sendgrid(fake, **kw) -> SendGridBackend:
    return SendGridBackend("SG.test-key", SENDER, host=fake.url, timeout=kw.pop("timeout", 2.0), **kw)


def message(message_id: int) -> OutboxMessage:
    """The row as stored now (reloaded, without discarding other objects' changes)."""
    return db.session.get(OutboxMessage, message_id, populate_existing=True)
