"""A professional's applications are in "download my data" and go with their account;
the municipality keeps its appointment record without the person."""

from __future__ import annotations

from sqlalchemy import func, select

from talentmatch.applications import appointments
from talentmatch.applications import services as svc
from talentmatch.applications.models import (
    Application,
    ApplicationEvent,
    ApplyInvitation,
    Appointment,
)
from talentmatch.extensions import db
from talentmatch.professionals import services as professionals
from tests.support.factories import make_user
from tests.support.matching import cloud_posting, make_pro


def _appointed(ctx_user_locale="ja"):
    posting = cloud_posting("012025")
    other = cloud_posting("012033", title="招待の任用")
    pro = make_pro("削除 予定", skills=["bpr"], locale=ctx_user_locale)
    staff = make_user("municipality", municipality_code="012025")
    staff_b = make_user("municipality", municipality_code="012033")
    svc.invite(staff_b, other.id, pro.id, "ご検討ください")
    application = svc.apply(pro.user, [posting.id], "私の志望動機")[0]
    svc.move(staff, application.id, "interview")
    rev = posting.published_revision
    appointments.appoint(staff, application.id, {
        "days_per_month": 4, "period_start": rev.period_start, "period_end": rev.period_end,
        "employment_type": "special_part_time", "compensation_amount": 250000,
        "compensation_unit": "month", "fills_posting": True})
    return posting, pro


def test_export_contains_applications_invitations_and_appointments(ctx):
    posting, pro = _appointed()
    data = professionals.export_data(pro.user)
    section = data["applications"]
    assert section["applications"][0]["message"] == "私の志望動機"
    assert [h["to"] for h in section["applications"][0]["history"]] == ["received", "interview", "appointed"]
    assert section["invitations"][0]["message"] == "ご検討ください"
    assert section["appointments"][0]["days_per_month"] == 4


def test_deleting_the_account_removes_applications_and_keeps_the_appointment_anonymous(ctx):
    posting, pro = _appointed()
    user = pro.user
    professionals.erase_person(user, reason="test")
    assert db.session.scalar(select(func.count(Application.id))) == 0
    assert db.session.scalar(select(func.count(ApplicationEvent.id))) == 0
    assert db.session.scalar(select(func.count(ApplyInvitation.id))) == 0
    appt = db.session.scalar(select(Appointment))
    assert appt.professional_id is None and appt.posting_id == posting.id
    assert appt.compensation_amount == 250000
