"""Queue mail in the outbox, rendered in the recipient's language."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from talentmatch.extensions import db
from talentmatch.notifications.backends import strip_crlf
from talentmatch.notifications.models import OutboxMessage


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
    """Add one message to the caller's transaction (it is sent only if that commits)."""
    subject, text, html = render_mail(template, locale, **context)
    message = OutboxMessage(
        kind=kind or template,
        dedupe_key=dedupe_key,
        to_email=to_email,
        to_name=strip_crlf(to_name),
        subject=subject,
        text_body=text,
        html_body=html,
        headers=headers or {},
        locale=locale,
    )
    db.session.add(message)
    return message
