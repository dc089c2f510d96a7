"""Saved searches with mail notifications (DESIGN §7), and what digests have sent.

A subscription belongs to a professional (``user_id``; mail goes to the account's address)
or to a visitor known only by ``email``, who must confirm it first (double opt-in). The
filters use the public listing's vocabulary; the ``*_mask`` columns are derived from the
lists (matching.SearchFilters) so that fan-out can prefilter with integer tests in SQL.
Personal data: exported with the account and deleted with it (SECURITY.md 20).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, VersionedMixin, utcnow
from talentmatch.extensions import db
from talentmatch.subscriptions.matching import SearchFilters


class Subscription(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "subscription"
    __table_args__ = (
        # Fan-out and the digest job read the active (not unsubscribed, confirmed)
        # subscriptions, the digest job by frequency.
        Index("ix_subscription_active", "unsubscribed_at", "confirmed_at", "frequency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Visitors only; a professional's mail goes to the account's current address.
    email: Mapped[str | None] = mapped_column(String(254), index=True)

    # --- the saved search: the listing's filters -------------------------------------------
    prefectures: Mapped[list] = mapped_column(JSON, default=list)  # '01'..'47'
    municipality: Mapped[str | None] = mapped_column(String(6), index=True)
    employment_types: Mapped[list] = mapped_column(JSON, default=list)
    focus_areas: Mapped[list] = mapped_column(JSON, default=list)
    remote: Mapped[str | None] = mapped_column(String(10))
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    side_job: Mapped[bool] = mapped_column(Boolean, default=False)
    q: Mapped[str] = mapped_column(String(200), default="")
    # Derived from the lists above (0 = any), for the fan-out prefilter.
    prefecture_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    employment_mask: Mapped[int] = mapped_column(Integer, default=0)
    focus_mask: Mapped[int] = mapped_column(Integer, default=0)

    frequency: Mapped[str] = mapped_column(String(12), default="immediately")
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    confirmed_at: Mapped[datetime | None] = mapped_column()
    # SHA-256 of the pending confirmation token; cleared when used (single use).
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    unsubscribed_at: Mapped[datetime | None] = mapped_column()
    last_digest_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            prefectures=tuple(self.prefectures or ()),
            municipality=self.municipality or None,
            employment_types=tuple(self.employment_types or ()),
            focus_areas=tuple(self.focus_areas or ()),
            remote=self.remote or None,
            joint=bool(self.joint),
            side_job=bool(self.side_job),
            q=self.q or "",
        )

    def set_filters(self, f: SearchFilters) -> None:
        self.prefectures = list(f.prefectures)
        self.municipality = f.municipality
        self.employment_types = list(f.employment_types)
        self.focus_areas = list(f.focus_areas)
        self.remote = f.remote
        self.joint = f.joint
        self.side_job = f.side_job
        self.q = f.q
        self.prefecture_mask = f.prefecture_mask
        self.employment_mask = f.employment_mask
        self.focus_mask = f.focus_mask

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def to_email(self) -> str:
        return self.user.email if self.user is not None else (self.email or "")


class DigestItem(db.Model):
    """A posting waiting for a daily or weekly subscription's next digest (written by the
    fan-out; the digest job removes what it sends). One row per subscription and posting:
    a newer revision replaces the older one's row."""

    __tablename__ = "subscription_digest_item"
    __table_args__ = (UniqueConstraint("subscription_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE")
    )
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"),
                                            index=True)
    revision_id: Mapped[int] = mapped_column(Integer)
    is_update: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SentPosting(db.Model):
    """A posting a digest has listed for a subscription: never listed for it again."""

    __tablename__ = "subscription_sent_posting"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), primary_key=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
