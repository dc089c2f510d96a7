"""Queue mail in the outbox, rendered in the recipient's language; outbox administration."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select, text, update

from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.notifications.backends import check_substitutions, clean_headers, strip_crlf
from talentmatch.notifications.models import (
    DEAD,
    DROPPED,
    EVENT_STATES,
    FAILED,
    MESSAGE_STATES,
    PENDING,
    SENDING,
    OutboxBody,
    OutboxEvent,
    OutboxMessage,
)

MSG = OutboxMessage.__table__
BODY = OutboxBody.__table__
INSERT_CHUNK = 2000
ROW_KEYS = ("to_email", "to_name", "subject", "text_body", "html_body", "headers", "locale", "kind",
            "dedupe_key", "body_id", "substitutions")


def render_mail(template: str, locale: str, **context) -> tuple[str, str, str]:
    """Render ``email/<template>.{subject,txt,html}`` in ``locale``."""
    with force_locale(locale):
        context.setdefault("base_url", current_app.config["BASE_URL"])
        context.setdefault("locale", locale)
        subject = render_template(f"email/{template}.subject.txt", **context)
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return strip_crlf(subject), text, html


def enqueue_mail(
    *,
    to_email: str,
    template: str,
    locale: str = "ja",
    to_name: str = "",
    kind: str | None = None,
    dedupe_key: str | None = None,
    headers: dict[str, str] | None = None,
    **context,
) -> OutboxMessage:
    """Add one message to the caller's transaction (it is sent only if that commits).

    A second message with the same ``dedupe_key`` fails the caller's commit (IntegrityError);
    fan-out that may run twice uses ``enqueue_many``, which skips repeats instead.
    """
    subject, text, html = render_mail(template, locale, **context)
    message = OutboxMessage(
        kind=kind or template,
        dedupe_key=dedupe_key,
        to_email=strip_crlf(to_email),
        to_name=strip_crlf(to_name),
        subject=subject,
        text_body=text,
        html_body=html,
        headers=clean_headers(headers),
        locale=locale,
    )
    db.session.add(message)
    return message


def store_body(key: str, subject: str, text_body: str, html_body: str = "",
               headers: dict[str, str] | None = None) -> int:
    """The id of the shared body stored under ``key`` (stored now if new), in the caller's
    transaction: a fan-out run again after a crash finds the body it stored before.
    ``headers`` go to every recipient, with their placeholders filled like the body's."""
    found = db.session.scalar(select(BODY.c.id).where(BODY.c.key == key))
    if found is not None:
        return int(found)
    return int(db.session.execute(
        BODY.insert().values(key=key[:200], subject=strip_crlf(subject)[:300],
                             text_body=text_body, html_body=html_body or "",
                             headers=clean_headers(headers), created_at=utcnow())).inserted_primary_key[0])


def _normalise(row: dict) -> dict:
    unknown = set(row) - set(ROW_KEYS)
    if unknown:
        raise ValueError(f"unknown outbox columns: {sorted(unknown)}")
    if not row.get("to_email") or not row.get("subject"):
        raise ValueError("an outbox row needs to_email and subject")
    body_id = row.get("body_id")
    now = utcnow()
    return {
        "kind": (row.get("kind") or "mail")[:60], "dedupe_key": row.get("dedupe_key"),
        "to_email": strip_crlf(row["to_email"]), "to_name": strip_crlf(row.get("to_name") or "")[:200],
        "subject": strip_crlf(row["subject"])[:300], "text_body": row.get("text_body") or "",
        "html_body": row.get("html_body") or "", "headers": clean_headers(row.get("headers")),
        "locale": row.get("locale") or "ja", "status": PENDING, "attempts": 0,
        "body_id": int(body_id) if body_id is not None else None,
        "substitutions": check_substitutions(row.get("substitutions")) or None,
        "next_attempt_at": now, "claimed_by": "", "last_error": "", "created_at": now,
    }


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def enqueue_many(rows: Iterable[dict]) -> int:
    """Insert many messages in the caller's transaction; repeats of a ``dedupe_key`` are skipped.

    The bulk path for fan-out (100,000 recipients), in chunks: on PostgreSQL one
    INSERT … SELECT FROM unnest(arrays) … ON CONFLICT (dedupe_key) DO NOTHING per chunk; on
    SQLite an executemany of INSERT … ON CONFLICT (dedupe_key) DO NOTHING (the precise form of
    INSERT OR IGNORE: only a duplicate key is ignored, not other errors). Running a fan-out
    again after a crash therefore adds nothing twice. Returns how many rows were new.
    """
    dialect = db.session.get_bind().dialect.name
    inserted = 0
    for chunk in _chunks(rows, INSERT_CHUNK):
        clean = [_normalise(r) for r in chunk]
        if dialect == "postgresql":
            inserted += _insert_pg(clean)
        else:
            inserted += _insert_generic(clean, dialect)
    return inserted


_BULK_COLUMNS = ("kind", "dedupe_key", "to_email", "to_name", "subject", "text_body", "html_body",
                 "headers", "locale", "body_id", "substitutions")
