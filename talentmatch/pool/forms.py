"""The talent pool's forms: inviting one person, importing a talent list, a pool entry's
tags and note, and introducing a person to a posting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from talentmatch.submissions.services import new_key
from talentmatch.web import NumberField, language_choices


class InviteForm(FlaskForm):
    email = StringField(_l("Email address"), render_kw={"type": "email", "autocomplete": "off"})
    # Lengths and formats are checked by the services, which report every field at once.
    display_name = StringField(_l("Name (person or company)"))
    available_days_per_month = NumberField(_l("Days a month available"),
                                           render_kw={"inputmode": "decimal"})
    skills = StringField(_l("Skills"), description=_l("Separated by 、 or ;"))
    tags = StringField(_l("Tags"), description=_l("For example 職員OB・OG、地元IT企業、大学"))
    note = TextAreaField(_l("Note for your prefecture's coordinators"))
    locale = SelectField(_l("Language for mail"), choices=language_choices())
    discoverable = BooleanField(_l("The person wants municipalities to be able to find them"))
    consent_obtained = BooleanField(
        _l("The person has agreed to be registered (consent obtained)"),
        description=_l("Without consent the person stays hidden until they confirm the link "
                       "we send them."),
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Talent list (CSV)"),
        description=_l("Columns as for `flask professionals import`: email, display_name, "
                       "available_days_per_month, skills, … (Japanese headers accepted)."),
    )
    tags = StringField(_l("Tags for everyone in the list"),
                       description=_l("For example 地元IT企業"))
    consent_obtained = BooleanField(_l("Everyone in the list has agreed to be registered "
                                       "(consent obtained)"))


class EntryForm(FlaskForm):
    # The entry's version this form was read at: a colleague's save is never silently undone.
    version = HiddenField()
    tags = StringField(_l("Tags"), description=_l("Separated by 、 or ,"))
    note = TextAreaField(_l("Note"))


class IntroduceForm(FlaskForm):
    posting_id = SelectField(_l("Posting"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Why this person"), validators=[Length(max=2000)],
        description=_l("Seen by the person and by the municipality."),
    )


class SupportForm(FlaskForm):
    """A support assignment: the person, the period and up to six municipalities with
    their days a month (support.MAX_MUNICIPALITIES rows, added below)."""

    # One assignment however often the form is sent (double click, retry, back button).
    submission_key = HiddenField(default=new_key)
    person = SelectField(_l("Person"), choices=[], validate_choice=False)
    staff_name = StringField(
        _l("Name of your staff member"),
        description=_l("Only when the person is one of your prefecture's own staff."))
    period_start = StringField(_l("Support from"), render_kw={"type": "date"})
    period_end = StringField(_l("Support until"), render_kw={"type": "date"})
    # Lengths and everything else are checked by pool.support.clean(), all at once.
    note = TextAreaField(_l("Note"), description=_l("Seen by the supported municipalities."))


for _i in range(1, 7):
    setattr(SupportForm, f"municipality_{_i}",
            SelectField(_l("Municipality %(n)s", n=_i), choices=[], validate_choice=False))
    setattr(SupportForm, f"days_{_i}",
            StringField(_l("Days a month for municipality %(n)s", n=_i),
                        render_kw={"inputmode": "decimal"}))
