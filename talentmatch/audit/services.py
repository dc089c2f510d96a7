"""Audit trail: one call, used by every domain. Adds to the caller's transaction."""

from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request

from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SECRET_KEYS = {"password", "token", "code", "secret", "otp"}


def clean(value: Any) -> Any:
    """CR/LF and other control characters cannot forge log lines; secrets never stored."""
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)[:500]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k.lower() not in _SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def pseudonym(user_id: int | None) -> str:
    return f"user#{user_id}" if user_id else "system"


def record(
    action: str,
    *,
    actor=None,
    object_type: str = "",
    object_id: object = "",
    detail: dict | None = None,
) -> AuditEvent:
    actor_id = getattr(actor, "id", None)
    ip = ""
    if has_request_context():
        ip = request.remote_addr or ""
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=pseudonym(actor_id),
        action=clean(action),
        object_type=object_type,
        object_id=str(object_id or ""),
        client_ip=ip,
        detail=clean(detail or {}),
    )
    db.session.add(event)
    return event
