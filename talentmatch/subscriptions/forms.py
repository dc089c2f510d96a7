"""A saved search's form. Field names are the public listing's query parameters, so a
listing's URL fills it directly ("subscribe to this search")."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from talentmatch import vocab
from talentmatch.geo.services import prefectures
from talentmatch.i18n import current_lang
from talentmatch.submissions.services import new_key
from talentmatch.subscriptions.matching import MAX_Q_CHARS
from talentmatch.web import language_choices

FREQUENCY_LABELS = {
    "immediately": _l("Immediately: one mail per new or updated posting"),
    "daily": _l("Daily digest"),
    "weekly": _l("Weekly digest"),
}
FREQUENCY_SHORT = {
    "immediately": _l("Immediately"),
    "daily": _l("Daily"),
    "weekly": _l("Weekly"),
}


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes; the service validates the values (and names the field in its errors)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _choices(choices: tuple[vocab.Choice, ...]) -> list[SelectChoice]:
    return [SelectChoice(c.value, gettext(c.label)) for c in choices]


class SubscriptionForm(FlaskForm):
    # The version an edit form was read at, and a new search's one-time key.
    version = HiddenField()
    submission_key = HiddenField(default=new_key)
    q = StringField(_l("Keywords"), validators=[Length(max=MAX_Q_CHARS)],
                    description=_l("Skills, titles or places, in any script, as in the listing's "
                                   "search. Leave empty to hear about every posting that meets "
                                   "the other conditions."))
    prefecture = MultiCheckboxField(_l("Prefectures"), choices=[],
                                    description=_l("None ticked: all prefectures."))
    municipality = StringField(_l("Municipality"), validators=[Length(max=60)],
                               description=_l("Name (e.g. 北海道伊達市) or 6-digit code. "
                                              "Leave empty for all municipalities."))
    employment_type = MultiCheckboxField(_l("Types of appointment"), choices=[],
                                         description=_l("None ticked: every type."))
    focus_area = MultiCheckboxField(_l("Focus areas"), choices=[],
                                    description=_l("None ticked: every focus area."))
    remote = SelectField(_l("Remote work"), choices=[], validate_choice=False)
    joint = BooleanField(_l("Only joint appointments by several municipalities"))
    side_job = BooleanField(_l("Only postings that allow a side job"))
    frequency = RadioField(_l("How often"), default="immediately",
                           choices=[SelectChoice(k, v) for k, v in FREQUENCY_LABELS.items()],
                           validators=[DataRequired(_l("Choose how often you want mail."))])
    locale = RadioField(_l("Language of the mail"),
                        choices=language_choices(),
                        validators=[DataRequired(_l("Choose a language."))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        en = current_lang() == "en"
        self.prefecture.choices = [SelectChoice(p.code, p.name_en if en else p.name)
                                   for p in prefectures()]
        self.employment_type.choices = _choices(vocab.EMPLOYMENT_TYPES)
        self.focus_area.choices = _choices(vocab.FOCUS_AREAS)
        self.remote.choices = [SelectChoice("", gettext("Any")), *_choices(vocab.REMOTE_OPTIONS)]

    def values(self) -> dict:
        """What the service takes: the listing's parameter names."""
        return {name: getattr(self, name).data for name in (
            "q", "prefecture", "municipality", "employment_type", "focus_area", "remote",
            "joint", "side_job", "frequency", "locale")}


class GuestSubscriptionForm(SubscriptionForm):
    email = EmailField(_l("Your email address"),
                       validators=[DataRequired(_l("Enter your email address.")),
                                   Length(max=254)],
                       description=_l("We send a link to confirm it first; nothing else "
                                      "arrives until you do."))


def initial_data(args: Mapping, *, locale: str, municipality_text: str = "") -> dict:
    """Form data from a listing URL's query parameters (GET: shown, not saved)."""
    def many(name: str) -> list[str]:
        getlist = getattr(args, "getlist", None)
        values = getlist(name) if getlist else [args.get(name)]
        return [v for v in values if v]

    return {
        "q": (args.get("q") or "")[:MAX_Q_CHARS],
        "prefecture": many("prefecture"),
        "municipality": municipality_text or (args.get("municipality") or "")[:60],
        "employment_type": many("employment_type"),
        "focus_area": many("focus_area"),
        "remote": args.get("remote") or "",
        "joint": (args.get("joint") or "") in ("1", "true", "on", "yes"),
        "side_job": (args.get("side_job") or "") in ("1", "true", "on", "yes"),
        "frequency": "immediately",
        "locale": locale,
    }
