"""The email-confirmation link: whether it can still be used (checked before any button is
shown), and sending a fresh one to a registered person who has not confirmed yet."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from talentmatch.accounts import tokens
from talentmatch.accounts.models import OneTimeToken, User
from talentmatch.accounts.permissions import is_professional
from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db

USABLE = "usable"
ALREADY_CONFIRMED = "already_confirmed"  # used, and the address is confirmed: nothing to do
UNUSABLE = "unusable"  # garbled, forged, expired or superseded


def link_state(signed: str) -> str:
    """What a confirmation link is worth, without using it."""
    raw = tokens.unsign("confirm", signed, current_app.config["CONFIRM_MAX_AGE"])
    if raw is None:
        return UNUSABLE
    row = db.session.scalar(select(OneTimeToken).where(
        OneTimeToken.token_hash == tokens.token_hash(raw), OneTimeToken.purpose == "confirm"))
    if row is None:
        return UNUSABLE
    if row.used_at is not None:
        user = db.session.get(User, row.user_id)
        return ALREADY_CONFIRMED if user is not None and user.email_confirmed_at else UNUSABLE
    return USABLE if row.expires_at >= utcnow() else UNUSABLE


def resend(email: str) -> None:
    """Mail a new confirmation link if ``email`` belongs to a registered, unconfirmed person;
    say nothing either way (the page reads the same, so nobody learns who is registered)."""
    from talentmatch.accounts.services import _send_token_mail, find_user

    user = find_user(email or "")
    if user is None or not user.active or not is_professional(user) or user.email_confirmed_at:
        return
    with transaction():
        _send_token_mail(user, "confirm", "confirm_email", current_app.config["CONFIRM_MAX_AGE"],
                         "accounts.confirm")
        record("user.confirmation_resent", actor=user, object_type="user", object_id=user.id)