# The chunk travels as one JSON document and PostgreSQL unpacks it: no per-row execution and
# no per-value adaptation in Python.
_PG_BULK = text(
    "INSERT INTO outbox_message (kind, dedupe_key, to_email, to_name, subject, text_body,"
    " html_body, headers, locale, body_id, substitutions, status, attempts, next_attempt_at,"
    " claimed_by, last_error, created_at)"
    " SELECT r.kind, r.dedupe_key, r.to_email, r.to_name, r.subject, r.text_body, r.html_body,"
    " r.headers, r.locale, r.body_id, r.substitutions, :status, 0, :now, '', '', :now"
    " FROM json_to_recordset(CAST(:rows AS json)) AS r(kind text, dedupe_key text, to_email text,"
    " to_name text, subject text, text_body text, html_body text, headers json, locale text,"
    " body_id integer, substitutions json)"
    " ON CONFLICT (dedupe_key) DO NOTHING"
)


def _insert_pg(rows: list[dict]) -> int:
    """One statement per chunk (several times faster than an executemany)."""
    doc = json.dumps([{col: r[col] for col in _BULK_COLUMNS} for r in rows], ensure_ascii=False)
    return max(db.session.execute(_PG_BULK, {"rows": doc, "status": PENDING,
                                             "now": rows[0]["created_at"]}).rowcount, 0)


_SQLITE_BULK = (
    "INSERT INTO outbox_message (kind, dedupe_key, to_email, to_name, subject, text_body,"
    " html_body, headers, locale, body_id, substitutions, status, attempts, next_attempt_at,"
    " claimed_by, last_error, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (dedupe_key) DO NOTHING"
)


def _insert_generic(rows: list[dict], dialect: str) -> int:
    """SQLite: one executemany on the session's own connection (same transaction), the JSON
    columns encoded here and the chunk's one timestamp converted once: per-row work in the
    ORM's type processing cost more than the insert itself."""
    if dialect != "sqlite":  # pragma: no cover - the app supports PostgreSQL and SQLite
        raise RuntimeError(f"enqueue_many: unsupported database {dialect}")
    from sqlalchemy.dialects.sqlite import DATETIME

    utc = MSG.c.created_at.type.process_bind_param(rows[0]["created_at"], None)
    stamp = DATETIME().bind_processor(None)(utc)  # as SQLAlchemy stores it
    dumps = json.dumps
    params = [
        (r["kind"], r["dedupe_key"], r["to_email"], r["to_name"], r["subject"], r["text_body"],
         r["html_body"], dumps(r["headers"]), r["locale"], r["body_id"],
         None if r["substitutions"] is None else dumps(r["substitutions"]),
         PENDING, 0, stamp, "", "", stamp)
        for r in rows
    ]
    cursor = db.session.connection().connection.cursor()
    try:
        cursor.executemany(_SQLITE_BULK, params)
        return max(cursor.rowcount, 0)
    finally:
        cursor.close()


def drop_pending_for(email: str) -> int:
    """Forget mail to a deleted person (SECURITY.md 20), in the caller's transaction.

    Unsent messages to ``email`` (pending, failed, and in flight) become ``dropped``; their
    recipient, bodies, headers and error text are blanked. Earlier messages (sent, dead) keep
    their state but lose the same personal data, so no outbox row holds the address (the
    dedupe keys stay, so a re-run fan-out cannot queue them again). Returns
    how many unsent messages were dropped. An in-flight request may still deliver one copy.
    """
    address = (email or "").strip().lower()
    if not address:
        return 0
    match = func.lower(MSG.c.to_email) == address
    scrub = {"to_email": "", "to_name": "", "subject": "", "text_body": "", "html_body": "",
             "headers": {}, "substitutions": None, "last_error": ""}
    dropped = db.session.execute(
        update(MSG).where(match, MSG.c.status.in_((PENDING, FAILED, SENDING)))
        .values(status=DROPPED, lease_until=None, **scrub)).rowcount
    db.session.execute(update(MSG).where(match).values(**scrub))
    return dropped or 0


# --- administration ----------------------------------------------------------------------------

def overview(limit: int = 100) -> dict:
    """Counts by state, the failed and dead messages with their reasons, dead events."""
    counts = dict.fromkeys(MESSAGE_STATES, 0)
    counts.update(db.session.execute(select(MSG.c.status, func.count()).group_by(MSG.c.status)).all())
    event_counts = dict.fromkeys(EVENT_STATES, 0)
    event_counts.update(db.session.execute(
        select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)).all())
    problems = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_((FAILED, DEAD)))
        .order_by(OutboxMessage.id.desc()).limit(limit)).all()
    dead_events = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.status == DEAD).order_by(OutboxEvent.id.desc()).limit(limit)).all()
    return {"counts": counts, "event_counts": event_counts, "problems": problems,
            "dead_events": dead_events, "limit": limit}


def retry_dead(actor, message_id: int) -> bool:
    """Queue one dead message again (with fresh attempts); audited. False if it is not dead."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise LookupError(message_id)
    if message.status != DEAD:
        return False
    with transaction():
        message.status, message.attempts, message.next_attempt_at = PENDING, 0, utcnow()
        message.claimed_by, message.lease_until = "", None
        record("outbox.retry", actor=actor, object_type="outbox_message", object_id=message.id,
               detail={"kind": message.kind, "last_error": message.last_error[:200]})
    return True


def retry_all_dead(actor) -> int:
    """Queue every dead message again (after fixing the cause, e.g. the sender address)."""
    with transaction():
        count = db.session.execute(
            update(MSG).where(MSG.c.status == DEAD)
            .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), claimed_by="",
                    lease_until=None)).rowcount
        record("outbox.retry_all", actor=actor, object_type="outbox_message",
               detail={"count": count})
    return count or 0
