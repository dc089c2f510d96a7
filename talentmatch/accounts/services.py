"""Account use cases. Each public function owns its transaction."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pyotp
from flask import current_app, url_for
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from talentmatch import signals
from talentmatch.accounts import passwords, tokens
from talentmatch.accounts.models import (
    MINISTRY,
    PROFESSIONAL,
    STAFF_ROLES,
    OneTimeToken,
    User,
    UserSession,
)
from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.inputs import digits_only
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.vocab import LANGUAGES

CONSENT_VERSION = "2026-11"
# A hash of nothing in particular, so unknown accounts cost the same time as wrong passwords.
_DUMMY_HASH = generate_password_hash("timing-equaliser-not-a-password")


class AccountError(Exception):
    def __init__(self, errors: list[FieldError] | Msg) -> None:
        self.errors = errors if isinstance(errors, list) else [FieldError("", errors)]
        super().__init__(", ".join(e.message.msgid for e in self.errors))


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(passwords.normalize(password), method="scrypt")


def _check_password_policy(password: str, email: str, field: str = "password") -> None:
    problem = passwords.check(password, email=email)
    if problem:
        raise AccountError([FieldError(field, problem)])


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# --- login and sessions -------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The same answer (None) for an unknown user, a wrong password or a disabled account."""
    with transaction():
        user = find_user(email)
        ok = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH,
                                 passwords.normalize(password or ""))
        if not (user and ok and user.active):
            record("login.failed", actor=user, object_type="user",
                   object_id=user.id if user else "", detail={"email_known": bool(user)})
            return None
        if user.role == PROFESSIONAL and user.email_confirmed_at is None:
            record("login.unconfirmed", actor=user, object_type="user", object_id=user.id)
            return None
    return user


def start_session(user: User, client_ip: str = "") -> UserSession:
    with transaction():
        sess = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, client_ip=client_ip)
        db.session.add(sess)
        record("login.success", actor=user, object_type="user", object_id=user.id)
    user.session_id = sess.id
    return sess


def load_session(session_id: str) -> User | None:
    """Flask-Login's loader: refuses ended, idle or too-old sessions and disabled users."""
    sess = db.session.get(UserSession, session_id)
    if sess is None:
        return None
    now = utcnow()
    cfg = current_app.config
    idle = timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"])
    user = db.session.get(User, sess.user_id)
    if user is None or not user.active or now - sess.last_seen_at > idle or now - sess.created_at > absolute:
        with transaction():
            db.session.delete(sess)
        return None
    if now - sess.last_seen_at > timedelta(seconds=60):
        with transaction():
            sess.last_seen_at = now
    user.session_id = sess.id
    return user


def end_session(session_id: str | None, user: User | None = None) -> None:
    with transaction():
        if session_id:
            db.session.execute(delete(UserSession).where(UserSession.id == session_id))
        if user is not None:
            record("logout", actor=user, object_type="user", object_id=user.id)


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


# --- TOTP second factor ------------------------------------------------------------------

def needs_mfa(user: User) -> bool:
    return user.role in STAFF_ROLES and current_app.config.get("MFA_REQUIRED", True)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="TalentMatch")


def verify_totp(user: User, code: str, secret: str | None = None) -> bool:
    """Accept the current code (±1 step for clock drift); a used code cannot be replayed."""
    secret = secret or user.totp_secret
    # An IME sends ６７１４４８ or "671 448": fold before comparing, which needs ASCII.
    code = digits_only(code)
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now_counter = totp.timecode(utcnow())
    for counter in (now_counter - 1, now_counter, now_counter + 1):
        if secrets.compare_digest(totp.generate_otp(counter), code):
            if user.totp_last_counter is not None and counter <= user.totp_last_counter:
                return False
            with transaction():
                user.totp_last_counter = counter
                if secret != user.totp_secret:
                    user.totp_secret = secret
                record("mfa.success", actor=user, object_type="user", object_id=user.id)
            return True
    with transaction():
        record("mfa.failed", actor=user, object_type="user", object_id=user.id)
    return False


def current_totp(user: User) -> str:
    if not user.totp_secret:
        raise AccountError(Msg(N_("This account has not set up its second factor yet.")))
    return pyotp.TOTP(user.totp_secret).now()


# --- accounts ------------------------------------------------------------------------------

