"""Applications, their selection history, invitations to apply, and appointments (兼務:
one professional may hold several appointments at once, within their available days).

Personal data of the professional: exported on request and deleted with the account."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, utcnow
from talentmatch.extensions import db


class Application(TimestampMixin, db.Model):
    """One professional applying to one posting. Applying again after withdrawing reopens
    the same row (its history keeps both)."""

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("professional_id", "posting_id", name="uq_application_professional_posting"),
        Index("ix_application_posting_status", "posting_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"))
    # The revision the professional read when applying (the posting may be revised later).
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting_revision.id", ondelete="SET NULL")
    )
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("apply_invitation.id", ondelete="SET NULL")
    )

    professional = relationship("Professional", lazy="joined")
    posting = relationship("Posting")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        order_by="ApplicationEvent.id",
        cascade="all, delete-orphan",
    )


class ApplicationEvent(db.Model):
    """Every status change: who, when, from, to, and the optional note."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    application: Mapped[Application] = relationship(back_populates="events")
    actor = relationship("User")


class ApplyInvitation(TimestampMixin, db.Model):
    """A municipality inviting a ranked candidate to apply to a posting."""

    __tablename__ = "apply_invitation"
    __table_args__ = (
        UniqueConstraint("posting_id", "professional_id", name="uq_apply_invitation_posting_professional"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professional.id", ondelete="CASCADE"), index=True
    )
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None] = mapped_column(Integer)  # the matcher's score when invited
    seen_at: Mapped[datetime | None] = mapped_column()

    professional = relationship("Professional", lazy="joined")
    posting = relationship("Posting")
    invited_by = relationship("User")


class Appointment(TimestampMixin, db.Model):
    """An accepted application: it uses `days_per_month` of the professional's capacity for
    its period while active."""

    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_professional_status", "professional_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Kept (without the person) when the professional deletes their account: the
    # municipality's record of what it appointed and paid stays.
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professional.id", ondelete="SET NULL")
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL"), unique=True
    )
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    days_per_month: Mapped[float] = mapped_column(Numeric(4, 1, asdecimal=False))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    employment_type: Mapped[str] = mapped_column(String(30))
    compensation_amount: Mapped[int | None] = mapped_column(Integer)
    compensation_unit: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active | ended
    ended_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    professional = relationship("Professional", lazy="joined")
    posting = relationship("Posting")
    municipality = relationship("Municipality", lazy="joined")
