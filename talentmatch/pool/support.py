"""Support assignments (市町村支援): a prefecture's coordinators record that a person of its
pool — or one of the prefecture's own staff, by name — supports some of its municipalities
for so many days a month each over a period (the 2024 priority plan's direction: every
prefecture builds a DX support system with a talent pool and sends digital talent to its
municipalities).

Only that prefecture's coordinators record and end them; a municipality's staff see who
supports their municipality and until when. A pooled person's days count against their
capacity like any appointment (兼務): ``commitments_for`` answers
``signals.capacity_commitments``, and a new assignment is refused when the person has not the
days.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from talentmatch import signals
from talentmatch.accounts.permissions import is_municipality, is_prefecture
from talentmatch.applications.capacity import Commitment, capacity_for_period
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.inputs import record_id
from talentmatch.messages import MSG_REQUIRED, MSG_TOO_LONG, N_, FieldError, Msg
from talentmatch.pool.models import SupportAssignment, SupportedMunicipality, TalentPoolEntry
from talentmatch.pool.services import NotFound, PoolError, require_coordinator
from talentmatch.professionals.models import Professional
from talentmatch.submissions import services as submissions

# Rows of municipalities on the form (a person rarely supports more at once).
MAX_MUNICIPALITIES = 6
STAFF = "staff"  # the person field's value for one of the prefecture's own staff
NAME_MAX = 100
NOTE_MAX = 2000

ERR_PERSON = N_("Choose a person of your pool, or your own staff and give their name.")
ERR_DATE = N_("Enter a date such as 2026-04-01.")
ERR_ORDER = N_("The period must end after it starts.")
ERR_ENDED = N_("The period has already ended.")
ERR_DAYS = N_("Enter days a month between 0.5 and 31, in half days (full-width digits are fine).")
ERR_DAYS_WITHOUT = N_("Choose the municipality these days are for.")
ERR_MUNI = N_("Choose a municipality of your prefecture.")
ERR_MUNI_TWICE = N_("This municipality is already in the list.")
ERR_NO_MUNI = N_("Add at least one municipality with its days a month.")
ERR_CAPACITY = N_(
    "%(name)s has %(available)s days a month, and appointments and support in this period "
    "already take %(used)s, so %(free)s are free. This support needs %(needed)s days a month."
)


@dataclass(frozen=True)
class SupportInput:
    professional_id: int | None
    staff_name: str
    period_start: date
    period_end: date
    days: dict[str, float]  # municipality code → days a month
    note: str


def _days_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _text(raw: Mapping[str, object], key: str) -> str:
    return unicodedata.normalize("NFKC", str(raw.get(key) or "")).strip()


def _date(text: str) -> date | None:
    try:
        y, m, d = (int(p) for p in text.replace("/", "-").split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _days(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not (0.5 <= value <= 31) or value * 2 != int(value * 2):
        return None
    return value


def pool_people(prefecture_code: str) -> list[Professional]:
    """The people of the prefecture's pool, by name (the form's choices)."""
    rows = db.session.scalars(
        select(TalentPoolEntry).where(TalentPoolEntry.prefecture_code == prefecture_code))
    return sorted((e.professional for e in rows), key=lambda p: p.user.display_name)


def clean(prefecture_code: str, raw: Mapping[str, object], *, today: date | None = None) -> SupportInput:
    """Every problem of the form at once, each naming its field (PoolError)."""
    today = today or today_jst()
    errors: list[FieldError] = []

    def err(field: str, msgid: str, **params) -> None:
        errors.append(FieldError(field, Msg(msgid, params)))

    person = _text(raw, "person")
    staff_name = _text(raw, "staff_name")
    professional_id: int | None = None
    if person == STAFF:
        if not staff_name:
            err("staff_name", MSG_REQUIRED)
        elif len(staff_name) > NAME_MAX:
            err("staff_name", MSG_TOO_LONG, max=NAME_MAX, length=len(staff_name))
    elif (chosen := record_id(person)) is not None and db.session.scalar(
            select(TalentPoolEntry.id).where(
                TalentPoolEntry.prefecture_code == prefecture_code,
                TalentPoolEntry.professional_id == chosen)) is not None:
        professional_id, staff_name = chosen, ""
    else:
        err("person", ERR_PERSON)

    dates: dict[str, date | None] = {}
    for key in ("period_start", "period_end"):
        text = _text(raw, key)
        dates[key] = _date(text) if text else None
        if not text:
            err(key, MSG_REQUIRED)
        elif dates[key] is None:
            err(key, ERR_DATE)
    start, end = dates["period_start"], dates["period_end"]
    if start and end and end <= start:
        err("period_end", ERR_ORDER)
    elif end and end < today:
        err("period_end", ERR_ENDED)

    own = set(db.session.scalars(select(Municipality.code).where(
        Municipality.prefecture_code == prefecture_code)))
    days: dict[str, float] = {}
    for i in range(1, MAX_MUNICIPALITIES + 1):
        code, day_text = _text(raw, f"municipality_{i}"), _text(raw, f"days_{i}")
        if not code and not day_text:
            continue
        if not code:
            err(f"municipality_{i}", ERR_DAYS_WITHOUT)
        elif code not in own:
            err(f"municipality_{i}", ERR_MUNI)
        elif code in days:
            err(f"municipality_{i}", ERR_MUNI_TWICE)
        value = _days(day_text) if day_text else None
        if not day_text:
            err(f"days_{i}", MSG_REQUIRED)
        elif value is None:
            err(f"days_{i}", ERR_DAYS)
        if code in own and code not in days and value is not None:
            days[code] = value
    if not days and not any(e.field.startswith(("municipality_", "days_")) for e in errors):
        err("municipality_1", ERR_NO_MUNI)

    note = _text(raw, "note")
    if len(note) > NOTE_MAX:
        err("note", MSG_TOO_LONG, max=NOTE_MAX, length=len(note))
    if errors:
        raise PoolError(errors)
    return SupportInput(professional_id, staff_name, start, end, days, note)  # type: ignore[arg-type]


def create(actor, prefecture_code: str, raw: Mapping[str, object], *,
           submission_key: object = None) -> SupportAssignment:
    """Record a support assignment, refused as a whole when the person has not the days;
    the form's ``submission_key`` records it once however often it is sent
    (AlreadySubmitted for the repeats)."""
    require_coordinator(actor, prefecture_code)
    with transaction():
        data = clean(prefecture_code, raw)
        submissions.claim(submission_key, actor)
        needed = sum(data.days.values())
        if data.professional_id is not None:
            # Lock the person: an appointment recorded at the same time cannot take the days.
            pro = db.session.get(Professional, data.professional_id,
                                 with_for_update={"of": Professional})
            cap = capacity_for_period(pro.id, pro.available_days_per_month or 0,
                                      data.period_start, data.period_end)
            if cap.used + needed > cap.available + 1e-9:
                raise PoolError([FieldError("days_1", Msg(ERR_CAPACITY, {
                    "name": pro.user.display_name, "available": _days_text(cap.available),
                    "used": _days_text(cap.used), "free": _days_text(cap.free),
                    "needed": _days_text(needed)}))])
            pro.updated_at = utcnow()  # the match index re-reads the person's free days
        item = SupportAssignment(
            prefecture_code=prefecture_code, professional_id=data.professional_id,
            staff_name=data.staff_name, period_start=data.period_start,
            period_end=data.period_end, note=data.note, status="active", created_by_id=actor.id,
            municipalities=[SupportedMunicipality(municipality_code=c, days_per_month=d)
                            for c, d in sorted(data.days.items())],
        )
        db.session.add(item)
        db.session.flush()
        submissions.set_result(submission_key, f"support_assignment:{item.id}")
        record("support.create", actor=actor, object_type="support_assignment", object_id=item.id,
               detail={"prefecture": prefecture_code, "professional": data.professional_id,
                       "days": data.days, "period": [data.period_start.isoformat(),
                                                     data.period_end.isoformat()]})
    return item


def end(actor, assignment_id: int) -> SupportAssignment:
    """End a support assignment today: its days are free again from tomorrow."""
    with transaction():
        item = db.session.get(SupportAssignment, assignment_id,
                              with_for_update={"of": SupportAssignment})
        if item is None:
            raise NotFound(assignment_id)
        require_coordinator(actor, item.prefecture_code)
        if item.status == "active":
            today = today_jst()
            item.status, item.ended_at = "ended", utcnow()
            item.period_end = min(item.period_end, today)
            if item.professional is not None:
                item.professional.updated_at = utcnow()
            record("support.end", actor=actor, object_type="support_assignment", object_id=item.id)
    return item


def for_prefecture(actor, prefecture_code: str) -> list[SupportAssignment]:
    require_coordinator(actor, prefecture_code)
    return list(db.session.scalars(
        select(SupportAssignment).where(SupportAssignment.prefecture_code == prefecture_code)
        .order_by(SupportAssignment.status, SupportAssignment.period_end.desc(),
                  SupportAssignment.id.desc())))


def for_municipality(actor, *, today: date | None = None) -> list[tuple[SupportAssignment, float]]:
    """Who supports the staff member's municipality now or later, with its days a month."""
    if actor is None or not is_municipality(actor) or not actor.municipality_code:
        return []
    today = today or today_jst()
    rows = db.session.execute(
        select(SupportAssignment, SupportedMunicipality.days_per_month)
        .join(SupportedMunicipality, SupportedMunicipality.assignment_id == SupportAssignment.id)
        .where(SupportedMunicipality.municipality_code == actor.municipality_code,
               SupportAssignment.status == "active", SupportAssignment.period_end >= today)
        .order_by(SupportAssignment.period_start, SupportAssignment.id))
    return [(a, float(d)) for a, d in rows]