def create_admin(email: str, password: str, display_name: str = "") -> User:
    email = normalize_email(email)
    if find_user(email):
        raise AccountError([FieldError("email", Msg(N_("An account with this email already exists.")))])
    _check_password_policy(password, email)
    with transaction():
        user = User(email=email, password_hash=hash_password(password), role=MINISTRY,
                    display_name=display_name or email, email_confirmed_at=utcnow(),
                    password_changed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        record("user.created", object_type="user", object_id=user.id, detail={"role": MINISTRY})
    return user


def registration_errors(*, email: str | None, password: str | None, display_name: str | None,
                        consent: bool) -> list[FieldError]:
    """Every rule a registration must meet, checked together so one submit lists them all."""
    errors = []
    if not (display_name or "").strip():
        errors.append(FieldError("display_name", Msg(N_("Enter your name or your company's name."))))
    problem = passwords.check(password or "", email=normalize_email(email or ""))
    if problem:
        errors.append(FieldError("password", problem))
    if not consent:
        errors.append(FieldError("consent", Msg(N_("Please agree to the purposes of use to register."))))
    return errors


def register_professional(*, email: str, password: str, display_name: str, consent: bool,
                          locale: str = "ja") -> User | None:
    """Create an unconfirmed professional and mail a confirmation link.

    Registering an address that exists sends that owner a notice instead, and the page shows
    the same message, so nobody learns who is registered.
    """
    email = normalize_email(email)
    errors = registration_errors(password=password, display_name=display_name, consent=consent,
                                 email=email)
    if errors:
        raise AccountError(errors)
    with transaction():
        existing = find_user(email)
        if existing:
            enqueue_mail(to_email=email, template="already_registered", locale=existing.locale,
                         login_url=_url("accounts.login"), reset_url=_url("accounts.forgot"))
            return None
        user = User(email=email, password_hash=hash_password(password), role=PROFESSIONAL,
                    display_name=display_name.strip()[:100],
                    locale=locale if locale in LANGUAGES else "ja",
                    consent_version=CONSENT_VERSION, consent_at=utcnow(),
                    password_changed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        signals.professional_registered.send(user)  # professionals/hooks.py: the profile
        _send_token_mail(user, "confirm", "confirm_email", current_app.config["CONFIRM_MAX_AGE"],
                         "accounts.confirm")
        record("user.registered", actor=user, object_type="user", object_id=user.id,
               detail={"consent_version": CONSENT_VERSION})
    return user


def _url(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def _send_token_mail(user: User, purpose: str, template: str, max_age: int, endpoint: str) -> None:
    raw, digest = tokens.new_token()
    db.session.add(OneTimeToken(purpose=purpose, user_id=user.id, token_hash=digest,
                                expires_at=utcnow() + timedelta(seconds=max_age)))
    link = _url(endpoint, token=tokens.sign(purpose, raw))
    enqueue_mail(to_email=user.email, to_name=user.display_name, template=template,
                 locale=user.locale, link=link, hours=max_age // 3600, user=user)


def _use_token(purpose: str, signed: str, max_age: int) -> OneTimeToken | None:
    raw = tokens.unsign(purpose, signed, max_age)
    if raw is None:
        return None
    row = db.session.scalar(select(OneTimeToken).where(
        OneTimeToken.token_hash == tokens.token_hash(raw), OneTimeToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    row.used_at = utcnow()
    return row


def confirm_email(signed: str) -> User | None:
    with transaction():
        row = _use_token("confirm", signed, current_app.config["CONFIRM_MAX_AGE"])
        if row is None:
            return None
        user = db.session.get(User, row.user_id)
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        record("user.confirmed", actor=user, object_type="user", object_id=user.id)
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user and user.active:
        with transaction():
            _send_token_mail(user, "reset", "password_reset", current_app.config["RESET_MAX_AGE"],
                             "accounts.reset")
            record("password.reset_requested", actor=user, object_type="user", object_id=user.id)


def check_reset_token(signed: str) -> bool:
    raw = tokens.unsign("reset", signed, current_app.config["RESET_MAX_AGE"])
    if raw is None:
        return False
    row = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == tokens.token_hash(raw)))
    return bool(row and row.used_at is None and row.expires_at >= utcnow())


def reset_password(signed: str, password: str) -> User | None:
    """A weak new password refuses the reset and leaves the link usable (rolled back)."""
    with transaction():
        row = _use_token("reset", signed, current_app.config["RESET_MAX_AGE"])
        if row is None:
            return None
        user = db.session.get(User, row.user_id)
        _check_password_policy(password, user.email)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        if user.role == PROFESSIONAL:
            user.email_confirmed_at = user.email_confirmed_at or utcnow()  # the link proves the address
        end_all_sessions(user)
        record("password.reset", actor=user, object_type="user", object_id=user.id)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, passwords.normalize(current or "")):
        raise AccountError([FieldError("current_password", Msg(N_("The current password is not correct.")))])
    _check_password_policy(new, user.email, "new_password")
    with transaction():
        user.password_hash = hash_password(new)
        user.password_changed_at = utcnow()
        end_all_sessions(user)
        record("password.changed", actor=user, object_type="user", object_id=user.id)


def set_locale(user: User, locale: str) -> None:
    if locale in LANGUAGES:
        with transaction():
            user.locale = locale
