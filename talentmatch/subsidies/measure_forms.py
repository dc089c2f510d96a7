"""Forms of the ministry's measures pages (DESIGN §6). The values are checked by
``measures.parse_measure``, the same rules as an import file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch.subsidies.measures import BODY_KINDS, CAP_OF
from talentmatch.vocab import KIND_LABELS


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeasureForm(FlaskForm):
    key = StringField(_l("Key"), description=_l("Lowercase letters, digits and underscores, e.g. recruitment_2026. It stays the same across versions."))
    name_ja = StringField(_l("Name (Japanese)"))
    name_en = StringField(_l("Name (English)"))
    categories = StringField(
        _l("Cost categories"),
        description=_l("Keys separated by spaces or commas: recruitment, special_part_time_remuneration, outsourcing_fee, full_time_salary, fiscal_year_appointee_pay, or a new one."),
    )
    rate = StringField(_l("Rate"), description=_l("An exact fraction such as 1/2 (or 0.5)."))
    cap = StringField(_l("Cap (yen)"), render_kw={"inputmode": "numeric"},
                      description=_l("Per body and fiscal year; leave empty for no cap."))
    cap_of = SelectField(_l("The cap limits"), choices=[], validate_choice=False)
    first_fy = StringField(_l("First fiscal year"), render_kw={"inputmode": "numeric"},
                           description=_l("As a western year: 2026 is 令和8年度."))
    last_fy = StringField(_l("Last fiscal year"), render_kw={"inputmode": "numeric"})
    body_kinds = CheckboxesField(_l("Eligible kinds of body"), choices=[], validate_choice=False)
    source = TextAreaField(_l("Legal basis / source"), render_kw={"rows": 4})
    source_url = StringField(_l("Source address (URL)"), render_kw={"type": "url"})

    def set_choices(self, gettext) -> MeasureForm:
        self.cap_of.choices = [(k, gettext(v)) for k, v in CAP_OF.items()]
        self.body_kinds.choices = [(k, gettext(KIND_LABELS[k])) for k in BODY_KINDS]
        return self

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name).data for name in (
            "key", "name_ja", "name_en", "categories", "rate", "cap", "cap_of", "first_fy",
            "last_fy", "body_kinds", "source", "source_url")}


class PreviewForm(FlaskForm):
    municipality_code = StringField(_l("Municipality code"), default="012025")
    lines = TextAreaField(
        _l("Sample lines"), render_kw={"rows": 6},
        description=_l("One line each: fiscal year (e.g. 2026) or date (2026-06-30), category, amount in yen."),
    )
