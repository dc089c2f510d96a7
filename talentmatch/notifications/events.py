"""Registry of what an outbox event means. Domains register handlers; the worker only looks
them up, so infrastructure never imports a domain (DESIGN.md §9)."""

from __future__ import annotations

from collections.abc import Callable

from talentmatch.notifications.models import OutboxEvent

Handler = Callable[[OutboxEvent], None]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """``handler(event)`` must be idempotent: insert mail through ``services.enqueue_many``
    with a unique ``dedupe_key`` per recipient, so a re-run after a crash adds nothing twice.
    It runs in the worker's transaction, which also marks the event done."""
    _HANDLERS[kind] = handler


def unregister(kind: str) -> None:
    _HANDLERS.pop(kind, None)


def handler_for(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


def emit(kind: str, payload: dict) -> OutboxEvent:
    """Add an event to the caller's transaction: it commits (or rolls back) with the change."""
    from talentmatch.extensions import db

    event = OutboxEvent(kind=kind, payload=payload)
    db.session.add(event)
    return event
