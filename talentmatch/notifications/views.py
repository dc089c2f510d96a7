"""Outbox state for the ministry: counts, failed and dead messages with their reasons, retry."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY
from talentmatch.accounts.permissions import NavItem, role_required
from talentmatch.notifications import services

STATUS_LABELS = {
    "pending": _l("Pending"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed, will retry"),
    "dead": _l("Dead (not sent)"),
    "dropped": _l("Dropped"),
}
EVENT_STATUS_LABELS = {
    "pending": _l("Pending"),
    "processing": _l("Being expanded"),
    "done": _l("Expanded"),
    "dead": _l("Gave up (not expanded)"),
}
# The code at the start of a stored reason (``code: detail``), for staff in their language.
REASON_LABELS = {
    "rate_limited": _l("Rate limited by the mail provider"),
    "server_error": _l("Mail provider error"),
    "timeout": _l("Mail provider did not answer in time"),
    "network_error": _l("Network error"),
    "rejected": _l("Refused by the mail provider"),
    "too_large": _l("Message too large"),
    "unauthorized": _l("Mail provider refused our credentials"),
    "gave_up": _l("Gave up after repeated failures"),
    "no_handler": _l("No handler for this event"),
    "handler_error": _l("Expanding the event failed"),
}

bp = Blueprint("notifications", __name__, url_prefix="/admin/outbox")


def reason_label(reason: str) -> str:
    code = (reason or "").split(":", 1)[0].strip()
    label = REASON_LABELS.get(code)
    return str(label) if label else ""


@bp.get("")
@role_required(MINISTRY)
def outbox():
    return render_template("notifications/outbox.html", status_labels=STATUS_LABELS,
                           event_status_labels=EVENT_STATUS_LABELS,
                           reason_label=reason_label, **services.overview())


@bp.post("/messages/<int:message_id>/retry")
@role_required(MINISTRY)
def retry(message_id: int):
    try:
        queued = services.retry_dead(current_user, message_id)
    except LookupError:
        abort(404)
    if queued:
        flash(_("Message %(id)s will be sent again.", id=message_id), "success")
    else:
        flash(_("Only dead messages can be retried."), "error")
    return redirect(url_for("notifications.outbox"))


@bp.post("/retry-dead")
@role_required(MINISTRY)
def retry_all():
    count = services.retry_all_dead(current_user)
    flash(_("%(count)s dead messages will be sent again.", count=count), "success")
    return redirect(url_for("notifications.outbox"))


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("notifications.outbox", _l("Mail outbox"), (MINISTRY,), 95),
    ]
