from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, utcnow
from talentmatch.extensions import db

MINISTRY = "ministry"
PREFECTURE = "prefecture"
MUNICIPALITY = "municipality"
PROFESSIONAL = "professional"
ROLES = (MINISTRY, PREFECTURE, MUNICIPALITY, PROFESSIONAL)
STAFF_ROLES = (MINISTRY, PREFECTURE, MUNICIPALITY)
# How workflow mail reaches a staff account: a mail per event, or one daily summary.
MAIL_EACH = "each"
MAIL_DAILY = "daily"
MAIL_PREFERENCES = (MAIL_EACH, MAIL_DAILY)


class User(TimestampMixin, db.Model):
    __tablename__ = "user_account"
    # Processes holding a copy of profiles (the match index) ask what changed since a time.
    __table_args__ = (Index("ix_user_account_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    prefecture_code: Mapped[str | None] = mapped_column(ForeignKey("prefecture.code"), index=True)
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column()
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None] = mapped_column(Integer)
    password_changed_at: Mapped[datetime | None] = mapped_column()
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None] = mapped_column()
    mail_preference: Mapped[str] = mapped_column(String(10), default=MAIL_EACH,
                                                 server_default=MAIL_EACH)

    municipality = relationship("Municipality", lazy="joined")
    prefecture = relationship("Prefecture", lazy="joined")

    # Flask-Login protocol. The id handed to Flask-Login is the server-side session's id, so
    # deleting that row logs the cookie out everywhere it was copied to.
    session_id: ClassVar[str | None] = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_id

    @property
    def is_staff(self) -> bool:
        from talentmatch.accounts import permissions  # it imports this module

        return permissions.is_staff(self)

    @property
    def org_prefecture_code(self) -> str | None:
        """The prefecture this account belongs to (directly, or through its municipality)."""
        from talentmatch.accounts.permissions import is_municipality, is_prefecture

        if is_prefecture(self):
            return self.prefecture_code
        if is_municipality(self) and self.municipality_code:
            return self.municipality_code[:2]
        return None


class UserSession(db.Model):
    """Server-side session: logout, password change and disabling delete these rows."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_ip: Mapped[str] = mapped_column(String(64), default="")


class Invitation(TimestampMixin, db.Model):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    prefecture_code: Mapped[str | None] = mapped_column(ForeignKey("prefecture.code"))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()

    municipality = relationship("Municipality")
    prefecture = relationship("Prefecture")


class OneTimeToken(db.Model):
    """Single-use tokens for email confirmation and password reset (hash stored, never the token)."""

    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
