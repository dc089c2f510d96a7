"""Joint appointments (共同任用) coordinated by a prefecture (DESIGN.md §1, §2).

A ``JointProposal`` is one role shared by several municipalities: each ``JointParticipant``
has a share of the days and of the costs and answers the proposal; a participant from another
prefecture needs that prefecture's coordinator to agree (``JointAgreement``). Once everyone has
accepted, the proposal becomes ONE joint posting of the lead municipality that travels the
normal relay. Cost shares are exact fractions (numerator / denominator), so three towns at
one third each add up to exactly one.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import (
    JSON,
    CheckConstraint,
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


class JointProposal(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "joint_proposal"
    __table_args__ = (Index("ix_joint_proposal_pref_state", "proposing_prefecture_code", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposing_prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"))
    lead_municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    days_per_month: Mapped[float] = mapped_column(Numeric(4, 1, asdecimal=False))
    employment_type: Mapped[str] = mapped_column(String(30))
    # Optional terms, carried into the posting and used for the cost split estimate.
    compensation_amount: Mapped[int | None] = mapped_column(Integer)
    compensation_unit: Mapped[str | None] = mapped_column(String(10))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    # The "joint wished" postings (or bundle) the proposal was made from, lead's first.
    source_posting_ids: Mapped[list] = mapped_column(JSON, default=list)
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting.id", ondelete="SET NULL"), index=True
    )
    # Cross-border: True while some participant's prefecture has not agreed yet.
    needs_agreement: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column()  # accepted or declined
    posted_at: Mapped[datetime | None] = mapped_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column()

    participants: Mapped[list[JointParticipant]] = relationship(
        back_populates="proposal",
        order_by="JointParticipant.position",
        cascade="all, delete-orphan",
    )
    agreements: Mapped[list[JointAgreement]] = relationship(
        back_populates="proposal",
        order_by="JointAgreement.prefecture_code",
        cascade="all, delete-orphan",
    )
    lead = relationship("Municipality", foreign_keys=[lead_municipality_code], lazy="joined")
    prefecture = relationship("Prefecture", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])


class JointParticipant(db.Model):
    __tablename__ = "joint_participant"
    __table_args__ = (
        UniqueConstraint("proposal_id", "municipality_code",
                         name="uq_joint_participant_proposal_municipality"),
        CheckConstraint("share_cost_num > 0 AND share_cost_den > 0", name="share_cost_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("joint_proposal.id", ondelete="CASCADE"), index=True
    )
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 = the lead
    share_days: Mapped[float] = mapped_column(Numeric(4, 1, asdecimal=False))
    share_cost_num: Mapped[int] = mapped_column(Integer)
    share_cost_den: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    responded_at: Mapped[datetime | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[JointProposal] = relationship(back_populates="participants")
    municipality = relationship("Municipality", lazy="joined")
    responded_by = relationship("User")

    @property
    def share_cost(self) -> Fraction:
        return Fraction(self.share_cost_num, self.share_cost_den)

    @property
    def is_lead(self) -> bool:
        return self.position == 0


class JointAgreement(db.Model):
    """A participant from another prefecture: that prefecture's coordinator must agree."""

    __tablename__ = "joint_agreement"
    __table_args__ = (
        UniqueConstraint("proposal_id", "prefecture_code",
                         name="uq_joint_agreement_proposal_prefecture"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("joint_proposal.id", ondelete="CASCADE"), index=True
    )
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    responded_at: Mapped[datetime | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[JointProposal] = relationship(back_populates="agreements")
    prefecture = relationship("Prefecture", lazy="joined")
    responded_by = relationship("User")
