"""Forms for applying, inviting, moving an application and recording an appointment. The
forms carry values; the services decide (and name the field of any problem)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch import vocab
from talentmatch.applications import pipeline
from talentmatch.web import NumberField


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
    # Text fields, not DecimalField/IntegerField/DateField: those refuse ４ or 300，000 before
    # the service runs, so their errors and the service's came in separate rounds. The
    # service (appointments.clean) checks everything in one pass and names each field.
    days_per_month = NumberField(_l("Days per month"),
                                 render_kw={"inputmode": "decimal", "step": "0.5"})
    period_start = StringField(_l("Start of the appointment"), render_kw={"type": "date"})
    period_end = StringField(_l("End of the appointment"), render_kw={"type": "date"})
    employment_type = SelectField(_l("Employment type"), choices=_choices(vocab.EMPLOYMENT_TYPES),
                                  validate_choice=False)
    compensation_amount = NumberField(_l("Compensation (yen)"),
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
        """Raw values for the service, which names the field of every problem."""
        return {
            "days_per_month": self.days_per_month.data,
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "employment_type": self.employment_type.data or None,
            "compensation_amount": self.compensation_amount.data,
            "compensation_unit": self.compensation_unit.data or None,
            "fills_posting": bool(self.fills_posting.data),
            "note": self.note.data,
        }
