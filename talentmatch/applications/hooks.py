"""What applications mean to other domains, connected to their signals at start-up (app.RECEIVERS):
the person's applications in "download my data" and in account deletion, and a municipality
may read the profile of someone who applied to it."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from talentmatch import signals
from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE, User
from talentmatch.applications.models import (
    Application,
    ApplicationEvent,
    ApplyInvitation,
    Appointment,
)
from talentmatch.extensions import db
from talentmatch.professionals.models import Professional


def _professional_id(user: User) -> int | None:
    return db.session.scalar(select(Professional.id).where(Professional.user_id == user.id))


@signals.personal_data_export.connect
def export_section(user: User) -> tuple[str, dict]:
    return "applications", export(user)


def export(user: User) -> dict:
    pid = _professional_id(user)
    if pid is None:
        return {"applications": [], "invitations": [], "appointments": []}
    apps = db.session.scalars(
        select(Application).where(Application.professional_id == pid).order_by(Application.id)
    ).all()
    return {
        "applications": [
            {
                "posting_id": a.posting_id,
                "municipality_code": a.municipality_code,
                "message": a.message,
                "status": a.status,
                "created_at": a.created_at,
                "history": [
                    {"at": e.at, "from": e.from_status, "to": e.to_status, "note": e.note}
                    for e in a.events
                ],
            }
            for a in apps
        ],
        "invitations": [
            {"posting_id": i.posting_id, "municipality_code": i.municipality_code,
             "message": i.message, "created_at": i.created_at}
            for i in db.session.scalars(
                select(ApplyInvitation).where(ApplyInvitation.professional_id == pid).order_by(ApplyInvitation.id))
        ],
        "appointments": [
            {"posting_id": a.posting_id, "municipality_code": a.municipality_code,
             "days_per_month": a.days_per_month, "period_start": a.period_start,
             "period_end": a.period_end, "employment_type": a.employment_type,
             "compensation_amount": a.compensation_amount,
             "compensation_unit": a.compensation_unit, "status": a.status}
            for a in db.session.scalars(
                select(Appointment).where(Appointment.professional_id == pid).order_by(Appointment.id))
        ],
    }


@signals.personal_data_deletion.connect
def delete_person(user: User) -> None:
    """Applications (with their messages) and invitations go; appointments stay as the
    municipality's record of a post and its cost, without the person. Does not commit."""
    pid = _professional_id(user)
    if pid is None:
        return
    app_ids = select(Application.id).where(Application.professional_id == pid)
    db.session.execute(delete(ApplicationEvent).where(ApplicationEvent.application_id.in_(app_ids)))
    db.session.execute(
        update(Appointment).where(Appointment.professional_id == pid)
        .values(professional_id=None, application_id=None)
    )
    db.session.execute(delete(Application).where(Application.professional_id == pid))
    db.session.execute(delete(ApplyInvitation).where(ApplyInvitation.professional_id == pid))


@signals.profile_access.connect
def applied_here(viewer: User, professional: Professional) -> bool:
    """Staff may read the profile of someone who applied to their municipality (or, for a
    coordinator, to one in their prefecture), even when it is not discoverable."""
    stmt = select(Application.id).where(
        Application.professional_id == professional.id, Application.status != "withdrawn"
    )
    if viewer.role == MUNICIPALITY and viewer.municipality_code:
        stmt = stmt.where(Application.municipality_code == viewer.municipality_code)
    elif viewer.role == PREFECTURE and viewer.prefecture_code:
        stmt = stmt.where(Application.municipality_code.like(f"{viewer.prefecture_code}%"))
    else:
        return False
    return db.session.scalar(stmt.limit(1)) is not None

