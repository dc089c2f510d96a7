"""Login, second factor, registration, confirmation, password reset, invitations, settings."""

from __future__ import annotations

import functools
import time
from urllib.parse import parse_qsl, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.datastructures import MultiDict

from talentmatch import signals
from talentmatch.accounts import confirmation, forms, recipients, services, staff, throttle
from talentmatch.accounts.models import ROLES, User
from talentmatch.accounts.permissions import NavItem, login_required
from talentmatch.extensions import db, limiter, login_manager
from talentmatch.i18n import LANG_COOKIE, LOCALES, url_with_lang
from talentmatch.web import apply_errors, check_all, client_ip

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.session_protection = None  # server-side sessions do the real work

MFA_PENDING_SECONDS = 300


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return services.load_session(session_id)


def _account_key() -> str:
    return "login-account:" + services.normalize_email(request.form.get("email", ""))


def _failed(response) -> bool:
    return response.status_code != 302


def _safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


def _home_for(user: User) -> str:
    return url_for("accounts.home")


def _finish_login(user: User):
    session.clear()  # a fresh cookie for the new session
    services.start_session(user, client_ip())
    login_user(user)
    return redirect(_safe_next(_home_for(user)))


def _counted(limits):
    """Run a login step as one counted attempt (throttle.attempt): 429 when exhausted, the
    attempt given back when the step succeeded (a redirect)."""

    def wrap(view):
        @functools.wraps(view)
        def run(*args, **kwargs):
            if request.method != "POST":
                return view(*args, **kwargs)
            give_back = throttle.attempt(limits())
            if give_back is None:
                abort(429)
            response = make_response(view(*args, **kwargs))
            if not _failed(response):
                give_back()
            return response

        return run

    return wrap


@bp.route("/login", methods=["GET", "POST"])
@_counted(lambda: [(current_app.config["LOGIN_LIMIT_PER_CLIENT"], f"login-client:{client_ip()}"),
                   (current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], _account_key())])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = forms.LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            error = _("The email address or password is not correct, or the address is not yet confirmed.")
        elif services.needs_mfa(user):
            session.clear()
            session["mfa_user"] = user.id
            session["mfa_at"] = int(time.time())
            session["mfa_next"] = _safe_next("")
            return redirect(url_for("accounts.mfa"))
        else:
            return _finish_login(user)
    return render_template("accounts/login.html", form=form, error=error)


def _pending_mfa_user() -> User | None:
    uid = session.get("mfa_user")
    if not uid or time.time() - session.get("mfa_at", 0) > MFA_PENDING_SECONDS:
        return None
    user = db.session.get(User, uid)
    return user if user and user.active else None


@bp.route("/login/mfa", methods=["GET", "POST"])
@_counted(lambda: [("10 per 5 minutes", f"mfa:{session.get('mfa_user')}")])
def mfa():
    user = _pending_mfa_user()
    if user is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("accounts.login"))
    form = forms.MfaForm()
    setup_secret = None
    if not user.totp_secret:
        setup_secret = session.get("mfa_setup_secret") or services.new_totp_secret()
        session["mfa_setup_secret"] = setup_secret
    error = None
    if form.validate_on_submit():
        if services.verify_totp(user, form.code.data, secret=setup_secret):
            target = session.get("mfa_next") or ""
            session.clear()
            services.start_session(user, client_ip())
            login_user(user)
            return redirect(target or _home_for(user))
        error = _("The code is not correct. Codes change every 30 seconds and each works once.")
    qr_svg = None
    if setup_secret:
        import segno

        qr_svg = segno.make(services.totp_uri(user, setup_secret)).svg_inline(scale=4)
    return render_template("accounts/mfa.html", form=form, error=error, setup_secret=setup_secret,
                           qr_svg=qr_svg, user=user)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.get_id(), current_user)
        logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.get("/home")
@login_required
def home():
    from talentmatch.accounts.labels import ROLE_LABELS

    return render_template("accounts/home.html", role_label=ROLE_LABELS[current_user.role])


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = forms.RegisterForm()
    general: list[str] = []
    ok = False
    if form.is_submitted():
        # The form's checks (email format, required fields) and the account rules (password
        # strength, consent) in one pass: every error at once.
        ok, general = check_all(form, services.registration_errors(
            email=form.email.data, password=form.password.data,
            display_name=form.display_name.data, consent=form.consent.data))
    if ok:
        try:
            services.register_professional(email=form.email.data, password=form.password.data,
                                           display_name=form.display_name.data,
                                           consent=form.consent.data, locale=_lang())
        except services.AccountError as exc:
            general = apply_errors(form, exc.errors)
        else:
            return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("accounts/register.html", form=form, general=general,
                           consent_version=services.CONSENT_VERSION)


