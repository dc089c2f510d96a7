"""Appointing an applicant: defaults from the posting, capacity across several posts (兼務),
nothing saved when refused, and the posting closing as filled."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from talentmatch.applications import appointments
from talentmatch.applications import services as svc
from talentmatch.applications.models import Application, Appointment
from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from talentmatch.review.models import ReviewEvent
from tests.support.factories import login, make_user
from tests.support.matching import appointment, cloud_posting, make_pro

MUNI_A = "012025"
MUNI_B = "012033"


@pytest.fixture
def offered(ctx, app):
    posting = cloud_posting(MUNI_A, days_per_month=4)
    pro = make_pro("兼務 花子", skills=["bpr"], available_days_per_month=8)
    application = svc.apply(pro.user, [posting.id], "応募します")[0]
    staff = make_user("municipality", municipality_code=MUNI_A)
    svc.move(staff, application.id, "screening")
    svc.move(staff, application.id, "offered")
    client = app.test_client()
    login(client, staff)
    return posting, pro, application, staff, client


def _form(posting, **over):
    rev = posting.published_revision
    data = {
        "days_per_month": "4", "period_start": rev.period_start.isoformat(),
        "period_end": rev.period_end.isoformat(), "employment_type": "special_part_time",
        "compensation_amount": "300000", "compensation_unit": "month", "fills_posting": "y",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_starts_from_the_posting(offered):
    posting, _, application, _, client = offered
    html = client.get(f"/applications/{application.id}/appoint").get_data(as_text=True)
    rev = posting.published_revision
    assert f'value="{rev.period_start.isoformat()}"' in html
    assert 'value="300000"' in html
    checkbox = re.search(r'<input[^>]*id="fills_posting"[^>]*>', html).group(0)
    assert "checked" in checkbox


def test_appointing_records_it_and_closes_the_posting_as_filled(offered):
    posting, pro, application, staff, client = offered
    resp = client.post(f"/applications/{application.id}/appoint", data=_form(posting))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    appt = db.session.scalar(select(Appointment))
    assert (appt.professional_id, appt.posting_id, appt.days_per_month, appt.status) == (pro.id, posting.id, 4, "active")
    assert appt.compensation_amount == 300000 and appt.created_by_id == staff.id
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "appointed"
    closed = db.session.get(Posting, posting.id)
    assert closed.status == "closed" and closed.close_reason == "filled"
    event = db.session.scalar(select(ReviewEvent).where(ReviewEvent.action == "close"))
    assert event.close_reason == "filled" and event.actor_id == staff.id


def test_without_the_checkbox_the_posting_stays_open(offered):
    posting, _, application, _, client = offered
    resp = client.post(f"/applications/{application.id}/appoint", data=_form(posting, fills_posting=None))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "open"
    assert db.session.get(Application, application.id).status == "appointed"


def test_two_posts_at_once_within_capacity_and_the_third_is_refused(offered, app):
    posting, pro, application, _, client = offered
    # Already holds 3 days elsewhere: 8 - 3 = 5 free, this post takes 4.
    other = cloud_posting(MUNI_B, title="小樽市の任用")
    appointment(pro, other, 3)
    assert client.post(f"/applications/{application.id}/appoint", data=_form(posting)).status_code == 302
    assert db.session.scalar(select(func.count(Appointment.id))) == 2
    # A third municipality wants 2 more days: 8 - 7 = 1 free.
    third = cloud_posting("016438", title="三つ目の任用", days_per_month=2)
    app3 = svc.apply(pro.user, [third.id], "")[0]
    staff3 = make_user("municipality", municipality_code="016438")
    svc.move(staff3, app3.id, "interview")
    c3 = app.test_client()
    login(c3, staff3)
    resp = c3.post(f"/applications/{app3.id}/appoint", data=_form(third, days_per_month="2"))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    # The message names the numbers: 8 available, 7 used, 1 free, 2 needed.
    for number in (">8<", "8", "7", "1", "2"):
        assert number.strip("<>") in html
    assert "兼務 花子" in html
    assert db.session.scalar(select(func.count(Appointment.id))) == 2
    db.session.expire_all()
    assert db.session.get(Application, app3.id).status == "interview"
    assert db.session.get(Posting, third.id).status == "open"


def test_over_capacity_message_in_words(offered):
    posting, pro, application, staff, _ = offered
    appointment(pro, cloud_posting(MUNI_B, title="別"), 6)
    with pytest.raises(svc.ApplicationRefused) as info:
        appointments.appoint(staff, application.id, {
            "days_per_month": 4, "period_start": posting.published_revision.period_start,
            "period_end": posting.published_revision.period_end,
            "employment_type": "special_part_time", "fills_posting": True})
    err = info.value.errors[0]
    assert err.field == "days_per_month"
    assert err.message.params == {"name": "兼務 花子", "available": "8", "used": "6", "free": "2", "needed": "4"}
    assert db.session.scalar(select(func.count(Appointment.id))) == 1  # only the one from the setup
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "offered"


def test_posts_that_follow_each_other_do_not_add_up(offered):
    posting, pro, application, staff, _ = offered
    start = posting.published_revision.period_start
    # 7 days a month, but ending the day before this post starts.
    appointment(pro, cloud_posting(MUNI_B, title="前の任用"), 7,
                start=start - timedelta(days=200), end=start - timedelta(days=1))
    appt = appointments.appoint(staff, application.id, {
        "days_per_month": 4, "period_start": start, "period_end": posting.published_revision.period_end,
        "employment_type": "special_part_time", "fills_posting": False})
    assert appt.id is not None


def test_bad_input_names_the_field_and_saves_nothing(offered):
    posting, _, application, _, client = offered
    cases = {
        "days_per_month": _form(posting, days_per_month="0"),
        "period_end": _form(posting, period_end=(posting.published_revision.period_start - timedelta(days=1)).isoformat()),
        "employment_type": _form(posting, employment_type="volunteer"),
        "compensation_amount": _form(posting, compensation_amount="-5"),
        "period_start": _form(posting, period_start="来年"),
    }
    for field, data in cases.items():
        resp = client.post(f"/applications/{application.id}/appoint", data=data)
        assert resp.status_code == 422, field
        assert f'href="#{field}"' in resp.get_data(as_text=True), field
    assert db.session.scalar(select(func.count(Appointment.id))) == 0
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "open"


def test_only_the_postings_municipality_appoints(offered, app):
    posting, _, application, _, _ = offered
    for user in (make_user("municipality", municipality_code=MUNI_B), make_user("prefecture", prefecture_code="01")):
        c = app.test_client()
        login(c, user)
        status = c.post(f"/applications/{application.id}/appoint", data=_form(posting)).status_code
        assert status in (403, 404)
    assert db.session.scalar(select(func.count(Appointment.id))) == 0


def test_a_received_application_cannot_be_appointed_directly(ctx, app):
    posting = cloud_posting(MUNI_A)
    pro = make_pro("新規", skills=["bpr"])
    application = svc.apply(pro.user, [posting.id], "")[0]
    staff = make_user("municipality", municipality_code=MUNI_A)
    with pytest.raises(svc.ApplicationRefused):
        appointments.appoint(staff, application.id, {
            "days_per_month": 4, "period_start": date.today(), "period_end": date.today() + timedelta(days=90),
            "employment_type": "special_part_time", "fills_posting": True})
    assert db.session.scalar(select(func.count(Appointment.id))) == 0


def test_ending_an_appointment_frees_the_days(offered):
    posting, pro, application, staff, client = offered
    client.post(f"/applications/{application.id}/appoint", data=_form(posting, fills_posting=None))
    appt = db.session.scalar(select(Appointment))
    assert client.post(f"/appointments/{appt.id}/end").status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appt.id).status == "ended"
    from talentmatch.applications.capacity import used_days

    assert used_days([pro.id]) == {}
