"""Forms for the standard template, built from ``fields.FIELDS`` so the form, the import
and the API can never disagree about a field.

The form only carries values: every check is ``validation.validate`` (which gives the
messages in the user's language), so no WTForms validators run here. The municipality is not
a form field at all; it comes from the clerk's account.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch.postings.services import EDITABLE_KEYS
from talentmatch.postings.template import fields
from talentmatch.submissions.services import new_key

RADIO_MAX_CHOICES = 4  # longer lists read better as a select
YES, NO = "yes", "no"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(field: fields.Field) -> list[SelectChoice]:
    return [SelectChoice(c.value, _l(c.label)) for c in field.choices]


def _wtf_field(field: fields.Field):
    label = _l(field.label)
    description = _l(field.help)
    kw: dict = {"label": label, "description": description}
    if field.type == "longtext":
        rows = 8 if field.max_length and field.max_length > 2000 else 4
        return TextAreaField(render_kw={"rows": rows}, **kw)
    if field.type == "choice":
        if len(field.choices) <= RADIO_MAX_CHOICES:
            return RadioField(choices=_choices(field), validate_choice=False, **kw)
        return SelectField(
            choices=[SelectChoice("", _l("Choose…")), *_choices(field)], validate_choice=False, **kw
        )
    if field.type == "multichoice":
        return MultiCheckboxField(choices=_choices(field), validate_choice=False, **kw)
    if field.type == "bool":
        return RadioField(
            choices=[SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))], validate_choice=False, **kw
        )
    render_kw: dict[str, str] = {}
    if field.type == "date":
        render_kw["type"] = "date"
    elif field.type == "email":
        render_kw.update(type="email", autocomplete="email")
    elif field.type == "phone":
        render_kw.update(type="tel", autocomplete="tel")
    elif field.type == "int":
        render_kw["inputmode"] = "numeric"
    elif field.type == "number":
        render_kw["inputmode"] = "decimal"
    return StringField(render_kw=render_kw, **kw)


class PostingForm(FlaskForm):
    """Every editable template field; see ``form_values`` and ``initial_data``. ``version``
    is the revision's version the form was read at and ``base`` what it showed, so a save
    after a colleague's merges field by field; ``submission_key`` makes a new posting's form
    create one posting however often it is sent."""

    version = HiddenField()
    base = HiddenField()  # what the form showed, per field (web.base_of), for merging
    submission_key = HiddenField(default=new_key)


for _key in EDITABLE_KEYS:
    setattr(PostingForm, _key, _wtf_field(fields.FIELDS_BY_KEY[_key]))


def form_values(form: PostingForm) -> dict[str, object]:
    """The posted values keyed by template field (raw text: the template cleans them)."""
    values: dict[str, object] = {}
    for key in EDITABLE_KEYS:
        field = fields.FIELDS_BY_KEY[key]
        data = form[key].data
        if field.type == "bool":
            data = {YES: True, NO: False}.get(data or "")
        values[key] = data
    return values


def initial_data(values: dict[str, object], lang: str = "ja") -> dict[str, object]:
    """A revision's stored values as form data."""
    data: dict[str, object] = {}
    sep = "、" if lang == "ja" else ", "
    for key in EDITABLE_KEYS:
        field = fields.FIELDS_BY_KEY[key]
        value = values.get(key)
        if value is None:
            data[key] = [] if field.type == "multichoice" else ""
        elif field.type == "tags":
            data[key] = sep.join(str(v) for v in value)
        elif field.type == "multichoice":
            data[key] = list(value)
        elif field.type == "bool":
            data[key] = YES if value else NO
        elif field.type == "date" and isinstance(value, date):
            data[key] = value.isoformat()
        elif field.type == "number" and isinstance(value, float) and value.is_integer():
            data[key] = str(int(value))
        else:
            data[key] = str(value)
    return data


class CloseForm(FlaskForm):
    reason = RadioField(
        _l("Why is the posting closing?"),
        choices=[
            SelectChoice("filled", _l("Position filled")),
            SelectChoice("withdrawn", _l("Withdrawn by the municipality")),
        ],
        validate_choice=False,
    )
    comment = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2, "maxlength": "4000"})


class ImportForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet file"),
        description=_l(
            "CSV (UTF-8 or Shift_JIS) or Excel (.xlsx), up to 2 MB, one posting per row, with "
            "the template's column names in the first row."
        ),
        render_kw={"accept": ".csv,.xlsx"},
    )
