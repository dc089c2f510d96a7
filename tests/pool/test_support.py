"""Support assignments (市町村支援): a prefecture's coordinator records that a person of its
pool (or its own staff) supports municipalities for so many days a month; the days count
against the person's capacity like any appointment (兼務); the municipality sees who supports
it and until when; only that prefecture's coordinators manage them; the dashboards count
the municipalities supported and their days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentmatch.applications import capacity
from talentmatch.applications import services as applications
from talentmatch.applications.models import Appointment
from talentmatch.audit.models import AuditEvent
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.pool import services as pool
from talentmatch.pool.models import SupportAssignment, SupportedMunicipality
from tests.support.factories import login
from tests.support.joint import AOMORI, KIKONAI, NANAE, PREF_P, PREF_Q, SHIRIUCHI, people
from tests.support.matching import cloud_posting, make_pro


@pytest.fixture
def world(app):
    with app.app_context():
        w = people()
        w["pro"] = make_pro("支援 一郎", skills=["bpr", "cloud_architecture"],
                            available_days_per_month=10)
        pool.add_to_pool(w["coord"], PREF_P, [w["pro"].id], tags=["職員OB・OG"], note="")
        db.session.commit()
        yield w


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _form(world, **over) -> dict:
    today = today_jst()
    data = {
        "person": str(world["pro"].id), "staff_name": "",
        "period_start": (today - timedelta(days=10)).isoformat(),
        "period_end": (today + timedelta(days=200)).isoformat(),
        "municipality_1": KIKONAI, "days_1": "4", "municipality_2": SHIRIUCHI, "days_2": "２",
        "note": "標準化の進行管理を支援します。",
    }
    data.update(over)
    return data


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(SupportAssignment.id)))


def test_a_coordinator_records_support_and_it_holds_the_persons_days(app, world):
    c = _client(app, world["coord"])
    page = c.get(f"/prefectures/{PREF_P}/support/new").get_data(as_text=True)
    assert "支援 一郎" in page and 'name="municipality_6"' in page
    resp = c.post(f"/prefectures/{PREF_P}/support/new", data=_form(world))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    item = db.session.scalars(select(SupportAssignment)).one()
    # Full-width ２ is read as 2 (NFKC).
    assert {m.municipality_code: m.days_per_month for m in item.municipalities} == {
        KIKONAI: 4.0, SHIRIUCHI: 2.0}
    assert item.days_per_month == 6.0
    listing = c.get(f"/prefectures/{PREF_P}/support").get_data(as_text=True)
    assert "支援 一郎" in listing and "木古内町" in listing
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "support.create"))

    # 兼務: 10 available − 6 of support = 4 free.
    assert capacity.used_days([world["pro"].id])[world["pro"].id] == 6.0
    # The matcher sees the same: a role needing 5 days excludes the person, giving the figures.
    posting = cloud_posting(NANAE, days_per_month=5)
    clerk = _client(app, world["nanae"])
    html = clerk.get(f"/postings/{posting.id}/candidates?excluded=1").get_data(as_text=True)
    excluded = html.split('id="excluded-h"', 1)[1]
    assert "支援 一郎" in excluded and "4" in excluded

    # An appointment beyond the free days is refused, naming the days field.
    application = applications.apply(world["pro"].user, [posting.id], "応募します")[0]
    applications.move(world["nanae"], application.id, "screening")
    applications.move(world["nanae"], application.id, "offered")
    rev = posting.published_revision
    resp = clerk.post(f"/applications/{application.id}/appoint", data={
        "days_per_month": "5", "period_start": rev.period_start.isoformat(),
        "period_end": rev.period_end.isoformat(), "employment_type": "special_part_time",
        "compensation_amount": "300000", "compensation_unit": "month"})
    assert resp.status_code == 422
    assert re.search(r'id="days_per_month-error">[^<]*6[^<]*</p>', resp.get_data(as_text=True))
    assert db.session.scalar(select(func.count(Appointment.id))) == 0


def test_support_beyond_capacity_is_refused_and_nothing_saved(app, world):
    c = _client(app, world["coord"])
    assert c.post(f"/prefectures/{PREF_P}/support/new", data=_form(world)).status_code == 302
    resp = c.post(f"/prefectures/{PREF_P}/support/new",
                  data=_form(world, municipality_2="", days_2="", days_1="5", municipality_1=NANAE))
    assert resp.status_code == 400
    assert re.search(r'id="days_1-error">[^<]*4[^<]*</p>', resp.get_data(as_text=True))
    assert _count() == 1


def test_the_support_form_sent_twice_records_one_assignment(app, world):
    """A double click, a retry or the back button: the form's one-time key records it once."""
    c = _client(app, world["coord"])
    page = c.get(f"/prefectures/{PREF_P}/support/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = _form(world, person="staff", staff_name="道庁 DX推進課 山田", submission_key=key)
    assert c.post(f"/prefectures/{PREF_P}/support/new", data=data).status_code == 302
    again = c.post(f"/prefectures/{PREF_P}/support/new", data=data, follow_redirects=True)
    assert again.status_code == 200 and "一度だけ" in again.get_data(as_text=True)
    assert _count() == 1
    # A new blank form has a new key: a second assignment is a second row.
    page = c.get(f"/prefectures/{PREF_P}/support/new").get_data(as_text=True)
    assert key not in page
    other = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    assert c.post(f"/prefectures/{PREF_P}/support/new",
                  data=dict(data, submission_key=other)).status_code == 302
    assert _count() == 2


def test_bad_input_names_every_field_at_once_and_saves_nothing(app, world):
    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/support/new", data=_form(
        world, person="", period_start="2026-02-30", period_end="",
        municipality_1=AOMORI, days_1="40", municipality_2="", days_2="3"))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for name in ("person", "period_start", "period_end", "municipality_1", "days_1",
                 "municipality_2"):
        assert re.search(rf'id="{name}-error">[^<]+</p>', html), name
    assert _count() == 0
    # Own staff need a name; with it the support is recorded without touching any capacity.
    resp = c.post(f"/prefectures/{PREF_P}/support/new", data=_form(world, person="staff"))
    assert resp.status_code == 400 and 'id="staff_name-error"' in resp.get_data(as_text=True)
    resp = c.post(f"/prefectures/{PREF_P}/support/new",
                  data=_form(world, person="staff", staff_name="道庁 DX推進課 山田"))
    assert resp.status_code == 302
    item = db.session.scalars(select(SupportAssignment)).one()
    assert item.professional_id is None and item.person_name == "道庁 DX推進課 山田"


