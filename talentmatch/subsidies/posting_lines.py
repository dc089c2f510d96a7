"""Cost lines taken from a municipality's postings and appointments.

The compensation a posting offers, spread over its appointment period by ``costs``, becomes
one line per fiscal year; taking them again replaces the earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from talentmatch.audit.services import record
from talentmatch.clock import TOKYO
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.messages import Msg
from talentmatch.subsidies import costs
from talentmatch.subsidies.models import CostLine
from talentmatch.subsidies.services import lock_lines, require_own


@dataclass(frozen=True)
class NewLine:
    source: str
    source_id: str
    fiscal_year: int
    date: date | None
    category: str
    amount: int
    note: str


@dataclass(frozen=True)
class Skipped:
    source: str
    source_id: str
    title: str
    reason: Msg


def _compensation_lines(source: str, source_id: str, title: str, obj: Any) -> list[NewLine]:
    category = costs.category_for(obj.employment_type)
    parts = costs.cost_by_fiscal_year(
        obj.compensation_amount, obj.compensation_unit, obj.period_start, obj.period_end,
        obj.days_per_month,
    )
    return [
        NewLine(source, source_id, p.fiscal_year, p.date, category, p.amount, title)
        for p in parts
    ]


def posting_cost_lines(code: str) -> tuple[list[NewLine], list[Skipped]]:
    """Expected costs of the municipality's published or closed postings, per fiscal year."""
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.postings.workflow import PUBLIC_STATES

    revisions = db.session.scalars(
        select(PostingRevision)
        .join(Posting, Posting.id == PostingRevision.posting_id)
        .where(Posting.municipality_code == code, PostingRevision.state.in_(PUBLIC_STATES))
        .order_by(PostingRevision.posting_id, PostingRevision.number)
    )
    latest: dict[int, Any] = {}
    for rev in revisions:
        latest[rev.posting_id] = rev  # the highest number wins: what the public sees last
    lines: list[NewLine] = []
    skipped: list[Skipped] = []
    for posting_id, rev in sorted(latest.items()):
        title = f"{rev.title} (#{posting_id})"
        try:
            lines.extend(_compensation_lines("posting", str(posting_id), title, rev))
        except costs.CostEstimateError as exc:
            skipped.append(Skipped("posting", str(posting_id), title, exc.msg))
    return lines, skipped


def _tokyo_date(moment: datetime) -> date:
    return moment.astimezone(TOKYO).date()


def appointment_cost_lines(code: str) -> tuple[list[NewLine], list[Skipped], set[int]]:
    """Costs of the municipality's recorded appointments (an ended one up to the day it
    ended), and the postings they fill: their own figures replace those postings' estimates."""
    try:
        from talentmatch.applications.models import Appointment
    except ImportError:  # the applications domain is not installed
        return [], [], set()
    from talentmatch.postings.models import Posting

    lines: list[NewLine] = []
    skipped: list[Skipped] = []
    filled: set[int] = set()
    appointments = db.session.scalars(
        select(Appointment).where(Appointment.municipality_code == code).order_by(Appointment.id)
    )
    for appt in appointments:
        filled.add(appt.posting_id)
        posting = db.session.get(Posting, appt.posting_id)
        rev = posting.published_revision or posting.current_revision if posting else None
        title = f"{rev.title if rev else ''} (#{appt.posting_id})".strip()
        end = appt.period_end
        if appt.status == "ended" and appt.ended_at is not None and end is not None:
            end = min(end, _tokyo_date(appt.ended_at))
            if appt.period_start is not None and end < appt.period_start:
                continue  # ended before it began: nothing was paid
        try:
            category = costs.category_for(appt.employment_type)
            parts = costs.cost_by_fiscal_year(appt.compensation_amount, appt.compensation_unit,
                                              appt.period_start, end, appt.days_per_month)
        except costs.CostEstimateError as exc:
            skipped.append(Skipped("appointment", str(appt.id), title, exc.msg))
            continue
        lines += [NewLine("appointment", str(appt.id), p.fiscal_year, p.date, category, p.amount,
                          title) for p in parts]
    return lines, skipped, filled


def take_from_postings(user, code: str) -> tuple[int, list[Skipped]]:
    """Replace the lines taken earlier from postings and appointments with fresh ones.

    A posting that has an appointment counts by the appointment's terms, not twice."""
    require_own(user, code)
    appointed, skipped, filled = appointment_cost_lines(code)
    estimated, not_estimated = posting_cost_lines(code)
    new = [n for n in estimated if int(n.source_id) not in filled] + appointed
    skipped = [s for s in not_estimated if int(s.source_id) not in filled] + skipped
    with transaction():
        # One replacement at a time: a burst of clicks ends with the same lines as one click.
        lock_lines(code)
        db.session.execute(
            delete(CostLine).where(
                CostLine.municipality_code == code,
                CostLine.source.in_(("posting", "appointment")),
            )
        )
        for n in new:
            db.session.add(
                CostLine(municipality_code=code, fiscal_year=n.fiscal_year, date=n.date,
                         category=n.category, amount=n.amount, note=n.note, source=n.source,
                         source_id=n.source_id, created_by_id=user.id)
            )
        record("subsidy.lines_from_postings", actor=user, object_type="municipality",
               object_id=code, detail={"lines": len(new), "skipped": len(skipped)})
    return len(new), skipped
