"""Forms for applying, inviting, moving an application and recording an appointment. The
forms carry values; the services decide (and name the field of any problem)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch import vocab
from talentmatch.applications import pipeline


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplyForm(FlaskForm):
    postings = MultiCheckboxField(_l("Postings to apply to"), coerce=int, validate_choice=False)
    message = TextAreaField(
        _l("Message to the municipality"),
        description=_l("Why this role interests you and what you would bring. Your profile is sent with it."),
        render_kw={"rows": 6, "maxlength": 4000},
    )


class WithdrawForm(FlaskForm):
    note = TextAreaField(_l("Reason (optional)"), render_kw={"rows": 2, "maxlength": 2000})


class InviteForm(FlaskForm):
    professional_id = HiddenField()
    message = TextAreaField(
        _l("Message to the candidate (optional)"), render_kw={"rows": 3, "maxlength": 4000}
    )


class MoveForm(FlaskForm):
    target = HiddenField()
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Kept with the application's history for your colleagues; the applicant "
                       "sees it only if they download their data."),
        render_kw={"rows": 2, "maxlength": pipeline.NOTE_MAX},
    )


def _choices(choices) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(c.value, _l(c.label)) for c in choices]


class AppointmentForm(FlaskForm):
    days_per_month = DecimalField(_l("Days per month"), places=1, validators=[Optional()],
                                  render_kw={"inputmode": "decimal", "step": "0.5"})
    period_start = DateField(_l("Start of the appointment"), validators=[Optional()])
    period_end = DateField(_l("End of the appointment"), validators=[Optional()])
    employment_type = SelectField(_l("Employment type"), choices=_choices(vocab.EMPLOYMENT_TYPES),
                                  validate_choice=False)
    compensation_amount = IntegerField(_l("Compensation (yen)"), validators=[Optional()],
                                       render_kw={"inputmode": "numeric"})
    compensation_unit = SelectField(_l("Unit"), choices=_choices(vocab.COMPENSATION_UNITS),
                                    validate_choice=False)
    fills_posting = BooleanField(
        _l("This appointment fills the posting"),
        description=_l("The posting closes as filled and no longer accepts applications."),
        default=True,
    )
    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2, "maxlength": pipeline.NOTE_MAX})

    def values(self) -> dict[str, object]:
        """Raw values for the service; a value the browser could not parse is passed on as
        text so the service names the field."""
        def raw(field):
            if field.data is None and field.raw_data and field.raw_data[0]:
                return field.raw_data[0]
            return field.data

        days = raw(self.days_per_month)
        return {
            "days_per_month": float(days) if days is not None and not isinstance(days, str) else days,
            "period_start": raw(self.period_start),
            "period_end": raw(self.period_end),
            "employment_type": self.employment_type.data or None,
            "compensation_amount": raw(self.compensation_amount),
            "compensation_unit": self.compensation_unit.data or None,
            "fills_posting": bool(self.fills_posting.data),
            "note": self.note.data,
        }
