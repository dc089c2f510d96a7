"""Small helpers shared by every domain's views: translating domain messages into forms,
the service's languages as form choices, and charts into page markup."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from flask import request
from flask_babel import gettext
from markupsafe import Markup
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from talentmatch.clock import TOKYO
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



def _shown(value: object, limit: int = 80) -> str:
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _canon(value: object) -> str:
    """A form value as text that is equal for equal meaning (order of choices, spacing)."""
    if isinstance(value, (list, tuple)):
        return "\x1f".join(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return "y" if value else ""
    return " ".join(str(value if value is not None else "").split())


def base_of(data: dict[str, object]) -> str:
    """What a form showed when it was read, per field (a short digest each), for its hidden
    ``base`` field: a later save can then tell which fields the user changed."""
    return json.dumps({k: hashlib.sha256(_canon(v).encode()).hexdigest()[:10]
                       for k, v in data.items()}, separators=(",", ":"), sort_keys=True)


def merge_stale(form, saved: dict[str, object], exc) -> list[str]:
    """Someone saved the record after this form was read. Merge field by field against what
    the form showed (its ``base``): a field only this user changed keeps what they typed, a
    field only the other person changed takes the saved value, a field both changed alike is
    fine. Returns [] when that settles every field (the form now holds the merge: save it
    with the record's new version), else the general message for the error summary, with
    each conflicting field marked and what the user typed kept (stale_errors)."""
    try:
        base = json.loads(form.base.data or "")
    except (AttributeError, ValueError):
        base = None
    if not isinstance(base, dict):
        return stale_errors(form, saved, exc)
    digest = {k: hashlib.sha256(_canon(v).encode()).hexdigest()[:10] for k, v in saved.items()}
    conflicts: dict[str, object] = {}
    for key, now in saved.items():
        field = getattr(form, key, None)
        if field is None:
            continue
        typed = hashlib.sha256(_canon(field.data).encode()).hexdigest()[:10]
        if typed == digest[key]:
            continue  # the same either way
        if base.get(key) == digest[key]:
            continue  # only this user changed it: keep what they typed
        if base.get(key) == typed:
            field.data = now  # only the other person changed it: take theirs
            continue
        conflicts[key] = now
    form.version.data = str(exc.version)
    form.base.data = base_of(saved)
    if not conflicts:
        return []
    return stale_errors(form, conflicts, exc)


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
        if _canon(field.data) != _canon(now):
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
