"""The prefecture's and MIC's screens over HTTP: inboxes with counts, reading a posting in
full, returning with a required comment, relaying and publishing — and every refusal."""

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
    MUNI_B,
    MUNI_Q,
    PREF_Q,
    clerk,
    coordinator,
    ministry,
    published,
    relayed,
    service_data,
    submitted,
)


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _state(posting_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Posting, posting_id).current_revision.state


def _outbox() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent))


@pytest.mark.parametrize(("path", "allowed"), [("/review/prefecture", "prefecture"),
                                               ("/review/ministry", "ministry")])
def test_inboxes_are_for_their_role_only(ctx, client, auth, path, allowed):
    assert client.get(path).status_code == 302
    users = {"prefecture": coordinator(), "ministry": ministry(),
             "municipality": clerk(), "professional": make_user("professional")}
    for role, user in users.items():
        auth.logout()
        auth.login(user)
        assert client.get(path).status_code == (200 if role == allowed else 403), role


def test_prefecture_inbox_lists_its_own_submissions_with_counts(ctx, client, auth):
    a, b, q_clerk = clerk(), clerk(MUNI_B), clerk(MUNI_Q)
    submitted(a, title="CIO補佐官", required_experience="情報システム分野における業務経験")
    submitted(b, title="DX推進アドバイザー")
    submitted(q_clerk, title="宮城の情報セキュリティアドバイザー")
    postings.create_draft(a, {"title": "書きかけの下書き"})
    auth.logout()
    auth.login(coordinator())
    page = _text(client.get("/review/prefecture"))
    assert "CIO補佐官" in page and "DX推進アドバイザー" in page
    assert "宮城の情報セキュリティアドバイザー" not in page
    assert "書きかけの下書き" not in page
    assert 'class="count">2</span>' in page  # two submitted in this prefecture
    assert "badge yellow" in page  # the advice flag of the first submission
    empty = _text(client.get("/review/prefecture?state=published"))
    assert "CIO補佐官" not in empty
    auth.logout()
    auth.login(coordinator(PREF_Q))
    page = _text(client.get("/review/prefecture"))
    assert "宮城の情報セキュリティアドバイザー" in page and "CIO補佐官" not in page


def test_reading_a_submission_is_limited_to_its_reviewers(ctx, client, auth):
    a = clerk()
    draft = postings.create_draft(a, service_data(title="未提出の下書き"))
    posting = submitted(a)
    p, q, mic = coordinator(), coordinator(PREF_Q), ministry()
    auth.logout()
    auth.login(p)
    assert client.get(f"/review/postings/{draft.id}").status_code == 404
    page = _text(client.get(f"/review/postings/{posting.id}"))
    assert "DX推進計画の策定と進行管理を支援します。" in page
    assert f"/review/postings/{posting.id}/relay" in page
    auth.logout()
    auth.login(q)
    assert client.get(f"/review/postings/{posting.id}").status_code == 404
    auth.logout()
    auth.login(mic)
    assert client.get(f"/review/postings/{posting.id}").status_code == 404  # not relayed yet
    auth.logout()
    auth.login(a)
    assert client.get(f"/review/postings/{posting.id}").status_code == 403


