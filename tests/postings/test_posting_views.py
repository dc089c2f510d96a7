"""The municipality's screens over HTTP: the form (drafts, errors next to fields, submit),
live advice, the posting page's actions, and who may see what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxEvent
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from talentmatch.review import services as review
from tests.support.factories import make_user
from tests.support.postings import (
    MUNI_A,
    MUNI_B,
    clerk,
    coordinator,
    form_data,
    ministry,
    published,
    service_data,
    submitted,
)


def _postings() -> list[Posting]:
    db.session.expire_all()
    return db.session.scalars(select(Posting).order_by(Posting.id)).all()


def _text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/my/postings", "/my/postings/new", "/my/postings/import"])
def test_only_municipality_staff_reach_the_screens(ctx, client, auth, path):
    assert client.get(path).status_code == 302  # anonymous: to the login page
    for user in (make_user("professional"), coordinator(), ministry()):
        auth.login(user)
        assert client.get(path).status_code == 403
        auth.logout()
    auth.login(clerk())
    assert client.get(path).status_code == 200


def test_empty_list_then_a_partial_draft(ctx, client, auth):
    auth.login(clerk())
    page = _text(client.get("/my/postings"))
    assert "/my/postings/new" in page
    form = _text(client.get("/my/postings/new"))
    # Every template field is on the form, grouped in sections, with help text.
    for key in ("title", "employment_type", "focus_areas", "duties", "deadline", "how_to_apply",
                "contact_email", "pr_text", "summary_en"):
        assert f'name="{key}"' in form
    assert 'id="title-help"' in form and "posting-form.js" in form
    assert 'name="municipality_code"' not in form

    resp = client.post("/my/postings/new", data={"title": "DX推進アドバイザー", "action": "save"})
    assert resp.status_code == 302
    [posting] = _postings()
    assert resp.headers["Location"].endswith(f"/my/postings/{posting.id}/edit")
    assert (posting.current_revision.state, posting.current_revision.title) == (
        "draft", "DX推進アドバイザー")
    edit = _text(client.get(resp.headers["Location"]))
    assert 'value="DX推進アドバイザー"' in edit
    listing = _text(client.get("/my/postings"))
    assert "DX推進アドバイザー" in listing


def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(ctx, client, auth):
    auth.login(clerk())
    resp = client.post("/my/postings/new", data=form_data(contact_email="dx@", action="save"))
    assert resp.status_code == 400
    page = _text(resp)
    assert 'id="error-summary"' in page and 'href="#contact_email"' in page
    assert re.search(r'id="contact_email-error">[^<]+</p>', page)
    assert 'aria-invalid="true"' in page
    assert 'value="CIO補佐官"' in page  # what was typed is kept
    assert _postings() == []


def test_submit_from_the_form(ctx, client, auth):
    auth.login(clerk())
    resp = client.post("/my/postings/new", data=form_data(action="submit"))
    [posting] = _postings()
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/my/postings/{posting.id}")
    assert posting.current_revision.state == "submitted"
    detail = _text(client.get(f"/my/postings/{posting.id}"))
    assert 'id="timeline"' in detail and 'aria-current="step"' in detail


def test_a_refused_first_submit_saves_nothing_and_says_so(ctx, client, auth):
    auth.login(clerk())
    resp = client.post("/my/postings/new",
                       data={"title": "情報セキュリティアドバイザー", "action": "submit"})
    assert resp.status_code == 400
    page = _text(resp)
    for key in ("employment_type", "joint_wish", "duties", "deadline", "contact_email"):
        assert f'href="#{key}"' in page
    assert "Nothing has been saved yet" in page or "まだ何も保存されていません" in page
    assert 'value="情報セキュリティアドバイザー"' in page  # what was typed is kept
    assert _postings() == []  # no 「役職名未入力の募集情報」 behind the clerk's back


def test_a_refused_submit_of_an_existing_draft_changes_nothing(ctx, client, auth):
    a = clerk()
    auth.login(a)
    draft = postings.create_draft(a, service_data(title="元の役職名"))
    resp = client.post(f"/my/postings/{draft.id}/edit",
                       data=form_data(title="新しい役職名", duties="", action="submit"))
    assert resp.status_code == 400 and 'href="#duties"' in _text(resp)
    [posting] = _postings()
    assert (posting.current_revision.title, posting.current_revision.state) == ("元の役職名", "draft")


def test_posted_state_and_municipality_change_nothing(ctx, client, auth):
    auth.login(clerk(MUNI_A))
    data = form_data(action="save", state="published", municipality_code=MUNI_B,
                     prefecture_code="13", status="closed", published_revision_id="1",
                     created_by_id="999", number="9")
    assert client.post("/my/postings/new", data=data).status_code == 302
    [posting] = _postings()
    rev = posting.current_revision
    assert (posting.municipality_code, posting.prefecture_code, posting.status) == (MUNI_A, "01", "open")
    assert (rev.state, rev.number, rev.municipality_code) == ("draft", 1, MUNI_A)
    assert posting.published_revision_id is None
    resp = client.post(f"/my/postings/{posting.id}/edit", data={**data, "title": "更新"})
    assert resp.status_code == 302
    [posting] = _postings()
    assert (posting.current_revision.state, posting.municipality_code) == ("draft", MUNI_A)
    assert posting.current_revision.title == "更新"


def test_another_municipality_gets_404_everywhere(ctx, client, auth):
    owner = clerk(MUNI_A)
    posting = postings.create_draft(owner, service_data())
    auth.login(clerk(MUNI_B))
    for path in (f"/my/postings/{posting.id}", f"/my/postings/{posting.id}/edit"):
        assert client.get(path).status_code == 404
    for action in ("edit", "submit", "withdraw", "close", "revise"):
        assert client.post(f"/my/postings/{posting.id}/{action}",
                           data=form_data(reason="filled")).status_code == 404
    assert "CIO補佐官" not in _text(client.get("/my/postings"))
    [posting] = _postings()
    assert posting.current_revision.state == "draft" and review.timeline(posting.id) == []


def test_municipality_actions_over_http(ctx, client, auth):
    a, p, mic = clerk(), coordinator(), ministry()
    auth.login(a)
    draft = postings.create_draft(a, service_data())
    assert client.post(f"/my/postings/{draft.id}/submit").status_code == 302
    assert client.post(f"/my/postings/{draft.id}/withdraw").status_code == 302
    assert _postings()[0].status == "withdrawn"

    live = published(a, p, mic)
    page = _text(client.get(f"/my/postings/{live.id}"))
    assert f"/my/postings/{live.id}/revise" in page and f"/my/postings/{live.id}/close" in page
    assert f"/my/postings/{live.id}/withdraw" not in page
    resp = client.post(f"/my/postings/{live.id}/revise")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/my/postings/{live.id}/edit")
    resp = client.post(f"/my/postings/{live.id}/edit", data=form_data(title="改訂版", action="submit"))
    assert resp.status_code == 302
    posting = db.session.get(Posting, live.id)
    assert posting.current_revision.state == "submitted" and posting.current_revision.number == 2
    assert posting.published_revision.state == "published"
    assert client.post(f"/my/postings/{live.id}/close", data={"reason": "filled"}).status_code == 302
    posting = _postings()[1]
    assert (posting.status, posting.close_reason) == ("closed", "filled")
    assert [r.state for r in posting.revisions] == ["closed", "withdrawn"]


def test_a_refused_move_is_explained_and_changes_nothing(ctx, client, auth):
    a = clerk()
    auth.login(a)
    posting = submitted(a)
    resp = client.post(f"/my/postings/{posting.id}/revise", follow_redirects=True)
    assert resp.status_code == 200
    assert 'class="notice error"' in _text(resp)
    resp = client.get(f"/my/postings/{posting.id}/edit")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/my/postings/{posting.id}")
    resp = client.post(f"/my/postings/{posting.id}/edit", data=form_data(title="変更"))
    assert resp.status_code == 302
    assert _postings()[0].current_revision.title == "CIO補佐官"
    assert client.post(f"/my/postings/{posting.id}/close").status_code == 302
    assert _postings()[0].current_revision.state == "submitted"
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_advice_is_rendered_on_save_and_by_the_json_endpoint(ctx, client, auth):
    auth.login(clerk())
    data = form_data(required_experience="情報システム分野における業務経験", action="save",
                     required_skills="情報処理安全確保支援士")
    resp = client.post("/my/postings/new", data=data, follow_redirects=True)
    page = _text(resp)
    assert 'id="advice-summary"' in page and 'href="#required_experience"' in page
    assert 'data-advice-for="required_experience"' in page
    advice = client.post("/postings/advice", data=data).get_json()["advice"]
    assert {a["code"] for a in advice} >= {"experience_wording", "scarce_qualification_required"}
    assert all(a["message"] and a["field"] for a in advice)
    calm = client.post("/postings/advice", data=form_data()).get_json()["advice"]
    assert calm == []


def test_advice_endpoint_needs_the_csrf_header(app, ctx, client, auth):
    auth.login(clerk())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = _text(client.get("/my/postings/new"))
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        assert client.post("/postings/advice", data=form_data()).status_code == 400
        ok = client.post("/postings/advice", data=form_data(), headers={"X-CSRFToken": token})
        assert ok.status_code == 200 and ok.get_json() == {"advice": []}
        # The form itself is refused without its token too.
        assert client.post("/my/postings/new", data=form_data()).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _postings() == []
