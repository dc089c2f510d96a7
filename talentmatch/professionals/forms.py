"""Forms for the profile, account deletion and confirming an imported profile.

The forms only carry input: `profile.clean_profile` decides what is valid, so the web form and
the talent-list import follow the same rules and name the same fields in their errors.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch import vocab
from talentmatch.professionals import profile as rules
from talentmatch.professionals.profile import FIELD_LABELS
from talentmatch.web import NumberField


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes; values are checked by the domain rules, not here."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _choices(choices) -> list[SelectChoice]:
    return [SelectChoice(c.value, _l(c.label)) for c in choices]


class ProfileForm(FlaskForm):
    kind = RadioField(
        _l(FIELD_LABELS["kind"]),
        choices=_choices(vocab.PROFESSIONAL_KINDS),
        validate_choice=False,
        default="individual",
    )
    headline = StringField(
        _l(FIELD_LABELS["headline"]),
        description=_l(
            "One line about what you do, e.g. “Former municipal CIO adviser, "
            "system standardisation and security”."
        ),
        render_kw={"maxlength": rules.HEADLINE_MAX},
    )
    skills = TextAreaField(
        _l(FIELD_LABELS["skills"]),
        render_kw={"rows": 3, "data-suggest": "skills"},
        description=_l(
            "Separate skills with commas or 、. Japanese and English both work: "
            "セキュリティ, 情報セキュリティ and security are the same skill. "
            "Skills we do not know yet are kept as you wrote them."
        ),
    )
    focus_areas = CheckboxesField(
        _l(FIELD_LABELS["focus_areas"]),
        choices=_choices(vocab.FOCUS_AREAS),
        description=_l("The priorities of the municipal DX plan you can help with."),
    )
    experience = TextAreaField(
        _l(FIELD_LABELS["experience"]),
        render_kw={"rows": 8},
        description=_l(
            "Projects and roles, e.g. 自治体DX推進計画の策定支援, "
            "基幹業務システム標準化のPMO, 情報セキュリティポリシー策定."
        ),
    )
    qualifications = TextAreaField(
        _l(FIELD_LABELS["qualifications"]),
        render_kw={"rows": 2},
        description=_l(
            "Separate qualifications with commas or 、, e.g. ITストラテジスト、応用情報技術者、PMP."
        ),
    )
    public_sector_experience = BooleanField(
        _l("I have worked in the public sector (e.g. as a municipal or prefectural employee)")
    )
    preferred_prefectures = CheckboxesField(
        _l(FIELD_LABELS["preferred_prefectures"]),
        description=_l(
            "Where you would like to work. Leave all unticked if any prefecture is fine."
        ),
    )
    remote_preference = RadioField(
        _l(FIELD_LABELS["remote_preference"]),
        choices=_choices(vocab.REMOTE_PREFERENCES),
        validate_choice=False,
        default="hybrid",
    )
    available_days_per_month = NumberField(
        _l(FIELD_LABELS["available_days_per_month"]),
        description=_l(
            "From 0 to 31, in steps of 0.5 (e.g. 4 or 2.5). "
            "Municipalities use this to see if a role fits."
        ),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    accepted_employment_types = CheckboxesField(
        _l(FIELD_LABELS["accepted_employment_types"]), choices=_choices(vocab.EMPLOYMENT_TYPES)
    )
    discoverable = BooleanField(
        _l("Let municipalities and prefectures find my profile"),
        description=_l(
            "When this is on, staff of municipalities and prefectures using "
            "TalentMatch can find your profile (without your email address) "
            "and see it when they look for candidates. When it is off, only "
            "municipalities you apply to see your profile. You can switch "
            "it off at any time."
        ),
    )

    def __init__(self, *args, prefecture_choices: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.preferred_prefectures.choices = [
            SelectChoice(code, name) for code, name in prefecture_choices
        ]


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )


class ConfirmImportForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter a password.")), Length(max=1024)],
        description=_l("At least 8 characters. A long phrase is best; Japanese is fine."),
    )
    consent = BooleanField(_l("I have read the purposes of use and agree to them"))
    discoverable = BooleanField(_l("Let municipalities and prefectures find my profile"))
