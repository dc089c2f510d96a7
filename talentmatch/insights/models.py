"""Page views of published postings: one row per posting and day (Japan time), a counter and
nothing else — no cookie, IP address, user agent or anything about the reader is stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from talentmatch.extensions import db


class PostingView(db.Model):
    __tablename__ = "posting_view"

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
