"""Appointing an applicant (任用): days per month, period, employment type and compensation,
within the person's capacity (兼務: several posts at once are normal, but never more days
than they have), and closing the posting as filled when the municipality says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from talentmatch import vocab
from talentmatch.accounts.models import MUNICIPALITY, User
from talentmatch.applications import capacity, pipeline
from talentmatch.applications.models import Application, Appointment
from talentmatch.applications.services import (
    ApplicationNotFound,
    ApplicationRefused,
    _event,
    can_manage,
    load_application,
    notify_status,
)
from talentmatch.audit.services import record
from talentmatch.clock import today_jst
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.inputs import fold_number
from talentmatch.messages import MSG_REQUIRED, N_, FieldError, Msg
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals.models import Professional

EMPLOYMENT_TYPES = vocab.values(vocab.EMPLOYMENT_TYPES)
COMPENSATION_UNITS = vocab.values(vocab.COMPENSATION_UNITS)

COMPENSATION_MAX = 1_000_000_000
MSG_DAYS = N_("Enter a number of days between 0.5 and 31, in steps of 0.5.")
MSG_DATE = N_("Enter a date such as 2025-04-01 or 2025/4/1.")
MSG_PERIOD_ORDER = N_("The end of the period must be after its start.")
MSG_CHOICE = N_("Choose one of the options.")
MSG_AMOUNT = N_("Enter a whole number of yen, 0 or more.")
MSG_UNIT_WITHOUT_AMOUNT = N_("Give the amount together with its unit.")
MSG_OVER_CAPACITY = N_(
    "%(name)s has %(available)s days a month, and other appointments in this period already "
    "take %(used)s, so %(free)s are free. This appointment needs %(needed)s days a month."
)
MSG_OVER_AVAILABLE = N_(
    "%(name)s has %(available)s days a month, and this appointment needs %(needed)s days a month."
)
MSG_NO_PERSON = N_("This application's professional no longer has an account.")
MSG_ALREADY_ENDED = N_("This appointment has already ended.")


@dataclass(frozen=True)
class AppointmentInput:
    days_per_month: float
    period_start: date
    period_end: date
    employment_type: str
    compensation_amount: int | None
    compensation_unit: str | None
    fills_posting: bool = True
    note: str | None = None


def defaults_for(app: Application) -> dict[str, object]:
    """The appointment form starts from the posting's conditions."""
    rev: PostingRevision | None = app.posting.published_revision or app.posting.current_revision
    if rev is None:
        return {"fills_posting": True}
    return {
        "days_per_month": rev.days_per_month,
        "period_start": rev.period_start,
        "period_end": rev.period_end,
        "employment_type": rev.employment_type,
        "compensation_amount": rev.compensation_amount,
        "compensation_unit": rev.compensation_unit,
        "fills_posting": True,
    }


def clean(raw: Mapping[str, object]) -> AppointmentInput:
    """Check the form's values; every problem names its field (ApplicationRefused)."""
    errors: list[FieldError] = []

    def err(field: str, msgid: str) -> None:
        errors.append(FieldError(field, Msg(msgid)))

    days = fold_number(raw.get("days_per_month"))
    if isinstance(days, str):
        days = days.removesuffix("日").strip()
    try:
        days_f = float(days) if days not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        days_f = -1.0
    if days_f is not None and not math.isfinite(days_f):
        days_f = -1.0
    if days_f is None:
        err("days_per_month", MSG_REQUIRED)
    elif not (0.5 <= days_f <= 31) or (days_f * 2) != int(days_f * 2):
        err("days_per_month", MSG_DAYS)
    start, end = _date(raw.get("period_start")), _date(raw.get("period_end"))
    for key, value in (("period_start", start), ("period_end", end)):
        if value is None:
            err(key, MSG_REQUIRED)
        elif not isinstance(value, date):
            err(key, MSG_DATE)
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        err("period_end", MSG_PERIOD_ORDER)
    emp = raw.get("employment_type")
    if emp not in EMPLOYMENT_TYPES:
        err("employment_type", MSG_REQUIRED if not emp else MSG_CHOICE)
    amount = fold_number(raw.get("compensation_amount"))
    if isinstance(amount, str):
        digits = amount.replace(",", "").replace(" ", "").lstrip("¥\\").removesuffix("円")
        if digits.isascii() and digits.isdigit() and len(digits) <= 15:
            amount = int(digits)
    if amount in ("", None):
        amount = None
    elif (not isinstance(amount, int) or isinstance(amount, bool) or amount < 0
          or amount > COMPENSATION_MAX):  # beyond it a typo, and beyond a database integer
        err("compensation_amount", MSG_AMOUNT)
    unit = raw.get("compensation_unit") or None
    if unit is not None and unit not in COMPENSATION_UNITS:
        err("compensation_unit", MSG_CHOICE)
    if amount is not None and unit is None:
        err("compensation_unit", MSG_UNIT_WITHOUT_AMOUNT)
    if errors:
        raise ApplicationRefused(errors)
    return AppointmentInput(
        days_per_month=float(days_f or 0), period_start=start, period_end=end,  # type: ignore[arg-type]
        employment_type=str(emp), compensation_amount=amount,  # type: ignore[arg-type]
        compensation_unit=unit, fills_posting=bool(raw.get("fills_posting")),  # type: ignore[arg-type]
        note=(str(raw.get("note") or "").strip() or None),
    )


