"""Who receives a staff mail: the active accounts of one municipality, one prefecture's
coordinators, or the ministry, each with their own language and mail preference."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.accounts.models import MAIL_EACH, MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.permissions import of_role
from talentmatch.extensions import db


def municipality_staff(code: str | None) -> list[User]:
    if not code:
        return []
    return _active(of_role(MUNICIPALITY), User.municipality_code == code)


def prefecture_coordinators(code: str | None) -> list[User]:
    if not code:
        return []
    return _active(of_role(PREFECTURE), User.prefecture_code == code)


def ministry_staff() -> list[User]:
    return _active(of_role(MINISTRY))


def _active(*where) -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True), *where).order_by(User.id)))


def wants_each_event(user: User) -> bool:
    """False for those who chose one daily summary instead (the digest tells them)."""
    return (user.mail_preference or MAIL_EACH) == MAIL_EACH


def set_mail_preference(user: User, value: str) -> None:
    """Each event, or one daily summary; audited."""
    from talentmatch.accounts.models import MAIL_PREFERENCES
    from talentmatch.audit.services import record
    from talentmatch.db import transaction

    if value not in MAIL_PREFERENCES:
        raise ValueError(value)
    with transaction():
        user.mail_preference = value
        record("user.mail_preference", actor=user, object_type="user", object_id=user.id,
               detail={"value": value})
