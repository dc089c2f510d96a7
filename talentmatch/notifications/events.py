"""Outbox events: a domain emits one in its transaction; what the event means is the
receiver connected to signals.outbox_event for its kind (``sender=kind``). The worker only
looks the receiver up, so infrastructure never imports a domain (DESIGN.md §9)."""

from __future__ import annotations

from collections.abc import Callable

from talentmatch import signals
from talentmatch.notifications.models import OutboxEvent

Handler = Callable[[OutboxEvent], None]


def handler_for(kind: str) -> Handler | None:
    """``handler(event)`` runs the receiver connected for the event's kind (None when no
    domain answers it); see signals.outbox_event for what a receiver must guarantee."""
    receivers = list(signals.outbox_event.receivers_for(kind))
    if not receivers:
        return None
    receiver = receivers[-1]  # one per kind: the latest connected answers
    return lambda event: receiver(kind, event=event)


def emit(kind: str, payload: dict) -> OutboxEvent:
    """Add an event to the caller's transaction: it commits (or rolls back) with the change."""
    from talentmatch.extensions import db

    event = OutboxEvent(kind=kind, payload=payload)
    db.session.add(event)
    return event
