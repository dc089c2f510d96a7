"""Small helpers shared by every domain's views: translating domain messages into forms,
the service's languages as form choices, and charts into page markup."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from talentmatch.clock import TOKYO
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



def _shown(value: object, limit: int = 80) -> str:
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stale_errors(form, saved: dict[str, object], exc) -> list[str]:
    """A save refused because someone saved the record after this form was read: keep what
    the user typed, mark each field where the saved record now says something else (with
    what it says), and give the form the saved version so that saving again, after a look,
    goes through. Returns the general message for the error summary."""
    changed = []
    for key, now in saved.items():
        field = getattr(form, key, None)
        if field is None:
            continue
        typed = field.data
        same = (sorted(map(str, typed or [])) == sorted(map(str, now or []))
                if isinstance(now, (list, tuple)) else _shown(typed) == _shown(now))
        if not same:
            changed.append(field)
            shown = _shown(now) or gettext("(empty)")
            field.errors = list(field.errors) + [
                gettext("Saved meanwhile as: “%(value)s”", value=shown)]
    if hasattr(form, "version"):
        form.version.data = str(exc.version)
    when = ""
    if getattr(exc, "updated_at", None) is not None:
        when = exc.updated_at.astimezone(TOKYO).strftime("%H:%M")
    names = "、".join(str(f.label.text) for f in changed) or gettext("none of the fields")
    return [gettext(
        "Someone else saved this at %(time)s, after you opened the form, so your changes were "
        "not saved. Fields where the saved version now differs from what you typed: "
        "%(fields)s. What you typed is kept below: check it and save again.",
        time=when or "—", fields=names)]


def already_recorded() -> str:
    """The answer to a create form sent again (double click, retry, back button)."""
    return gettext("This form had already been sent: it was recorded once, not again.")
