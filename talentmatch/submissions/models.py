"""The keys of create forms already used (see talentmatch.submissions.services)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from talentmatch.db import utcnow
from talentmatch.extensions import db


class SubmissionKey(db.Model):
    """One row per create form sent and recorded: its primary key is the form's key, so a
    second sending of the same form cannot be recorded again, even at the same instant."""

    __tablename__ = "submission_key"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # What the form created ("cost_line:12"), for the answer to a repeat.
    result: Mapped[str] = mapped_column(String(80), default="")
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
