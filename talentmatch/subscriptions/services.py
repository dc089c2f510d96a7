"""Saved searches: professionals manage theirs, visitors subscribe by email with double
opt-in, anyone unsubscribes with the signed link of a mail. Each use case owns its
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from sqlalchemy import delete, func, select, update

from talentmatch import signals
from talentmatch.accounts import tokens as signed_links
from talentmatch.accounts.models import PROFESSIONAL, User
from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.models import DROPPED, FAILED, PENDING, OutboxMessage
from talentmatch.notifications.services import enqueue_mail
from talentmatch.subscriptions.models import DigestItem, Subscription
from talentmatch.subscriptions.searches import (
    SubscriptionError,
    clean_all,
    clean_filters,
    describe,
    describe_in,
    municipality_input,
)
from talentmatch.subscriptions.tokens import read_unsubscribe_token

__all__ = ["SubscriptionError", "SubscriptionNotFound", "clean_filters", "describe",
           "describe_in", "municipality_input", "list_for", "get_for", "create_for",
           "update_for", "delete_for", "subscribe_guest", "check_confirm_token",
           "confirm_guest", "subscription_for_token", "unsubscribe", "purge_unconfirmed",
           "export_for", "delete_all_for"]

CONFIRM_PURPOSE = "subscription-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# A visitor's address gets at most this many confirmation mails a day (others' inboxes are
# not ours to fill); the page answers the same either way.
MAX_PENDING_PER_ADDRESS = 3
MAX_PER_USER = 20

MSG_EMAIL = N_("Enter a valid email address, e.g. taro@example.jp.")
MSG_TOO_MANY = N_("You can keep at most %(max)s saved searches. Delete one to add another.")

class SubscriptionNotFound(Exception):
    """No such subscription, or it belongs to someone else (both answer 404)."""


def absolute_url(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


# --------------------------------------------------------------------------- input


# --------------------------------------------------------------------------- professionals


def list_for(user: User) -> list[Subscription]:
    return list(db.session.scalars(
        select(Subscription).where(Subscription.user_id == user.id).order_by(Subscription.id)))


def get_for(user: User, subscription_id: int) -> Subscription:
    sub = db.session.get(Subscription, subscription_id)
    if sub is None or user.role != PROFESSIONAL or sub.user_id != user.id:
        raise SubscriptionNotFound()
    return sub


def create_for(user: User, data: Mapping) -> Subscription:
    """A professional's new saved search (confirmed at once: the account's address is)."""
    if user.role != PROFESSIONAL:
        raise SubscriptionNotFound()
    filters, frequency, locale = clean_all(data, user.locale)
    with transaction():
        count = db.session.scalar(select(func.count()).select_from(Subscription)
                                  .where(Subscription.user_id == user.id)) or 0
        if count >= MAX_PER_USER:
            raise SubscriptionError([FieldError("", Msg(MSG_TOO_MANY, {"max": MAX_PER_USER}))])
        sub = Subscription(user_id=user.id, frequency=frequency, locale=locale,
                           confirmed_at=utcnow(), last_digest_at=None)
        sub.set_filters(filters)
        db.session.add(sub)
        db.session.flush()
        record("subscription.created", actor=user, object_type="subscription", object_id=sub.id,
               detail={"frequency": frequency})
    return sub


def update_for(user: User, subscription_id: int, data: Mapping) -> Subscription:
    with transaction():
        sub = get_for(user, subscription_id)
        filters, frequency, locale = clean_all(data, sub.locale)
        if (filters, frequency) != (sub.filters, sub.frequency):
            # Postings waiting for a digest were matched against the old search.
            db.session.execute(delete(DigestItem).where(DigestItem.subscription_id == sub.id))
        sub.set_filters(filters)
        sub.frequency, sub.locale = frequency, locale
        # Saving a saved search switches its mail back on.
        sub.unsubscribed_at = None
        record("subscription.updated", actor=user, object_type="subscription",
               object_id=sub.id, detail={"frequency": frequency})
    return sub


def delete_for(user: User, subscription_id: int) -> None:
    with transaction():
        sub = get_for(user, subscription_id)
        _drop_unsent(sub.id)
        db.session.delete(sub)
        record("subscription.deleted", actor=user, object_type="subscription",
               object_id=subscription_id)


# --------------------------------------------------------------------------- visitors


def normalize_email(value: str) -> str:
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise SubscriptionError([FieldError("email", Msg(MSG_EMAIL))]) from None


def subscribe_guest(email: str, data: Mapping) -> None:
    """Record an unconfirmed subscription and mail a confirmation link (double opt-in).

    The address receives nothing else until the link is used; the caller shows the same
    page whatever happened, so nobody learns whether an address is subscribed."""
    errors: list[FieldError] = []
    try:
        address = normalize_email(email)
    except SubscriptionError as exc:
        errors.extend(exc.errors)
    try:
        filters, frequency, locale = clean_all(data, "ja")
    except SubscriptionError as exc:
        errors.extend(exc.errors)
    if errors:
        raise SubscriptionError(errors)
    with transaction():
        since = utcnow() - timedelta(days=1)
        pending = db.session.scalar(
            select(func.count()).select_from(Subscription)
            .where(Subscription.email == address, Subscription.confirmed_at.is_(None),
                   Subscription.created_at >= since)) or 0
        if pending >= MAX_PENDING_PER_ADDRESS:
            return
        raw, digest = signed_links.new_token()
        sub = Subscription(email=address, frequency=frequency, locale=locale,
                           confirm_token_hash=digest)
        sub.set_filters(filters)
        db.session.add(sub)
        db.session.flush()
        link = absolute_url("subscriptions.confirm",
                            token=signed_links.sign(CONFIRM_PURPOSE, raw))
        enqueue_mail(to_email=address, template="subscription_confirm", locale=locale,
                     kind="subscription_confirm", link=link, days=CONFIRM_MAX_AGE // 86400,
                     search=describe_in(filters, locale))
        record("subscription.requested", object_type="subscription", object_id=sub.id,
               detail={"frequency": frequency})


def _pending_by_token(signed: str) -> Subscription | None:
    raw = signed_links.unsign(CONFIRM_PURPOSE, signed or "", CONFIRM_MAX_AGE)
    if raw is None:
        return None
    sub = db.session.scalar(select(Subscription).where(
        Subscription.confirm_token_hash == signed_links.token_hash(raw)))
    if sub is None or sub.confirmed_at is not None:
        return None
    return sub


def check_confirm_token(signed: str) -> Subscription | None:
    return _pending_by_token(signed)


def confirm_guest(signed: str) -> Subscription | None:
    """Confirm a visitor's subscription; the link works once. None if it cannot be used."""
    with transaction():
        sub = _pending_by_token(signed)
        if sub is None:
            return None
        sub.confirmed_at = utcnow()
        sub.confirm_token_hash = None
        record("subscription.confirmed", object_type="subscription", object_id=sub.id)
    return sub


