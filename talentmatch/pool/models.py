"""A prefecture's pool of local digital talent and its introductions (紹介) of pooled people
to postings (DESIGN.md §1, §2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, VersionedMixin
from talentmatch.extensions import db


class TalentPoolEntry(VersionedMixin, TimestampMixin, db.Model):
    """A person in a prefecture's pool of local talent, with the coordinators' tags and notes.
    Seen only by that prefecture's coordinators (personal data: exported and deleted with the
    person's account)."""

    __tablename__ = "talent_pool_entry"
    __table_args__ = (
        UniqueConstraint("prefecture_code", "professional_id",
                         name="uq_talent_pool_entry_prefecture_professional"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"), index=True)
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # "|職員OB・OG|地元IT企業|" (normalised): the tag filter is a LIKE without a join.
    tag_key: Mapped[str] = mapped_column(String(500), default="|")
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    professional = relationship("Professional", lazy="joined")
    added_by = relationship("User")

    @property
    def added_at(self) -> datetime:
        return self.created_at


class Introduction(TimestampMixin, db.Model):
    """A prefecture recommending a person of its pool for a posting of the prefecture."""

    __tablename__ = "introduction"
    __table_args__ = (
        UniqueConstraint("posting_id", "professional_id",
                         name="uq_introduction_posting_professional"),
        Index("ix_introduction_prefecture_status", "prefecture_code", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"))
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    introduced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    responded_at: Mapped[datetime | None] = mapped_column()

    professional = relationship("Professional", lazy="joined")
    posting = relationship("Posting")
    introduced_by = relationship("User")
