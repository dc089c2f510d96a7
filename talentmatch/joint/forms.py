from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from talentmatch.postings.template import fields

EMPLOYMENT_CHOICES = [(c.value, c.label) for c in fields.EMPLOYMENT_TYPES]
UNIT_CHOICES = [(c.value, c.label) for c in fields.COMPENSATION_UNITS]


class ParticipantForm(Form):
    municipality_code = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    share_days = StringField(_l("Days per month"), render_kw={"inputmode": "decimal"})
    share_cost = StringField(
        _l("Share of costs"),
        render_kw={"inputmode": "decimal", "placeholder": "50%"},
    )


class ProposalForm(FlaskForm):
    title = StringField(_l("Title of the role"), validators=[Length(max=100)],
                        description=_l("For example CIO補佐官 (shared by three towns)."))
    summary = TextAreaField(
        _l("What the role does"),
        description=_l("Shown to the participating municipalities; the lead municipality can "
                       "reuse it as the duties of the joint posting."),
    )
    lead_municipality_code = SelectField(
        _l("Lead municipality"), choices=[], validate_choice=False,
        description=_l("It publishes the joint posting for everyone and appoints the person."),
    )
    employment_type = SelectField(_l("Type of appointment"), choices=[], validate_choice=False)
    days_per_month = StringField(
        _l("Days per month in total"), render_kw={"inputmode": "decimal"},
        description=_l("The participants' days below must add up to this."),
    )
    compensation_amount = StringField(_l("Compensation (yen)"), render_kw={"inputmode": "numeric"})
    compensation_unit = SelectField(_l("Compensation unit"), choices=[], validate_choice=False)
    period_start = StringField(_l("Appointment starts"), render_kw={"type": "date"})
    period_end = StringField(_l("Appointment ends"), render_kw={"type": "date"})
    participants = FieldList(FormField(ParticipantForm), min_entries=4, max_entries=10)
    source_posting_ids = HiddenField()


class AnswerForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment"), validators=[Length(max=2000)],
        description=_l("Required when you decline: say what would make it work for you."),
    )


class InviteForm(FlaskForm):
    email = StringField(_l("Email address"), render_kw={"type": "email", "autocomplete": "off"})
    display_name = StringField(_l("Name (person or company)"), validators=[Length(max=100)])
    available_days_per_month = StringField(_l("Days a month available"),
                                           render_kw={"inputmode": "decimal"})
    skills = StringField(_l("Skills"), description=_l("Separated by 、 or ;"))
    tags = StringField(_l("Tags"), description=_l("For example 職員OB・OG、地元IT企業、大学"))
    note = TextAreaField(_l("Note for your prefecture's coordinators"))
    locale = SelectField(_l("Language for mail"), choices=[("ja", "日本語"), ("en", "English")])
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
    tags = StringField(_l("Tags"), description=_l("Separated by 、 or ,"))
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class IntroduceForm(FlaskForm):
    posting_id = SelectField(_l("Posting"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Why this person"), validators=[Length(max=2000)],
        description=_l("Seen by the person and by the municipality."),
    )