# --------------------------------------------------------------------------- unsubscribe


def subscription_for_token(token: str) -> tuple[bool, Subscription | None]:
    """(valid, subscription): a valid token of a subscription that no longer exists is
    still valid (unsubscribing twice is fine)."""
    sub_id = read_unsubscribe_token(token)
    if sub_id is None:
        return False, None
    return True, db.session.get(Subscription, sub_id)


def unsubscribe(token: str) -> bool:
    """One-click unsubscribe (RFC 8058). False for a forged or tampered token (nothing
    changes). A visitor's subscription is deleted with its address; a professional's stays
    listed, switched off, so it can be switched on again. Unsent mail for it is dropped."""
    sub_id = read_unsubscribe_token(token)
    if sub_id is None:
        return False
    with transaction():
        sub = db.session.get(Subscription, sub_id)
        if sub is None:
            return True
        _drop_unsent(sub.id)
        if sub.is_guest:
            db.session.delete(sub)
        elif sub.unsubscribed_at is None:
            sub.unsubscribed_at = utcnow()
        record("subscription.unsubscribed", object_type="subscription", object_id=sub_id,
               detail={"guest": sub.is_guest})
    return True


def _drop_unsent(subscription_id: int) -> None:
    """Mail for this subscription that has not gone out yet is not sent any more."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key.like(f"sub:{int(subscription_id)}:%"),
               OutboxMessage.status.in_((PENDING, FAILED)))
        .values(status=DROPPED, last_error="unsubscribed"))


def purge_unconfirmed(older_than: timedelta = timedelta(seconds=CONFIRM_MAX_AGE)) -> int:
    """Forget visitors who never confirmed (their address is kept no longer than the link
    lives). Called by the digest job; commits."""
    with transaction():
        result = db.session.execute(delete(Subscription).where(
            Subscription.user_id.is_(None), Subscription.confirmed_at.is_(None),
            Subscription.created_at < utcnow() - older_than))
    return result.rowcount or 0


# --------------------------------------------------------------------------- personal data


def export_for(user: User) -> list[dict]:
    return [{
        "id": s.id, "created_at": s.created_at, "frequency": s.frequency, "locale": s.locale,
        "prefectures": list(s.prefectures or []), "municipality": s.municipality,
        "employment_types": list(s.employment_types or []),
        "focus_areas": list(s.focus_areas or []), "remote": s.remote, "joint": s.joint,
        "side_job": s.side_job, "q": s.q, "confirmed_at": s.confirmed_at,
        "unsubscribed_at": s.unsubscribed_at, "last_digest_at": s.last_digest_at,
    } for s in list_for(user)]


def delete_all_for(user: User) -> None:
    """Account deletion: the person's saved searches go (in the caller's transaction)."""
    ids = [s.id for s in list_for(user)]
    for sub_id in ids:
        _drop_unsent(sub_id)
    if ids:
        db.session.execute(delete(Subscription).where(Subscription.id.in_(ids)))


@signals.personal_data_export.connect
def export_section(user: User) -> tuple[str, list[dict]]:
    return "subscriptions", export_for(user)


signals.personal_data_deletion.connect(delete_all_for)
