"""A professional's rights over their data (APPI; SECURITY.md 20): download everything held
about them, and delete their account so that no table keeps their name or email.

Other domains hold data about the person too (applications, subscriptions …). They answer
signals.personal_data_export with a section of the export and signals.personal_data_deletion
by deleting their rows (in the deletion's transaction; never committing), so this module
never imports them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, cast, delete, or_, select
from werkzeug.security import check_password_hash

from talentmatch import signals
from talentmatch.accounts import passwords
from talentmatch.accounts.models import Invitation, OneTimeToken, User, UserSession
from talentmatch.accounts.permissions import is_professional
from talentmatch.audit.models import AuditEvent
from talentmatch.audit.services import pseudonym, record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.models import (
    DEAD,
    DROPPED,
    FAILED,
    PENDING,
    SENDING,
    OutboxEvent,
    OutboxMessage,
)
from talentmatch.professionals.models import Professional
from talentmatch.professionals.profile import ProfileError
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.text import escape_like

EXPORT_FORMAT = "talentmatch-personal-data/1"
ACCOUNT_FIELDS = (
    "id",
    "email",
    "display_name",
    "role",
    "locale",
    "active",
    "email_confirmed_at",
    "password_changed_at",
    "consent_version",
    "consent_at",
    "created_at",
    "updated_at",
)
# Mail still waiting to go out is dropped; mail already handled keeps only its state.
UNSENT_STATES = (PENDING, FAILED, SENDING)
# Names shorter than this are too likely to occur in unrelated text to be replaced everywhere.
MIN_NAME_FOR_GLOBAL_SCRUB = 3

MSG_WRONG_PASSWORD = N_("The password is not correct.")

def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


# --- export -------------------------------------------------------------------------------------


def _audit_rows(user: User, prof: Professional | None):
    related = [
        AuditEvent.actor_id == user.id,
        (AuditEvent.object_type == "user") & (AuditEvent.object_id == str(user.id)),
    ]
    if prof is not None and prof.id is not None:
        related.append(
            (AuditEvent.object_type == "professional") & (AuditEvent.object_id == str(prof.id))
        )
    return db.session.scalars(select(AuditEvent).where(or_(*related)).order_by(AuditEvent.id))


def export_data(user: User) -> dict[str, Any]:
    """Everything held about the person, as one JSON-serialisable document."""
    prof = db.session.scalar(select(Professional).where(Professional.user_id == user.id))
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow(),
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "profile": None,
    }
    if prof is not None:
        vocab = load_vocabulary()
        columns = [
            c.key
            for c in Professional.__table__.columns
            # The matcher's compiled copy of the profile adds nothing the person wrote.
            if c.key not in ("user_id", "imported_by_id", "match_row", "match_vocab")
        ]
        data["profile"] = {name: getattr(prof, name) for name in columns}
        data["profile"]["skill_labels"] = [
            {"key": k, "ja": vocab.label(k, "ja"), "en": vocab.label(k, "en")}
            for k in prof.skills or []
        ]
        data["profile"]["imported_by"] = (
            pseudonym(prof.imported_by_id) if prof.imported_by_id else None
        )
    data["sessions"] = [
        {"started_at": s.created_at, "last_seen_at": s.last_seen_at, "client_ip": s.client_ip}
        for s in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    ]
    activity = []
    for event in _audit_rows(user, prof):
        entry = {
            "at": event.at,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
        }
        if event.actor_id == user.id:
            entry.update(client_ip=event.client_ip, detail=event.detail)
        else:  # someone else acted (e.g. staff viewed the profile): their details are theirs
            entry["by_someone_else"] = True
        activity.append(entry)
    data["activity"] = activity
    data["mail"] = [
        {
            "created_at": m.created_at,
            "kind": m.kind,
            "subject": m.subject,
            "status": m.status,
            "sent_at": m.sent_at,
        }
        for m in db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_email == user.email)
            .order_by(OutboxMessage.id)
        )
    ]
    for _receiver, (name, section) in signals.personal_data_export.send(user):
        data[name] = section
    with transaction():
        record(
            "personal_data.exported",
            actor=user,
            object_type="user",
            object_id=user.id,
            detail={"sections": sorted(data)},
        )
    return _plain(data)


def export_json(user: User) -> str:
    return json.dumps(export_data(user), ensure_ascii=False, indent=2, sort_keys=False)


# --- deletion -----------------------------------------------------------------------------------


def delete_account(user: User, password: str) -> None:
    """A professional deletes their own account, confirming with their password."""
    if not is_professional(user):
        raise PermissionError("only professionals delete their own account here")
    if not user.password_hash or not check_password_hash(
        user.password_hash, passwords.normalize(password or "")
    ):
        raise ProfileError([FieldError("password", Msg(MSG_WRONG_PASSWORD))])
    erase_person(user, reason="self")


def _scrub(value: Any, needles: list[str], replacement: str) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, replacement)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, needles, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles, replacement) for v in value]
    return value


def _json_contains(column, needle: str):
    """Rows whose JSON column holds `needle` (also in its \\u-escaped form, as SQLite stores it)."""
    forms = {needle, json.dumps(needle)[1:-1]}
    return or_(*(cast(column, Text).like(f"%{escape_like(f)}%", escape="\\") for f in forms))


def erase_person(user: User, reason: str) -> None:
    """Delete the person and everything about them in one transaction; rolls back on error."""
    uid, email, name = user.id, user.email, (user.display_name or "").strip()
    label = pseudonym(uid)
    needles = [n for n in (email, name) if n]
    with transaction():
        prof = db.session.scalar(select(Professional).where(Professional.user_id == uid))
        signals.personal_data_deletion.send(user)
        from talentmatch.notifications import services as notifications

        if hasattr(notifications, "drop_pending_for"):
            notifications.drop_pending_for(email)
        _erase_mail(email, name, label)
        _erase_audit(user, prof, needles, label)
        for model, column in ((OutboxEvent, OutboxEvent.payload),):
            for row in db.session.scalars(select(model).where(_json_contains(column, email))):
                row.payload = _scrub(row.payload, needles, label)
        db.session.execute(delete(Professional).where(Professional.user_id == uid))
        db.session.execute(delete(OneTimeToken).where(OneTimeToken.user_id == uid))
        db.session.execute(delete(UserSession).where(UserSession.user_id == uid))
        db.session.execute(delete(Invitation).where(Invitation.email == email))
        db.session.delete(user)
        db.session.flush()
        record("account.deleted", object_type="user", object_id=uid, detail={"reason": reason})


def _erase_mail(email: str, name: str, label: str) -> None:
    rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email)))
    for m in rows:
        if m.status in UNSENT_STATES:
            m.status = DROPPED
            m.last_error = "recipient deleted their account"
        elif m.status not in (DROPPED, DEAD):
            m.last_error = ""
        m.to_email, m.to_name, m.subject, m.text_body, m.html_body = label, "", "", "", ""
        m.headers, m.substitutions = {}, None
        if m.dedupe_key and email in m.dedupe_key:
            m.dedupe_key = None
    # Mail to others that names the person (e.g. a municipality told of an application).
    if len(name) >= MIN_NAME_FOR_GLOBAL_SCRUB:
        pattern = f"%{escape_like(name)}%"
        others = select(OutboxMessage).where(
            or_(
                OutboxMessage.to_name.like(pattern, escape="\\"),
                OutboxMessage.subject.like(pattern, escape="\\"),
                OutboxMessage.text_body.like(pattern, escape="\\"),
                OutboxMessage.html_body.like(pattern, escape="\\"),
            )
        )
        for m in db.session.scalars(others):
            m.to_name, m.subject = m.to_name.replace(name, label), m.subject.replace(name, label)
            m.text_body, m.html_body = (
                m.text_body.replace(name, label),
                m.html_body.replace(name, label),
            )
    pattern = f"%{escape_like(email)}%"
    for m in db.session.scalars(
        select(OutboxMessage).where(
            or_(
                OutboxMessage.text_body.like(pattern, escape="\\"),
                OutboxMessage.html_body.like(pattern, escape="\\"),
                OutboxMessage.subject.like(pattern, escape="\\"),
            )
        )
    ):
        m.subject = m.subject.replace(email, label)
        m.text_body, m.html_body = (
            m.text_body.replace(email, label),
            m.html_body.replace(email, label),
        )


def _erase_audit(user: User, prof: Professional | None, needles: list[str], label: str) -> None:
    """Audit rows stay (who did what, when) but keep only the pseudonym."""
    rows = {e.id: e for e in _audit_rows(user, prof)}
    for e in db.session.scalars(
        select(AuditEvent).where(_json_contains(AuditEvent.detail, user.email))
    ):
        rows[e.id] = e
    for e in rows.values():
        e.detail = _scrub(e.detail or {}, needles, label)
        if e.actor_id == user.id:
            e.actor_label = label
