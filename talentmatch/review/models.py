from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import utcnow
from talentmatch.extensions import db


class ReviewEvent(db.Model):
    """Every workflow transition: who, when, from, to, comment (DESIGN.md §4)."""

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting_revision.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    # filled / deadline_passed / withdrawn when the action closed the posting.
    close_reason: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor = relationship("User")
    revision = relationship("PostingRevision")