def is_coordinator(actor) -> bool:
    return actor is not None and is_prefecture(actor)


# --------------------------------------------------------------------------- capacity


@signals.capacity_commitments.connect
def commitments_for(_sender, *, professional_ids, start: date, end: date | None) -> list[Commitment]:
    """The capacity signal's receiver: active support of these people overlapping the window."""
    stmt = select(SupportAssignment).where(
        SupportAssignment.status == "active", SupportAssignment.professional_id.is_not(None),
        SupportAssignment.period_end >= start)
    if end is not None:
        stmt = stmt.where(SupportAssignment.period_start <= end)
    if professional_ids is not None:
        if not professional_ids:
            return []
        stmt = stmt.where(SupportAssignment.professional_id.in_(professional_ids))
    return [Commitment(a.professional_id, a.days_per_month, a.period_start, a.period_end,
                       a.prefecture_code) for a in db.session.scalars(stmt)]


@signals.personal_data_export.connect
def export_section(user) -> tuple[str, list]:
    """"Download my data": the support assignments that hold the person's days."""
    rows = db.session.scalars(
        select(SupportAssignment).join(Professional, Professional.id == SupportAssignment.professional_id)
        .where(Professional.user_id == user.id).order_by(SupportAssignment.id))
    return "support_assignments", [
        {"prefecture_code": a.prefecture_code, "period_start": a.period_start.isoformat(),
         "period_end": a.period_end.isoformat(), "status": a.status, "note": a.note,
         "municipalities": {m.municipality_code: m.days_per_month for m in a.municipalities}}
        for a in rows]
