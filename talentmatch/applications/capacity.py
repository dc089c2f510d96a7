"""A professional's capacity (兼務): available days per month minus the days of their current
appointments and of their other commitments. Read by matching (ranking, recommendations), by
appointing and by the prefecture's support assignments.

Other domains add commitments through ``signals.capacity_commitments`` (a prefecture's support
assignment holds days like an appointment)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from talentmatch import signals
from talentmatch.applications.models import Appointment
from talentmatch.clock import today_jst
from talentmatch.extensions import db


@dataclass(frozen=True)
class Commitment:
    """Days a month a person has promised outside appointments, over a period."""

    professional_id: int
    days_per_month: float
    period_start: date
    period_end: date
    label: str = ""  # what it is, for the capacity notes (e.g. "北海道の市町村支援")


def commitments(professional_ids: Iterable[int] | None, start: date, end: date | None = None) -> list[Commitment]:
    ids = None if professional_ids is None else list(professional_ids)
    found: list[Commitment] = []
    for _receiver, rows in signals.capacity_commitments.send(None, professional_ids=ids,
                                                             start=start, end=end):
        found.extend(rows or ())
    return found


def _current(today: date):
    """Appointments that still hold days: active and not yet past their end (future ones
    count too: the days are promised)."""
    return (Appointment.status == "active", Appointment.period_end >= today)


def used_days(professional_ids: Iterable[int] | None = None, *, today: date | None = None) -> dict[int, float]:
    """Days per month taken by current appointments, per professional (absent: none)."""
    today = today or today_jst()
    stmt = select(Appointment.professional_id, func.sum(Appointment.days_per_month)).where(
        *_current(today)
    )
    if professional_ids is not None:
        ids = list(professional_ids)
        if not ids:
            return {}
        stmt = stmt.where(Appointment.professional_id.in_(ids))
    stmt = stmt.group_by(Appointment.professional_id)
    used = {int(pid): float(days or 0) for pid, days in db.session.execute(stmt)}
    for c in commitments(professional_ids, today):
        used[c.professional_id] = used.get(c.professional_id, 0.0) + float(c.days_per_month)
    return used


def overlapping(professional_id: int, start: date, end: date, *, exclude_id: int | None = None) -> list[Appointment]:
    """Active appointments of the person whose period overlaps [start, end]."""
    stmt = select(Appointment).where(
        Appointment.professional_id == professional_id,
        Appointment.status == "active",
        Appointment.period_start <= end,
        Appointment.period_end >= start,
    )
    if exclude_id is not None:
        stmt = stmt.where(Appointment.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Appointment.period_start, Appointment.id)))


@dataclass(frozen=True)
class Capacity:
    available: float
    used: float
    appointments: tuple[Appointment, ...] = ()
    others: tuple[Commitment, ...] = ()

    @property
    def free(self) -> float:
        return max(0.0, self.available - self.used)


def peak_use(appointments: Iterable[Appointment | Commitment], start: date, end: date) -> float:
    """The most days per month the appointments take at any one time within [start, end]
    (two posts that follow each other do not add up)."""
    items = [a for a in appointments if a.period_start <= end and a.period_end >= start]
    points = sorted({max(a.period_start, start) for a in items})
    best = 0.0
    for day in points:
        total = sum(float(a.days_per_month) for a in items if a.period_start <= day <= a.period_end)
        best = max(best, total)
    return best


def capacity_for_period(
    professional_id: int, available: float, start: date, end: date, *, exclude_id: int | None = None
) -> Capacity:
    """What is left for a new appointment over [start, end]."""
    items = overlapping(professional_id, start, end, exclude_id=exclude_id)
    others = commitments([professional_id], start, end)
    return Capacity(float(available or 0), peak_use([*items, *others], start, end), tuple(items),
                    tuple(others))


def current_appointments(professional_id: int, *, today: date | None = None) -> list[Appointment]:
    today = today or today_jst()
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.professional_id == professional_id, *_current(today))
            .order_by(Appointment.period_start, Appointment.id)
        )
    )
