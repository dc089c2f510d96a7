"""Professional profiles (DESIGN.md §5). Personal data: everything here is exported on request
and deleted with the account (SECURITY.md 20). No age, gender or similar attributes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, VersionedMixin
from talentmatch.extensions import db


class Professional(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "professional"
    # Processes holding a copy of profiles (the match index) ask what changed since a time.
    __table_args__ = (Index("ix_professional_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(12), default="individual")  # individual | company
    headline: Mapped[str] = mapped_column(String(200), default="")
    skills: Mapped[list] = mapped_column(JSON, default=list)  # vocabulary keys
    free_skills: Mapped[list] = mapped_column(JSON, default=list)  # normalised entries not in it
    focus_areas: Mapped[list] = mapped_column(JSON, default=list)
    experience: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[list] = mapped_column(JSON, default=list)  # qualification keys or text
    public_sector_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_prefectures: Mapped[list] = mapped_column(JSON, default=list)  # '01'..'47'
    remote_preference: Mapped[str] = mapped_column(String(12), default="hybrid")
    available_days_per_month: Mapped[float] = mapped_column(
        Numeric(4, 1, asdecimal=False), default=0
    )
    accepted_employment_types: Mapped[list] = mapped_column(JSON, default=list)
    discoverable: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # How the person came in: registered themselves, or imported by a prefecture.
    source: Mapped[str] = mapped_column(String(20), default="self")
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    imported_prefecture_code: Mapped[str | None] = mapped_column(String(2))
    import_consent_obtained: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the talent list said about being discoverable; applied only once the imported
    # person confirms (without the prefecture's consent they stay hidden until then).
    discoverable_on_confirm: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    # The matcher's compiled form of this profile (bitmasks and vocabulary token ids, see
    # matching.matcher.stored) and the vocabulary version its ids belong to. The matching
    # domain writes it whenever a profile is saved, so a new process builds its index
    # without reading any text.
    match_row: Mapped[bytes | None] = mapped_column(LargeBinary)
    match_vocab: Mapped[str | None] = mapped_column(String(16))


class ProfessionalTombstone(db.Model):
    """A deleted professional's id, written by a database trigger on every deletion (also
    when deleting the account cascades to the profile), so a process holding a copy of
    the profiles removes exactly those without comparing every id. Holds no personal data."""

    __tablename__ = "professional_tombstone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(Integer)


class TalentListEntry(TimestampMixin, db.Model):
    """A professional's request to be on MIC's 外部人材リスト for one fiscal year, and MIC's
    decision: requested → listed, or refused with a reason (DESIGN §2 `talent_list`)."""

    __tablename__ = "talent_list_entry"
    __table_args__ = (
        UniqueConstraint("professional_id", "fiscal_year",
                         name="uq_talent_list_entry_professional_fiscal_year"),
        Index("ix_talent_list_entry_fiscal_year_status", "fiscal_year", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    fiscal_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="requested")  # requested|listed|refused
    message: Mapped[str] = mapped_column(Text, default="")  # what the person tells MIC
    reason: Mapped[str] = mapped_column(Text, default="")  # MIC's reason for a refusal
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column()

    professional = relationship("Professional", lazy="joined")
