from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from talentmatch.web import NumberField, language_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)])


class MfaForm(FlaskForm):
    code = NumberField(_l("6-digit code"), validators=[DataRequired(_l("Enter the 6-digit code.")), Length(max=12)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Name (or company name)"), validators=[DataRequired(_l("Enter your name or your company's name.")), Length(max=100)])
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Email(_l("Enter a valid email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter a password.")), Length(max=1024)],
                             description=_l("At least 8 characters. A long phrase is best; Japanese is fine."))
    consent = BooleanField(_l("I have read the purposes of use and agree to them"))


class EmailForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a password.")), Length(max=1024)],
                             description=_l("At least 8 characters. A long phrase is best; Japanese is fine."))


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter a password.")), Length(max=1024)],
                             description=_l("At least 8 characters. A long phrase is best; Japanese is fine."))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password."))])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a password.")), Length(max=1024)],
                                 description=_l("At least 8 characters. A long phrase is best; Japanese is fine."))


class InviteForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=[])
    prefecture_code = SelectField(_l("Prefecture"), choices=[], validators=[Optional()])
    municipality_code = SelectField(_l("Municipality"), choices=[], validators=[Optional()])
    locale = SelectField(_l("Language of the invitation"), choices=language_choices())


class MailPreferenceForm(FlaskForm):
    """How workflow mail reaches a staff account."""

    mail_preference = RadioField(
        _l("How to receive it"),
        choices=[SelectChoice("each", _l("A mail for each event (submitted, returned, relayed, published, new application …)")),
                 SelectChoice("daily", _l("One daily summary of what waits for me (sent only when something waits)"))],
        validators=[DataRequired(_l("Choose how you want to receive workflow mail."))],
    )
