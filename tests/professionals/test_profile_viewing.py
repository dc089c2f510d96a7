"""Staff viewing a professional's profile: who may, and that every viewing is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentmatch import signals
from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from talentmatch.professionals import services
from tests.support.factories import make_user
from tests.support.professionals import make_professional


def _views(prof_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "profile.viewed", AuditEvent.object_id == str(prof_id)
            )
        )
    )


@pytest.mark.parametrize(
    "role,org",
    [
        ("municipality", {"municipality_code": "131130"}),
        ("prefecture", {"prefecture_code": "27"}),
        ("ministry", {}),
    ],
)
def test_staff_see_discoverable_profiles_and_each_viewing_is_audited(app, client, auth, ctx, role, org):
    prof = make_professional(discoverable=True, name="公開 一郎", headline="標準化のPMO")
    staff = make_user(role, **org)
    auth.login(staff)
    r = client.get(f"/professionals/{prof.id}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "公開 一郎" in page and "標準化のPMO" in page
    assert prof.user.email not in page  # contact goes through the service, not the profile
    [event] = _views(prof.id)
    assert event.actor_id == staff.id and event.object_type == "professional"
    assert event.actor_label == f"user#{staff.id}" and event.detail["via"] == "discoverable"
    assert "公開" not in str(event.detail)
    client.get(f"/professionals/{prof.id}")
    assert len(_views(prof.id)) == 2


def test_hidden_profiles_are_not_shown_to_staff(app, client, auth, ctx):
    prof = make_professional(discoverable=False)
    staff = make_user("municipality", municipality_code="131130")
    auth.login(staff)
    assert client.get(f"/professionals/{prof.id}").status_code == 404
    assert client.get("/professionals/999999").status_code == 404  # same answer as a hidden one
    assert _views(prof.id) == []


def test_an_application_lets_that_municipality_see_a_hidden_profile(ctx):
    prof = make_professional(discoverable=False)
    staff = make_user("municipality", municipality_code="131130")
    with pytest.raises(services.NotVisible):
        services.view_profile(staff, prof.id)
    assert services.view_profile(staff, prof.id, allowed_by_application=True).id == prof.id
    [event] = _views(prof.id)
    assert event.detail["via"] == "application"


def test_a_registered_check_can_grant_sight_of_a_hidden_profile(ctx):
    prof = make_professional(discoverable=False)
    a = make_user("municipality", municipality_code="131130")
    b = make_user("municipality", municipality_code="132012")

    def applied_to_a(viewer, professional):
        return viewer.municipality_code == "131130" and professional.id == prof.id

    signals.profile_access.connect(applied_to_a)
    try:
        assert services.view_profile(a, prof.id).id == prof.id
        with pytest.raises(services.NotVisible):
            services.view_profile(b, prof.id)
    finally:
        signals.profile_access.disconnect(applied_to_a)


def test_professionals_cannot_use_the_staff_view(ctx):
    x = make_professional(discoverable=True)
    y = make_professional(discoverable=True)
    with pytest.raises(services.NotVisible):
        services.view_profile(x.user, y.id)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "profile.viewed")
        )
        == 0
    )


def test_the_importing_prefecture_sees_its_own_hidden_list_but_others_do_not(ctx):
    prof = make_professional(discoverable=False, source="imported", imported_prefecture_code="27")
    own = make_user("prefecture", prefecture_code="27")
    other = make_user("prefecture", prefecture_code="13")
    muni = make_user("municipality", municipality_code="271004")
    assert services.view_profile(own, prof.id).id == prof.id
    for viewer in (other, muni):
        with pytest.raises(services.NotVisible):
            services.view_profile(viewer, prof.id)


def test_anonymous_visitors_are_sent_to_log_in(client, ctx):
    prof = make_professional(discoverable=True)
    r = client.get(f"/professionals/{prof.id}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.get("/professionals/skills.json?q=dx").status_code == 302