def test_return_needs_a_comment_then_reaches_the_municipality(ctx, client, auth):
    a, p = clerk(), coordinator()
    posting = submitted(a)
    auth.logout()
    auth.login(p)
    resp = client.post(f"/review/postings/{posting.id}/return", data={"comment": "  "})
    assert resp.status_code == 400
    assert 'id="comment-error"' in _text(resp)
    assert _state(posting.id) == "submitted"
    resp = client.post(f"/review/postings/{posting.id}/return",
                       data={"comment": "報酬の単位を月額にしてください"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/review/prefecture")
    assert _state(posting.id) == "returned"
    auth.logout()
    auth.login(a)
    assert "報酬の単位を月額にしてください" in _text(client.get("/my/postings"))
    edit = _text(client.get(f"/my/postings/{posting.id}/edit"))
    assert "報酬の単位を月額にしてください" in edit


def test_relay_and_publish_each_by_their_own_role(ctx, client, auth):
    a, p, q, mic = clerk(), coordinator(), coordinator(PREF_Q), ministry()
    posting = submitted(a)
    auth.logout()
    auth.login(mic)
    assert client.post(f"/review/postings/{posting.id}/relay").status_code == 403
    auth.logout()
    auth.login(q)
    assert client.post(f"/review/postings/{posting.id}/relay").status_code == 404
    auth.logout()
    auth.login(a)
    assert client.post(f"/review/postings/{posting.id}/relay").status_code == 403
    assert _state(posting.id) == "submitted"

    auth.logout()

    auth.login(p)
    assert client.post(f"/review/postings/{posting.id}/publish").status_code == 403
    resp = client.post(f"/review/postings/{posting.id}/relay", data={"comment": "内容を確認しました"})
    assert resp.status_code == 302 and _state(posting.id) == "relayed"

    auth.logout()

    auth.login(mic)
    page = _text(client.get("/review/ministry"))
    assert "CIO補佐官" in page and f"/review/postings/{posting.id}" in page
    assert _outbox() == 0
    resp = client.post(f"/review/postings/{posting.id}/publish")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/review/ministry")
    assert _state(posting.id) == "published" and _outbox() == 1
    # Publishing twice is refused with a message, and nothing more happens.
    resp = client.post(f"/review/postings/{posting.id}/publish", follow_redirects=True)
    assert 'class="notice error"' in _text(resp)
    assert _outbox() == 1
    assert [e.action for e in review.timeline(posting.id)] == ["submit", "relay", "publish"]


def test_ministry_returns_with_a_comment(ctx, client, auth):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = relayed(a, p)
    auth.logout()
    auth.login(mic)
    assert client.post(f"/review/postings/{posting.id}/return", data={}).status_code == 400
    resp = client.post(f"/review/postings/{posting.id}/return", data={"comment": "締切日を延ばしてください"})
    assert resp.status_code == 302 and _state(posting.id) == "returned"
    trail = [(e.action, e.actor_role, e.comment) for e in review.timeline(posting.id)]
    assert trail[-1] == ("return", "ministry", "締切日を延ばしてください")


def test_ministry_inbox_filters_by_prefecture(ctx, client, auth):
    p, q, mic = coordinator(), coordinator(PREF_Q), ministry()
    relayed(clerk(), p, title="札幌のCIO補佐官")
    relayed(clerk(MUNI_Q), q, title="仙台のDX推進アドバイザー")
    auth.logout()
    auth.login(mic)
    page = _text(client.get("/review/ministry"))
    assert "札幌のCIO補佐官" in page and "仙台のDX推進アドバイザー" in page
    page = _text(client.get("/review/ministry?prefecture=04"))
    assert "札幌のCIO補佐官" not in page and "仙台のDX推進アドバイザー" in page
    assert client.get("/review/ministry?prefecture=99&state=nonsense").status_code == 200


def test_a_revision_in_review_shows_the_published_one_stays(ctx, client, auth):
    a, p, mic = clerk(), coordinator(locale="en"), ministry()
    posting = published(a, p, mic)
    review.revise(a, posting.id)
    postings.save_draft(a, posting.id, service_data(title="CIO補佐官（改訂）", hours_note="週1日"))
    auth.logout()
    auth.login(p)
    page = _text(client.get(f"/review/postings/{posting.id}"))
    assert f"/review/postings/{posting.id}/relay" not in page  # the draft is not theirs yet
    auth.logout()
    auth.login(a)
    client.post(f"/my/postings/{posting.id}/submit")
    auth.logout()
    auth.login(p)
    page = _text(client.get("/review/prefecture"))
    assert f"/review/postings/{posting.id}" in page
    page = _text(client.get(f"/review/postings/{posting.id}"))
    assert f"/review/postings/{posting.id}/relay" in page
    assert "Revision 2 is in review. Revision 1 stays published" in page
    changed = re.search(r"Changed in this revision: ([^<]*)</p>", page).group(1)
    assert "Position title" in changed and "Working hours" in changed
    assert "Application deadline" not in changed
