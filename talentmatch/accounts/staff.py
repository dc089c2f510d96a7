"""Staff accounts: invitations (the ministry invites coordinators and ministry staff, a
coordinator the staff of their prefecture's municipalities) and their administration
(disable, enable, reset the second factor). Each public function owns its transaction."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from talentmatch.accounts import passwords, tokens
from talentmatch.accounts.models import (
    MINISTRY,
    MUNICIPALITY,
    PREFECTURE,
    PROFESSIONAL,
    Invitation,
    User,
)
from talentmatch.accounts.services import (
    AccountError,
    _url,
    end_all_sessions,
    find_user,
    hash_password,
    normalize_email,
)
from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.vocab import LANGUAGES

# --- invitations -----------------------------------------------------------------------------

def invitable_roles(inviter: User) -> tuple[str, ...]:
    if inviter.role == MINISTRY:
        return (PREFECTURE, MINISTRY)
    if inviter.role == PREFECTURE:
        return (MUNICIPALITY,)
    return ()


def invite(inviter: User, *, email: str, role: str, prefecture_code: str | None = None,
           municipality_code: str | None = None, locale: str = "ja") -> Invitation:
    """The ministry invites coordinators (and ministry staff); a coordinator invites staff of
    municipalities in their own prefecture. Anything else is refused."""
    from email_validator import EmailNotValidError, validate_email

    email = normalize_email(email)
    errors: list[FieldError] = []
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors.append(FieldError("email", Msg(N_("Enter a valid email address."))))
    if role not in invitable_roles(inviter):
        raise PermissionError("role not invitable by this user")
    if role == PREFECTURE:
        if not prefecture_code or db.session.get(Prefecture, prefecture_code) is None:
            errors.append(FieldError("prefecture_code", Msg(N_("Choose a prefecture."))))
        municipality_code = None
    elif role == MUNICIPALITY:
        muni = db.session.get(Municipality, municipality_code or "")
        if muni is None:
            errors.append(FieldError("municipality_code", Msg(N_("Choose a municipality."))))
        elif muni.prefecture_code != inviter.prefecture_code:
            raise PermissionError("municipality outside the coordinator's prefecture")
        prefecture_code = None
    else:
        prefecture_code = municipality_code = None
    if email and find_user(email):
        errors.append(FieldError("email", Msg(N_("An account with this email already exists."))))
    if errors:
        raise AccountError(errors)
    raw, digest = tokens.new_token()
    max_age = current_app.config["INVITATION_MAX_AGE"]
    with transaction():
        inv = Invitation(email=email, role=role, prefecture_code=prefecture_code,
                         municipality_code=municipality_code, invited_by_id=inviter.id,
                         token_hash=digest, expires_at=utcnow() + timedelta(seconds=max_age))
        db.session.add(inv)
        db.session.flush()
        enqueue_mail(to_email=email, template="invitation", locale=locale, invitation=inv,
                     inviter=inviter,
                     link=_url("accounts.accept_invitation", token=tokens.sign("invite", raw)),
                     days=max_age // 86400)
        record("invitation.created", actor=inviter, object_type="invitation", object_id=inv.id,
               detail={"role": role, "prefecture": prefecture_code,
                       "municipality": municipality_code})
    return inv


def find_invitation(signed: str) -> Invitation | None:
    raw = tokens.unsign("invite", signed, current_app.config["INVITATION_MAX_AGE"])
    if raw is None:
        return None
    inv = db.session.scalar(select(Invitation).where(Invitation.token_hash == tokens.token_hash(raw)))
    if inv is None or inv.used_at is not None or inv.expires_at < utcnow():
        return None
    return inv


def accept_invitation(signed: str, *, display_name: str, password: str, locale: str = "ja") -> User | None:
    inv = find_invitation(signed)
    if inv is None:
        return None
    errors = []
    problem = passwords.check(password, email=inv.email)
    if problem:
        errors.append(FieldError("password", problem))
    if not (display_name or "").strip():
        errors.append(FieldError("display_name", Msg(N_("Enter your name."))))
    if find_user(inv.email):
        errors.append(FieldError("email", Msg(N_("An account with this email already exists."))))
    if errors:
        raise AccountError(errors)
    with transaction():
        inv.used_at = utcnow()
        user = User(email=inv.email, password_hash=hash_password(password), role=inv.role,
                    prefecture_code=inv.prefecture_code, municipality_code=inv.municipality_code,
                    display_name=display_name.strip()[:100], email_confirmed_at=utcnow(),
                    locale=locale if locale in LANGUAGES else "ja",
                    password_changed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        record("user.created", actor=user, object_type="user", object_id=user.id,
               detail={"role": inv.role, "invitation": inv.id})
    return user


# --- administration ------------------------------------------------------------------------

def manageable_users(actor: User):
    """Accounts an administrator may see: the ministry sees all staff; a coordinator the staff
    of municipalities in their prefecture."""
    q = select(User).where(User.role != PROFESSIONAL).order_by(User.role, User.email)
    if actor.role == PREFECTURE:
        q = q.where(User.role == MUNICIPALITY, func.substr(User.municipality_code, 1, 2) == actor.prefecture_code)
    elif actor.role != MINISTRY:
        return []
    return list(db.session.scalars(q))


def can_administer(actor: User, user: User) -> bool:
    if actor.id == user.id:
        return False
    if actor.role == MINISTRY:
        return user.role != PROFESSIONAL
    if actor.role == PREFECTURE:
        return user.role == MUNICIPALITY and (user.municipality_code or "")[:2] == actor.prefecture_code
    return False


def set_active(actor: User, user: User, active: bool) -> None:
    if not can_administer(actor, user):
        raise PermissionError("not allowed")
    with transaction():
        user.active = active
        if not active:
            end_all_sessions(user)
        record("user.enabled" if active else "user.disabled", actor=actor, object_type="user",
               object_id=user.id)


def reset_second_factor(actor: User, user: User) -> None:
    if not can_administer(actor, user):
        raise PermissionError("not allowed")
    with transaction():
        user.totp_secret = None
        user.totp_last_counter = None
        end_all_sessions(user)
        record("mfa.reset", actor=actor, object_type="user", object_id=user.id)
