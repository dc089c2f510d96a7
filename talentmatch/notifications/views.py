"""Outbox state for staff: pending, sent, failed and dead messages with their reasons."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from talentmatch.accounts.models import MINISTRY
from talentmatch.accounts.permissions import register_nav, role_required
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxEvent, OutboxMessage

STATUS_LABELS = {
    "pending": _l("Pending"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed, will retry"),
    "dead": _l("Dead (not sent)"),
    "dropped": _l("Dropped"),
}

bp = Blueprint("notifications", __name__, url_prefix="/admin/outbox")


@bp.get("")
@role_required(MINISTRY)
def outbox():
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    problems = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_(("failed", "dead")))
        .order_by(OutboxMessage.id.desc()).limit(100)).all()
    recent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)).all()
    pending_events = db.session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.processed_at.is_(None)))
    return render_template("notifications/outbox.html", counts=counts, problems=problems,
                           recent=recent, pending_events=pending_events,
                           status_labels=STATUS_LABELS)


register_nav("notifications.outbox", _l("Mail outbox"), (MINISTRY,), order=95)