@bp.get("/confirm/<token>")
def confirm(token: str):
    # A link that cannot work says so at once. A usable one shows a button, which keeps mail
    # scanners that follow links from confirming on their own.
    state = confirmation.link_state(token)
    if state == confirmation.ALREADY_CONFIRMED:
        flash(_("Your email address is already confirmed. You can log in."), "success")
        return redirect(url_for("accounts.login"))
    if state != confirmation.USABLE:
        return _confirm_link_invalid()
    return render_template("accounts/confirm.html", token=token)


@bp.post("/confirm/<token>")
def confirm_post(token: str):
    user = services.confirm_email(token)
    if user is None:
        return _confirm_link_invalid()
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


def _confirm_link_invalid(form=None, status: int = 400):
    return render_template("accounts/confirm_invalid.html",
                           form=form or forms.EmailForm(formdata=None),
                           hours=current_app.config["CONFIRM_MAX_AGE"] // 3600), status


@bp.post("/confirm/resend")
@limiter.limit("10 per hour")
def confirm_resend():
    form = forms.EmailForm()
    if not form.validate_on_submit():
        return _confirm_link_invalid(form)
    confirmation.resend(form.email.data)
    return render_template("accounts/check_mail.html", email=form.email.data, resent=True)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot():
    form = forms.EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/check_mail.html", email=form.email.data, reset=True)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if not services.check_reset_token(token):
        return render_template("accounts/link_invalid.html"), 400
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as exc:
            apply_errors(form, exc.errors)
        else:
            if user is None:
                return render_template("accounts/link_invalid.html"), 400
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Please log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    inv = staff.find_invitation(token)
    if inv is None:
        return render_template("accounts/link_invalid.html"), 400
    form = forms.AcceptInvitationForm()
    general: list[str] = []
    if form.validate_on_submit():
        try:
            user = staff.accept_invitation(token, display_name=form.display_name.data,
                                              password=form.password.data, locale=_lang())
        except services.AccountError as exc:
            general = apply_errors(form, exc.errors)
        else:
            if user is None:
                return render_template("accounts/link_invalid.html"), 400
            flash(_("Your account is ready. Log in and set up your second factor."), "success")
            return redirect(url_for("accounts.login"))
    from talentmatch.accounts.labels import ROLE_LABELS

    return render_template("accounts/accept_invitation.html", form=form, invitation=inv, general=general,
                           role_label=ROLE_LABELS.get(inv.role, inv.role))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    pw_form = forms.ChangePasswordForm(prefix="pw")
    mail_form = forms.MailPreferenceForm(prefix="mail") if current_user.is_staff else None
    if mail_form is not None and "mail-mail_preference" in request.form:
        if mail_form.validate_on_submit():
            recipients.set_mail_preference(current_user, mail_form.mail_preference.data)
            flash(_("Your mail setting is saved."), "success")
            return redirect(url_for("accounts.settings"))
    elif pw_form.validate_on_submit():
        try:
            services.change_password(current_user, pw_form.current_password.data, pw_form.new_password.data)
        except services.AccountError as exc:
            apply_errors(pw_form, exc.errors)
        else:
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Please log in again."), "success")
            return redirect(url_for("accounts.login"))
    if mail_form is not None and not mail_form.is_submitted():
        mail_form.mail_preference.data = current_user.mail_preference
    return render_template("accounts/settings.html", pw_form=pw_form, mail_form=mail_form)


def _lang() -> str:
    from talentmatch.i18n import current_lang

    return current_lang()


@bp.route("/language", methods=["GET", "POST"])
def language():
    """The language switch. Public pages carry no per-visitor token, so anyone may GET it: it
    only remembers the choice in this browser (the tm_lang cookie, set here and nowhere
    else) and goes back to the page with the language in its URL, which caches key on.
    A logged-in person's switch POSTs (CSRF-checked) and also saves it to their account."""
    source = request.form if request.method == "POST" else request.args
    locale = source.get("locale", "ja")
    if locale not in LOCALES:
        abort(400)
    saved = request.method == "POST" and current_user.is_authenticated
    if saved:
        services.set_locale(current_user, locale)
    home = url_for("publication.home") if "publication.home" in current_app.view_functions else "/"
    parts = urlsplit(_safe_next(home))
    target = url_with_lang(None if saved else locale, path=parts.path,
                           args=MultiDict(parse_qsl(parts.query, keep_blank_values=True)))
    response = make_response(redirect(target))
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("accounts.home", _l("My page"), ROLES, 1),
    ]
