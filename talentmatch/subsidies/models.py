"""Cost lines a municipality records for the special grant estimate (DESIGN.md §6).

One row is one cost the municipality itself pays (for a joint appointment, its share): the
same shape as a line of the calculator's input, plus where it came from.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, VersionedMixin
from talentmatch.extensions import db


class CostLine(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "cost_line"
    __table_args__ = (
        Index("ix_cost_line_municipality_fy", "municipality_code", "fiscal_year"),
        Index("ix_cost_line_source", "municipality_code", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    # Always set (derived from ``date`` when there is one), so dashboards group without parsing.
    fiscal_year: Mapped[int] = mapped_column(Integer)
    date: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(40))
    # Integer yen; BigInteger because the calculator accepts amounts up to 10^12.
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    # Where the line came from: "manual" (typed in or imported), "posting" (a posting's
    # compensation), "appointment", or "joint" (a participant's part of a joint appointment).
    source: Mapped[str] = mapped_column(String(20), default="manual")
    source_id: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    municipality = relationship("Municipality", lazy="joined")
    created_by = relationship("User")

    def to_payload_line(self) -> dict[str, object]:
        """This line in the calculator's input shape; the id is the row id as text."""
        line: dict[str, object] = {
            "id": str(self.id),
            "category": self.category,
            "amount": self.amount,
        }
        if self.date is not None:
            line["date"] = self.date.isoformat()
        else:
            line["fiscal_year"] = self.fiscal_year
        return line
