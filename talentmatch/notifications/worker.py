"""The notification worker: expands events, claims pending mail and sends it."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.notifications import events
from talentmatch.notifications.backends import ConsoleBackend, FileBackend, Mail, MailBackend
from talentmatch.notifications.models import DEAD, FAILED, PENDING, SENT, OutboxEvent, OutboxMessage

log = logging.getLogger("talentmatch.notify")
BATCH = 100


def make_backend() -> MailBackend:
    cfg = current_app.config
    kind = cfg["MAIL_BACKEND"]
    if kind == "console":
        return ConsoleBackend(cfg["MAIL_FROM"])
    if kind == "sendgrid":
        from talentmatch.notifications.sendgrid_backend import SendGridBackend

        return SendGridBackend.from_config(cfg)
    return FileBackend(cfg["MAIL_DIR"], cfg["MAIL_FROM"])


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_events(limit: int = 50) -> int:
    done = 0
    rows = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.processed_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    ).all()
    for event in rows:
        handler = events.handler_for(event.kind)
        try:
            if handler is not None:
                handler(event)
            event.processed_at = utcnow()
            db.session.commit()
            done += 1
        except Exception as exc:  # keep the event for the next run
            db.session.rollback()
            event = db.session.get(OutboxEvent, event.id)
            event.attempts += 1
            event.last_error = str(exc)[:500]
            db.session.commit()
            log.exception("event %s failed", event.id)
    return done


def send_pending(backend: MailBackend | None = None, limit: int = BATCH) -> int:
    backend = backend or make_backend()
    now = utcnow()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_((PENDING, FAILED)), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    mails = [Mail(m.id, m.to_email, m.to_name, m.subject, m.text_body, m.html_body, m.headers) for m in rows]
    outcomes = backend.send(mails)
    sent = 0
    for m in rows:
        outcome = outcomes.get(m.id)
        m.attempts += 1
        if outcome and outcome.status == "sent":
            m.status, m.sent_at = SENT, utcnow()
            sent += 1
        elif outcome and outcome.status == "retry":
            m.status = FAILED
            m.next_attempt_at = utcnow() + timedelta(seconds=outcome.retry_after or 60)
            m.last_error = outcome.reason
        else:
            m.status = DEAD
            m.last_error = outcome.reason if outcome else "no outcome"
    db.session.commit()
    return sent


def run_once() -> dict[str, int]:
    return {"events": process_events(), "sent": send_pending()}


def run_forever(interval: float = 5.0) -> None:
    import time

    log.info("notification worker %s started", worker_id())
    while True:
        result = run_once()
        if not result["events"] and not result["sent"]:
            time.sleep(interval)
