"""Applying, withdrawing and the selection pipeline: allowed and refused moves per role, who
sees which applications, and the mail the professional receives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from talentmatch.applications import services as svc
from talentmatch.applications.models import Application, ApplicationEvent, ApplyInvitation
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from tests.support.factories import login, make_posting, make_user
from tests.support.matching import cloud_posting, make_pro

MUNI_A = "012025"  # 函館市
MUNI_B = "012033"  # 小樽市, same prefecture
FOREIGN = "131130"  # 渋谷区


@pytest.fixture
def setup(ctx):
    posting_a = cloud_posting(MUNI_A)
    posting_b = cloud_posting(MUNI_B, title="小樽市 CIO補佐官")
    x = make_pro("応募 花子", skills=["bpr"])
    y = make_pro("応募 太郎", skills=["bpr"], locale="en")
    return posting_a, posting_b, x, y


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def test_professional_applies_to_several_postings_with_one_message(setup, app):
    posting_a, posting_b, x, _ = setup
    c = _client(app, x.user)
    resp = c.post("/my/applications/apply",
                  data={"postings": [posting_a.id, posting_b.id], "message": "よろしくお願いします"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/my/applications")
    apps = db.session.scalars(select(Application).order_by(Application.posting_id)).all()
    assert [(a.posting_id, a.status, a.message) for a in apps] == [
        (posting_a.id, "received", "よろしくお願いします"), (posting_b.id, "received", "よろしくお願いします")]
    page = c.get("/my/applications").get_data(as_text=True)
    assert "DX推進アドバイザー" in page and "小樽市 CIO補佐官" in page


def test_apply_refuses_closed_expired_and_repeated_postings_and_saves_nothing(setup, app):
    posting_a, _, x, _ = setup
    expired = make_posting(MUNI_A, "published", deadline=date.today() - timedelta(days=1))
    draft = make_posting(MUNI_A, "draft")
    c = _client(app, x.user)
    for ids in ([posting_a.id, expired.id], [posting_a.id, draft.id], [], [999999]):
        resp = c.post("/my/applications/apply", data={"postings": ids, "message": "x"})
        assert resp.status_code == 302
        assert db.session.scalar(select(func.count(Application.id))) == 0, ids
    # Too long a message names the field on the single-posting form.
    resp = c.post(f"/postings/{posting_a.id}/apply", data={"message": "あ" * 4001})
    assert resp.status_code == 422 and "4000" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Application.id))) == 0
    assert c.post(f"/postings/{posting_a.id}/apply", data={"message": "ok"}).status_code == 302
    with pytest.raises(svc.ApplicationRefused):
        svc.apply(x.user, [posting_a.id], "again")
    assert db.session.scalar(select(func.count(Application.id))) == 1


def test_withdraw_and_apply_again(setup, app):
    posting_a, _, x, y = setup
    app_x = svc.apply(x.user, [posting_a.id], "hi")[0]
    cy = _client(app, y.user)
    assert cy.post(f"/my/applications/{app_x.id}/withdraw").status_code == 404  # Y cannot touch X's
    cx = _client(app, x.user)
    assert cx.post(f"/my/applications/{app_x.id}/withdraw").status_code == 302
    db.session.refresh(app_x)
    assert app_x.status == "withdrawn"
    again = svc.apply(x.user, [posting_a.id], "やはり応募します")[0]
    assert again.id == app_x.id and again.status == "received"
    assert [e.to_status for e in again.events] == ["received", "withdrawn", "received"]


def test_pipeline_moves_allowed_and_refused(setup, app):
    posting_a, _, x, _ = setup
    application = svc.apply(x.user, [posting_a.id], "hi")[0]
    staff_a = make_user("municipality", municipality_code=MUNI_A)
    c = _client(app, staff_a)
    url = f"/applications/{application.id}/move"
    # Going straight to "appointed" needs the appointment form; going back is refused.
    for target in ("appointed", "received", "withdrawn", "bogus"):
        c.post(url, data={"target": target})
        db.session.refresh(application)
        assert application.status == "received", target
    for target in ("screening", "interview", "offered"):
        assert c.post(url, data={"target": target, "note": f"{target} ok"}).status_code == 302
        db.session.refresh(application)
        assert application.status == target
    assert c.post(url, data={"target": "screening"}).status_code == 302
    db.session.refresh(application)
    assert application.status == "offered"  # no going back
    c.post(url, data={"target": "not_selected", "note": "他の方を選びました"})
    db.session.refresh(application)
    assert application.status == "not_selected"
    c.post(url, data={"target": "offered"})  # final: nothing moves any more
    db.session.refresh(application)
    assert application.status == "not_selected"
    events = db.session.scalars(select(ApplicationEvent).where(
        ApplicationEvent.application_id == application.id).order_by(ApplicationEvent.id)).all()
    assert [e.to_status for e in events] == ["received", "screening", "interview", "offered", "not_selected"]
    assert events[-1].note == "他の方を選びました" and events[-1].actor_id == staff_a.id
    # The professional cannot move anything but a withdrawal.
    with pytest.raises(svc.ApplicationNotFound):
        svc.move(x.user, application.id, "screening")


def test_each_status_change_mails_the_professional_in_their_language(setup, app):
    posting_a, _, _, y = setup  # Y reads English
    application = svc.apply(y.user, [posting_a.id], "hello")[0]
    staff_a = make_user("municipality", municipality_code=MUNI_A)
    svc.move(staff_a, application.id, "screening")
    svc.move(staff_a, application.id, "interview")
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_email == y.user.email).order_by(OutboxMessage.id)).all()
    # The confirmation of the application itself, then one mail per status change.
    assert [m.kind for m in mails] == ["application_confirmed", "application_status", "application_status"]
    assert all(m.locale == "en" for m in mails)
    assert "Interview" in mails[-1].subject and "DX推進アドバイザー" in mails[-1].subject
    assert "/my/applications" in mails[-1].text_body


def test_municipality_a_never_sees_bs_applicants(setup, app):
    posting_a, posting_b, x, y = setup
    app_a = svc.apply(x.user, [posting_a.id], "A宛")[0]
    app_b = svc.apply(y.user, [posting_b.id], "B宛")[0]
    staff_a = make_user("municipality", municipality_code=MUNI_A)
    staff_b = make_user("municipality", municipality_code=MUNI_B)
    coord_01 = make_user("prefecture", prefecture_code="01")
    coord_13 = make_user("prefecture", prefecture_code="13")
    ca, cb, cp, cq = (_client(app, u) for u in (staff_a, staff_b, coord_01, coord_13))
    assert ca.get(f"/applications/{app_a.id}").status_code == 200
    assert ca.get(f"/applications/{app_b.id}").status_code == 404
    assert ca.get(f"/postings/{posting_b.id}/applications").status_code == 404
    assert ca.post(f"/applications/{app_b.id}/move", data={"target": "screening"}).status_code == 404
    db.session.refresh(app_b)
    assert app_b.status == "received"
    overview_a = ca.get("/applications").get_data(as_text=True)
    assert "DX推進アドバイザー" in overview_a and "小樽市 CIO補佐官" not in overview_a
    assert cb.get(f"/applications/{app_b.id}").status_code == 200
    # The prefecture's coordinator reads both, moves neither; another prefecture sees none.
    assert cp.get(f"/applications/{app_a.id}").status_code == 200
    assert cp.get(f"/postings/{posting_b.id}/applications").status_code == 200
    assert cp.post(f"/applications/{app_a.id}/move", data={"target": "screening"}).status_code == 403
    assert cq.get(f"/applications/{app_a.id}").status_code == 404
    assert "DX推進アドバイザー" not in cq.get("/applications").get_data(as_text=True)
    # Professionals see only their own.
    cx = _client(app, x.user)
    mine = cx.get("/my/applications").get_data(as_text=True)
    assert "DX推進アドバイザー" in mine and "小樽市 CIO補佐官" not in mine
    assert cx.get(f"/applications/{app_b.id}").status_code == 403


def test_a_municipality_may_read_a_hidden_profile_of_its_applicant_only(setup, app):
    posting_a, _, _, _ = setup
    shy = make_pro("非公開 応募者", discoverable=False)
    svc.apply(shy.user, [posting_a.id], "hi")
    ca = _client(app, make_user("municipality", municipality_code=MUNI_A))
    cb = _client(app, make_user("municipality", municipality_code=MUNI_B))
    assert ca.get(f"/professionals/{shy.id}").status_code == 200
    assert cb.get(f"/professionals/{shy.id}").status_code == 404
    page = ca.get(f"/postings/{posting_a.id}/candidates").get_data(as_text=True)
    assert "非公開 応募者" in page.split('id="applicants-h"', 1)[1].split('id="ranked-h"', 1)[0]
    assert "非公開 応募者" not in page.split('id="ranked-h"', 1)[1]


def test_invite_a_candidate(setup, app):
    posting_a, posting_b, x, y = setup
    staff_a = make_user("municipality", municipality_code=MUNI_A)
    ca = _client(app, staff_a)
    resp = ca.post(f"/postings/{posting_a.id}/invitations",
                   data={"professional_id": x.id, "message": "ぜひご応募ください", "score": "80"})
    assert resp.status_code == 302
    inv = db.session.scalar(select(ApplyInvitation))
    assert (inv.posting_id, inv.professional_id, inv.score) == (posting_a.id, x.id, 80)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "application_invitation"))
    assert mail.to_email == x.user.email and "ぜひご応募ください" in mail.text_body
    # Twice is refused; B cannot invite for A's posting; hidden people cannot be invited.
    ca.post(f"/postings/{posting_a.id}/invitations", data={"professional_id": x.id})
    shy = make_pro("非公開", discoverable=False)
    ca.post(f"/postings/{posting_a.id}/invitations", data={"professional_id": shy.id})
    cb = _client(app, make_user("municipality", municipality_code=MUNI_B))
    assert cb.post(f"/postings/{posting_a.id}/invitations", data={"professional_id": y.id}).status_code == 404
    assert db.session.scalar(select(func.count(ApplyInvitation.id))) == 1
    # Hidden values no record or score can have are never a 500: an impossible id names
    # nobody (refused with the page's message), an impossible score is a broken request; on
    # another municipality's posting either is a 404, as for any id.
    for data in ({"professional_id": "9" * 40}, {"professional_id": "-1"}):
        resp = ca.post(f"/postings/{posting_a.id}/invitations", data=data)
        assert resp.status_code == 302, data
        assert cb.post(f"/postings/{posting_a.id}/invitations", data=data).status_code == 404
    score_bad = {"professional_id": y.id, "score": "9" * 40}
    assert ca.post(f"/postings/{posting_a.id}/invitations", data=score_bad).status_code == 400
    assert db.session.scalar(select(func.count(ApplyInvitation.id))) == 1
    # X sees it, applies from it; the application remembers the invitation.
    cx = _client(app, x.user)
    assert "ぜひご応募ください" in cx.get("/my/applications").get_data(as_text=True)
    assert "ぜひご応募ください" not in _client(app, y.user).get("/my/applications").get_data(as_text=True)
    cx.post(f"/postings/{posting_a.id}/apply", data={"message": "応募します"})
    application = db.session.scalar(select(Application))
    assert application.invitation_id == inv.id
    pipeline_page = ca.get(f"/postings/{posting_a.id}/applications").get_data(as_text=True)
    assert "応募 花子" in pipeline_page and "80" in pipeline_page


def test_apply_box_on_the_public_posting_page(setup, app):
    posting_a, _, x, _ = setup
    anon = app.test_client().get(f"/postings/{posting_a.id}")
    if anon.status_code != 200:
        pytest.skip("public posting page not available")
    assert f"/postings/{posting_a.id}/apply" in anon.get_data(as_text=True)
    cx = _client(app, x.user)
    cx.post(f"/postings/{posting_a.id}/apply", data={"message": "応募します"})
    assert "/my/applications" in cx.get(f"/postings/{posting_a.id}").get_data(as_text=True)
