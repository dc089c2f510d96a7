"""The outbox: domain events and per-recipient mail, written in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications.backends import fill

# Message states. ``sending`` rows are leased: once ``lease_until`` (mirrored in
# ``next_attempt_at``) passes, another worker may claim them again.
PENDING, SENDING, SENT, FAILED, DEAD, DROPPED = "pending", "sending", "sent", "failed", "dead", "dropped"
MESSAGE_STATES = (PENDING, SENDING, SENT, FAILED, DEAD, DROPPED)
# Event states: ``processing`` is leased like ``sending``; ``done`` events keep ``processed_at``.
PROCESSING, DONE = "processing", "done"
EVENT_STATES = (PENDING, PROCESSING, DONE, DEAD)


class OutboxEvent(db.Model):
    """A domain event written in the same transaction as the change that caused it.

    The worker hands it to the handler its domain registered (e.g. fan-out of a publication).
    ``lease_until`` is the claim's expiry while processing and the earliest next try after a
    failure.
    """

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    lease_until: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str] = mapped_column(String(80), default="")


class OutboxBody(db.Model):
    """One rendered mail shared by many recipients (a fan-out stores it once per template,
    language and posting revision). Its text and HTML hold placeholders that each message's
    ``substitutions`` fill at send time (the recipient's unsubscribe token …)."""

    __tablename__ = "outbox_body"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    # Headers every recipient gets, placeholders filled like the body's (List-Unsubscribe …).
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(db.Model):
    """One mail to one recipient. ``dedupe_key`` makes fan-out idempotent."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        # The worker's claim: due rows of the claimable states.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    to_email: Mapped[str] = mapped_column(String(254), index=True)
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    # A shared body (then text_body / html_body stay empty) and this recipient's values for
    # its placeholders.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_body.id"))
    substitutions: Mapped[dict | None] = mapped_column(JSON)
    body: Mapped[OutboxBody | None] = relationship(lazy="select")
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()

    def content(self) -> tuple[str, str, dict[str, str]]:
        """(text, html, headers) as the recipient gets them: a shared body and its headers
        with this message's values filled in, or the message's own."""
        if self.body is None:
            return self.text_body, self.html_body or "", dict(self.headers or {})
        subs = dict(self.substitutions or {})
        headers = {k: fill(v, subs) for k, v in (self.body.headers or {}).items()}
        return (fill(self.body.text_body, subs), fill(self.body.html_body or "", subs),
                {**headers, **(self.headers or {})})
