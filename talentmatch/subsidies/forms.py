from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, Form, FormField, SelectField, StringField
from wtforms.validators import Length

from talentmatch.subsidies.measures import CATEGORIES, CATEGORY_LABELS
from talentmatch.wareki import fiscal_year_label
from talentmatch.web import NumberField

# Wide enough for earlier and later years than the measure, so out-of-period costs can be
# entered and shown as such.
FY_RANGE = range(2019, 2029)


def fiscal_year_choices(lang: str) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(fy), f"{fiscal_year_label(fy, lang)} ({fy})" if lang == "ja" else fiscal_year_label(fy, "en"))
        for fy in FY_RANGE
    ]


def category_choices(gettext) -> list[tuple[str, str]]:
    return [(k, gettext(CATEGORY_LABELS[k])) for k in CATEGORIES]


class LineFields:
    """The fields of one cost line; names match the CSV columns and the calculator."""

    date = StringField(
        _l("Date"),
        render_kw={"type": "date"},
        description=_l("The day the cost was paid. Leave empty to give only the fiscal year."),
    )
    fiscal_year = SelectField(_l("Fiscal year"), choices=[], validate_choice=False)
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    amount = NumberField(
        _l("Amount (yen)"),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        description=_l("What your municipality itself pays, in whole yen (for a joint appointment, your share)."),
    )
    note = StringField(_l("Note"), validators=[Length(max=500)])


class CostLineForm(LineFields, FlaskForm):
    pass


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "Columns: id (optional: the id of one of your lines to replace it), date, "
            "fiscal_year, category (key or Japanese name), amount, note. UTF-8 or Shift_JIS."
        ),
    )


class JointLineForm(LineFields, Form):
    pass


class ParticipantForm(Form):
    municipality_code = SelectField(_l("Participant"), choices=[], validate_choice=False)
    share = NumberField(
        _l("Share"),
        render_kw={"inputmode": "decimal"},
        description=_l("Days per month, or a fraction such as 0.5."),
    )


class JointForm(FlaskForm):
    lines = FieldList(FormField(JointLineForm), min_entries=4, max_entries=20)
    participants = FieldList(FormField(ParticipantForm), min_entries=6, max_entries=30)
