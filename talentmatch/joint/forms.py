"""Joint appointment forms: the proposal with its participants, and an answer to it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from talentmatch.web import NumberField


class ParticipantForm(Form):
    municipality_code = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    share_days = NumberField(_l("Days per month"), render_kw={"inputmode": "decimal"})
    share_cost = NumberField(
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
    days_per_month = NumberField(
        _l("Days per month in total"), render_kw={"inputmode": "decimal"},
        description=_l("The participants' days below must add up to this."),
    )
    compensation_amount = NumberField(_l("Compensation (yen)"), render_kw={"inputmode": "numeric"})
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
