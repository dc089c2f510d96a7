"""Small helpers shared by every domain's views: translating domain messages into forms,
the service's languages as form choices, and charts into page markup."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from talentmatch.messages import FieldError, Msg
from talentmatch.vocab import LANGUAGE_NAMES


def tr(message: Msg | str) -> str:
    """Render a domain message (or msgid) in the user's language."""
    if isinstance(message, Msg):
        return message.render(gettext)
    return gettext(message)


def language_choices() -> list[SelectChoice]:
    """The service's languages for a form, each named in itself (日本語, English)."""
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


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