def test_who_may_manage_and_who_sees_it(app, world):
    coord = _client(app, world["coord"])
    coord.post(f"/prefectures/{PREF_P}/support/new", data=_form(world))
    item = db.session.scalars(select(SupportAssignment)).one()
    # Another prefecture's coordinator, a municipality, a professional: refused, nothing saved.
    other = _client(app, world["coord_q"])
    assert other.get(f"/prefectures/{PREF_P}/support").status_code == 403
    assert other.post(f"/prefectures/{PREF_P}/support/new", data=_form(world)).status_code == 403
    assert other.post(f"/support/{item.id}/end").status_code == 404
    # Its own form offers only its own municipalities and pool: the person is not in it.
    resp = other.post(f"/prefectures/{PREF_Q}/support/new",
                      data=_form(world, municipality_1=AOMORI, municipality_2="", days_2=""))
    assert resp.status_code == 400 and 'id="person-error"' in resp.get_data(as_text=True)
    muni = _client(app, world["kikonai"])
    assert muni.post(f"/prefectures/{PREF_P}/support/new", data=_form(world)).status_code == 403
    assert muni.post(f"/support/{item.id}/end").status_code == 403
    assert _client(app, world["pro"].user).get("/support").status_code == 403
    assert _count() == 1

    # The supported municipality sees who and until when; one not supported sees nobody.
    seen = muni.get("/support").get_data(as_text=True)
    assert "支援 一郎" in seen and 'id="supporters"' in seen
    end = item.period_end
    until = re.search(r'class="support-until">([^<]+)<', seen)
    assert until and until.group(1).startswith(f"{end.year}年{end.month}月{end.day}日（令和")
    assert "標準化の進行管理" in seen
    assert "支援 一郎" in muni.get("/home").get_data(as_text=True)  # on the home page too
    nanae = _client(app, world["nanae"]).get("/support").get_data(as_text=True)
    assert "支援 一郎" not in nanae
    assert "支援 一郎" not in _client(app, world["aomori"]).get("/support").get_data(as_text=True)

    # Ending it frees the days and the municipality no longer lists it.
    assert coord.post(f"/support/{item.id}/end").status_code == 302
    db.session.expire_all()
    assert capacity.used_days([world["pro"].id]).get(world["pro"].id, 0.0) == 0.0
    assert "支援 一郎" not in muni.get("/support").get_data(as_text=True)


def test_dashboards_count_municipalities_and_days(app, world):
    coord = _client(app, world["coord"])
    coord.post(f"/prefectures/{PREF_P}/support/new", data=_form(world))
    coord.post(f"/prefectures/{PREF_P}/support/new", data=_form(
        world, person="staff", staff_name="道庁 山田", municipality_1=NANAE, days_1="3",
        municipality_2=KIKONAI, days_2="1"))
    assert db.session.scalar(select(func.count(SupportedMunicipality.id))) == 4

    def figure(html: str) -> tuple[str, str]:
        m = re.search(r'市町村支援[^<]*</span><span class="dash-figure-value">([^<]+)</span>'
                      r'<span class="dash-figure-note">([^<]+)</span>', html)
        assert m, html[:3000]
        return m.group(1), m.group(2)

    # 3 municipalities (木古内町 twice), 4 + 2 + 3 + 1 = 10 days a month, 2 people.
    value, note = figure(coord.get(f"/dashboards/prefecture/{PREF_P}").get_data(as_text=True))
    assert value == "3" and "10" in note and "2" in note
    mic = _client(app, world["mic"])
    value, note = figure(mic.get("/dashboards/national").get_data(as_text=True))
    assert value == "3" and "10" in note
    value, _note = figure(mic.get(f"/dashboards/prefecture/{PREF_Q}").get_data(as_text=True))
    assert value == "0"
