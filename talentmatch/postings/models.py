"""Postings and their revisions (DESIGN.md §2–§4).

A ``Posting`` is the stable opening with its public URL (/postings/<id>); each
``PostingRevision`` is its content at one version and carries the workflow state. The public
always sees the posting's ``published_revision``; an edit of a published posting is a new
revision that goes through the relay while the published one stays visible.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, VersionedMixin, utcnow
from talentmatch.extensions import db


class Posting(TimestampMixin, db.Model):
    __tablename__ = "posting"
    __table_args__ = (
        # The public listing checks "open with a published revision" on every request
        # (publication.search); this index answers it without reading the table.
        Index("ix_posting_public", "status", "published_revision_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    prefecture_code: Mapped[str] = mapped_column(ForeignKey("prefecture.code"), index=True)
    # The revision being worked on (draft … relayed) and the one the public sees.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting_revision.id", use_alter=True, ondelete="SET NULL")
    )
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting_revision.id", use_alter=True, ondelete="SET NULL"), index=True
    )
    # open while anything is in progress or public; closed / withdrawn at the end.
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[datetime | None] = mapped_column()
    first_published_at: Mapped[datetime | None] = mapped_column(index=True)
    reminder_sent_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    municipality = relationship("Municipality", lazy="joined")
    revisions: Mapped[list[PostingRevision]] = relationship(
        back_populates="posting",
        foreign_keys="PostingRevision.posting_id",
        order_by="PostingRevision.number",
        cascade="all, delete-orphan",
    )
    current_revision: Mapped[PostingRevision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    published_revision: Mapped[PostingRevision | None] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )


class PostingRevision(VersionedMixin, db.Model):
    """One version of a posting's template content, with its workflow state."""

    __tablename__ = "posting_revision"
    __table_args__ = (
        Index("ix_posting_revision_listing", "state", "deadline"),
        Index("ix_posting_revision_posting_number", "posting_id", "number", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    relayed_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    # --- the standard template (DESIGN.md §3); keys match the import / API column names ---
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    prefecture_code: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    role_type: Mapped[str | None] = mapped_column(String(30))
    employment_type: Mapped[str | None] = mapped_column(String(30), index=True)
    # Blank in a draft until the municipality answers (required only to submit).
    joint_wish: Mapped[str | None] = mapped_column(String(10), index=True)
    side_job_ok: Mapped[bool | None] = mapped_column(Boolean)
    focus_areas: Mapped[list] = mapped_column(JSON, default=list)
    duties: Mapped[str] = mapped_column(Text, default="")
    required_experience: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list] = mapped_column(JSON, default=list)
    preferred_skills: Mapped[list] = mapped_column(JSON, default=list)
    preferred_qualifications: Mapped[list] = mapped_column(JSON, default=list)
    days_per_month: Mapped[float | None] = mapped_column(Numeric(4, 1, asdecimal=False))
    hours_note: Mapped[str] = mapped_column(Text, default="")
    remote: Mapped[str | None] = mapped_column(String(10), index=True)
    work_location: Mapped[str] = mapped_column(Text, default="")
    compensation_amount: Mapped[int | None] = mapped_column(Integer)
    compensation_unit: Mapped[str | None] = mapped_column(String(10))
    expenses_note: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    selection_process: Mapped[str] = mapped_column(Text, default="")
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    contact_department: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    dx_policy_status: Mapped[str | None] = mapped_column(String(20))
    dx_organization: Mapped[str] = mapped_column(Text, default="")
    cio_title: Mapped[str] = mapped_column(String(200), default="")
    pr_text: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    publication_channels: Mapped[list] = mapped_column(JSON, default=list)

    # --- derived, for the listing ---------------------------------------------------------
    # Normalised (text.normalize) title, duties, skills, municipality and prefecture names
    # and kana: keyword search is a LIKE on this column.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # "|ai_rpa|bpr|": focus-area filter as a LIKE without a join.
    focus_key: Mapped[str] = mapped_column(String(300), default="|", index=True)
    advice_codes: Mapped[list] = mapped_column(JSON, default=list)

    posting: Mapped[Posting] = relationship(back_populates="revisions", foreign_keys=[posting_id])
    municipality = relationship("Municipality", lazy="joined")
