"""Small helpers shared by every domain's views: translating domain messages into forms,
and charts into page markup."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext
from markupsafe import Markup

from talentmatch.messages import FieldError, Msg


def tr(message: Msg | str) -> str:
    """Render a domain message (or msgid) in the user's language."""
    if isinstance(message, Msg):
        return message.render(gettext)
    return gettext(message)


def apply_errors(form, errors: Iterable[FieldError]) -> list[str]:
    """Attach domain errors to the form's fields; returns those that name no field."""
    general = []
    for err in errors:
        field = getattr(form, err.field, None) if err.field else None
        text = tr(err.message)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [text]
        else:
            general.append(text)
    return general


def client_ip() -> str:
    return request.remote_addr or ""


def chart_svg(markup: str) -> Markup:
    """SVG drawn by talentmatch.charts, which escapes every text and attribute it writes."""
    return Markup(markup)  # noqa: S704

