"""Cost lines a municipality records for the special grant estimate (DESIGN.md §6).

One row is one cost the municipality itself pays (for a joint appointment, its share): the
same shape as a line of the calculator's input, plus where it came from.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentmatch.db import TimestampMixin, UTCDateTime
from talentmatch.extensions import db
from talentmatch.subsidies.measures import Measure


class CostLine(TimestampMixin, db.Model):
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


class SubsidyMeasure(TimestampMixin, db.Model):
    """One version of a measure of the special grant (DESIGN §6), as MIC maintains it.

    A draft is edited in place; a published version is never changed again (estimates name
    it): editing it makes a new draft version, and publishing that marks the old one
    ``superseded``. Categories and body kinds are stored as space-separated keys.
    """

    __tablename__ = "subsidy_measure"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_subsidy_measure_key_version"),
        Index("ix_subsidy_measure_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    categories: Mapped[str] = mapped_column(Text)
    rate_numerator: Mapped[int] = mapped_column(Integer)
    rate_denominator: Mapped[int] = mapped_column(Integer)
    cap: Mapped[int | None] = mapped_column(BigInteger)
    cap_of: Mapped[str] = mapped_column(String(10), default="cost")
    first_fy: Mapped[int] = mapped_column(Integer)
    last_fy: Mapped[int] = mapped_column(Integer)
    body_kinds: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(12), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    published_by = relationship("User", foreign_keys=[published_by_id])

    def to_measure(self) -> Measure:
        return Measure(
            key=self.key,
            name_ja=self.name_ja,
            name_en=self.name_en,
            categories=tuple(self.categories.split()),
            rate=Fraction(self.rate_numerator, self.rate_denominator),
            cap=self.cap,
            cap_of=self.cap_of,
            first_fy=self.first_fy,
            last_fy=self.last_fy,
            eligible_kinds=tuple(self.body_kinds.split()),
            source=self.source,
            source_url=self.source_url,
            version=self.version,
        )

    def set_from(self, m: Measure) -> None:
        rate = m.exact_rate
        self.key, self.name_ja, self.name_en = m.key, m.name_ja, m.name_en
        self.categories = " ".join(m.categories)
        self.rate_numerator, self.rate_denominator = rate.numerator, rate.denominator
        self.cap, self.cap_of = m.cap, m.cap_of
        self.first_fy, self.last_fy = m.first_fy, m.last_fy
        self.body_kinds = " ".join(m.eligible_kinds)
        self.source, self.source_url = m.source, m.source_url
