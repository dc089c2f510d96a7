"""Registry of what an outbox event means. Domains register handlers; the worker only looks
them up, so infrastructure never imports a domain (DESIGN.md §9)."""

from __future__ import annotations

from collections.abc import Callable

from talentmatch.notifications.models import OutboxEvent

Handler = Callable[[OutboxEvent], None]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


def emit(kind: str, payload: dict) -> OutboxEvent:
    """Add an event to the caller's transaction: it commits (or rolls back) with the change."""
    from talentmatch.extensions import db

    event = OutboxEvent(kind=kind, payload=payload)
    db.session.add(event)
    return event
