"""Small helpers shared by every domain's views: translating domain messages into forms,
the service's languages as form choices, and charts into page markup."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext
from markupsafe import Markup
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from talentmatch.inputs import fold_number
from talentmatch.messages import N_, FieldError, Msg
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


# The heading of the error summary in templates/_macros/forms.html, marked here because
# pybabel skips folders whose names start with "_".
ERROR_SUMMARY_TITLE = N_("Check what you entered")


def check_all(form, domain_errors: Iterable[FieldError] = ()) -> tuple[bool, list[str]]:
    """Validate a submitted form in one pass: the form's own checks (CSRF, lengths, formats)
    and the domain's (required fields, cross-field rules) together, so one submit shows every
    problem at once instead of the domain's only after the form's are fixed.

    A field the form already faults keeps its first message (one message per field is
    enough). Returns whether everything passed and the messages that name no field; the page
    lists all of them in the error summary (``_macros/forms.html``).
    """
    form_ok = form.validate()
    fresh = [e for e in domain_errors
             if not (e.field and getattr(getattr(form, e.field, None), "errors", None))]
    general = apply_errors(form, fresh)
    return form_ok and not fresh, general


def error_items(form) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error of a form, the rows of a list of
    sub-forms included ("Row 2, Days per month"), in the order the fields appear: what the
    error summary at the top of a page links to."""
    items: list[tuple[str, str, str]] = []

    def walk(field, prefix: str = "") -> None:
        if hasattr(field, "entries"):  # FieldList: one sub-form per row
            for n, entry in enumerate(field.entries, start=1):
                walk(entry, str(n))
            return
        if hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
            for sub in field.form:
                walk(sub, prefix)
            return
        label = str(field.label.text) if getattr(field, "label", None) else ""
        if prefix:
            label = gettext("Row %(n)s, %(field)s", n=prefix, field=label)
        for message in field.errors if isinstance(field.errors, list | tuple) else ():
            if not isinstance(message, dict | list | tuple):  # str or a lazy string
                items.append((field.id, label, str(message)))

    for field in form:
        walk(field)
    return items


class NumberField(StringField):
    """A code, number, amount, postal code, phone or day count: what an IME types
    (６７１４４８, ３００，０００, ０３ー１２３４ー５６７８, 　４　) is folded to ASCII before
    anything reads it (``talentmatch.inputs.fold_number``, also used by the import and API
    cleaners), so every numeric box accepts full-width input the same way."""

    def __init__(self, label=None, validators=None, filters=(), **kwargs) -> None:
        super().__init__(label, validators, filters=(fold_number, *filters), **kwargs)


def client_ip() -> str:
    return request.remote_addr or ""


def chart_svg(markup: str) -> Markup:
    """SVG drawn by talentmatch.charts, which escapes every text and attribute it writes."""
    return Markup(markup)  # noqa: S704

