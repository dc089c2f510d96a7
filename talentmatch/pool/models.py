"""A prefecture's pool of local digital talent, its introductions (紹介) of pooled people
to postings, and its support assignments (市町村支援) of a person to municipalities
(DESIGN.md §1, §2)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
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


class SupportAssignment(TimestampMixin, db.Model):
    """A person of the prefecture's pool — or one of its own staff, by name — supporting
    some of its municipalities for so many days a month each over a period (the
    prefecture-led DX support that followed FY2025). A pooled person's days count against
    their capacity like any appointment (兼務)."""

    __tablename__ = "support_assignment"
    __table_args__ = (Index("ix_support_assignment_prefecture_status", "prefecture_code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"))
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    staff_name: Mapped[str] = mapped_column(String(100), default="")  # the prefecture's own staff
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | ended
    ended_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    professional = relationship("Professional", lazy="joined")
    municipalities: Mapped[list[SupportedMunicipality]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", lazy="selectin",
        order_by="SupportedMunicipality.municipality_code",
    )

    @property
    def person_name(self) -> str:
        if self.professional is not None:
            return self.professional.user.display_name
        return self.staff_name

    @property
    def days_per_month(self) -> float:
        """Days a month the person gives, all municipalities together."""
        return float(sum(m.days_per_month for m in self.municipalities))


class SupportedMunicipality(db.Model):
    """One municipality of a support assignment and its days a month."""

    __tablename__ = "supported_municipality"
    __table_args__ = (
        UniqueConstraint("assignment_id", "municipality_code",
                         name="uq_supported_municipality_assignment_municipality"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("support_assignment.id", ondelete="CASCADE"), index=True
    )
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    days_per_month: Mapped[float] = mapped_column(Numeric(4, 1, asdecimal=False))

    assignment: Mapped[SupportAssignment] = relationship(back_populates="municipalities")
    municipality = relationship("Municipality", lazy="joined")