def _date(value: object) -> date | str | None:
    """A date, None when blank, or the text as typed when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(fold_number(str(value))).replace("/", "-")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        return text


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def check_capacity(pro: Professional, data: AppointmentInput, *, exclude_id: int | None = None) -> capacity.Capacity:
    cap = capacity.capacity_for_period(pro.id, pro.available_days_per_month or 0, data.period_start,
                                       data.period_end, exclude_id=exclude_id)
    if cap.used + data.days_per_month > cap.available + 1e-9:
        msgid = MSG_OVER_CAPACITY if cap.used > 0 else MSG_OVER_AVAILABLE
        raise ApplicationRefused([FieldError("days_per_month", Msg(msgid, {
            "name": pro.user.display_name,
            "available": _days(cap.available),
            "used": _days(cap.used),
            "free": _days(cap.free),
            "needed": _days(data.days_per_month),
        }))])
    return cap


def appoint(user: User, application_id: int, raw: Mapping[str, object]) -> Appointment:
    """Record the appointment and mark the application appointed; with "this fills the
    posting", close the published posting as filled — all in one transaction, or nothing."""
    with transaction():
        app = load_application(user, application_id, manage=True, for_update=True)
        data = clean(raw)
        try:
            step = pipeline.move(app.status, "appointed", pipeline.MUNICIPALITY, note=data.note,
                                 via_appointment=True)
        except pipeline.PipelineError as exc:
            raise ApplicationRefused([FieldError("status", exc.message)]) from exc
        # Lock the person so two municipalities appointing at once cannot both use the
        # last free days.
        pro = db.session.get(Professional, app.professional_id,
                             with_for_update={"of": Professional})
        if pro is None:
            raise ApplicationRefused([FieldError("status", Msg(MSG_NO_PERSON))])
        check_capacity(pro, data)
        posting = app.posting
        appt = Appointment(
            professional_id=pro.id, posting_id=posting.id, application_id=app.id,
            municipality_code=posting.municipality_code, days_per_month=data.days_per_month,
            period_start=data.period_start, period_end=data.period_end,
            employment_type=data.employment_type, compensation_amount=data.compensation_amount,
            compensation_unit=data.compensation_unit, status="active", created_by_id=user.id,
        )
        db.session.add(appt)
        app.status = step.to_status
        _event(app, user, MUNICIPALITY, step.from_status, step.to_status, step.note)
        db.session.flush()
        record("appointment.create", actor=user, object_type="application", object_id=app.id,
               detail={"appointment": appt.id, "posting": posting.id, "days": data.days_per_month,
                       "fills_posting": data.fills_posting})
        notify_status(app, user)
        if data.fills_posting:
            _close_filled(user, posting.id)
    return appt


def _close_filled(user: User, posting_id: int) -> None:
    """Close the published posting as filled, in the caller's transaction, through the
    posting workflow (its rule, event row and audit record). A posting already closed (e.g.
    its deadline passed during selection) stays as it is."""
    from talentmatch.review import services as review  # the posting workflow owns closing

    # Lock the posting row only: its eager joins are outer joins, which PostgreSQL cannot
    # lock (review.services.close → postings.load_posting(for_update=True) fails there).
    posting = db.session.get(Posting, posting_id, with_for_update={"of": Posting})
    public = posting.published_revision if posting is not None else None
    if posting is None or posting.status != "open" or public is None or public.state != "published":
        return
    review._close(posting, user, "filled", None)


def end(user: User, appointment_id: int, *, today: date | None = None) -> Appointment:
    """End an appointment early: its days are free again from now on."""
    today = today or today_jst()
    with transaction():
        appt = db.session.get(Appointment, appointment_id, with_for_update={"of": Appointment})
        if appt is None or not can_manage(user, appt.municipality_code):
            raise ApplicationNotFound()
        if appt.status != "active":
            raise ApplicationRefused([FieldError("status", Msg(MSG_ALREADY_ENDED))])
        appt.status = "ended"
        appt.ended_at = utcnow()
        if appt.period_end > today:
            appt.period_end = max(today, appt.period_start)
        record("appointment.end", actor=user, object_type="appointment", object_id=appt.id)
    return appt


def for_application(app: Application) -> Appointment | None:
    return db.session.scalar(select(Appointment).where(Appointment.application_id == app.id))

