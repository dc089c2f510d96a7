"""The relay through the services: every move leaves one event row and an audit record in
one transaction, refused moves change nothing, revisions keep the public one visible, and
publishing writes its outbox event atomically with the state change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from talentmatch.audit.models import AuditEvent
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxEvent
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.workflow import WorkflowError
from talentmatch.review import services as review
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


def _events(posting_id: int) -> list[tuple]:
    return [
        (e.action, e.actor_role, e.from_state, e.to_state, e.comment)
        for e in review.timeline(posting_id)
    ]


def _state(posting_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Posting, posting_id).current_revision.state


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_whole_relay_leaves_a_complete_trail(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = postings.create_draft(a, service_data())
    review.submit(a, posting.id)
    review.return_posting(p, posting.id, "  報酬の単位を確認してください ")
    postings.save_draft(a, posting.id, service_data(compensation_unit="day"))
    review.submit(a, posting.id)
    review.relay(p, posting.id, "確認しました")
    review.return_posting(mic, posting.id, "応募方法のURLを確認してください")
    review.submit(a, posting.id)
    review.relay(p, posting.id)
    review.publish(mic, posting.id)

    assert _events(posting.id) == [
        ("submit", "municipality", "draft", "submitted", ""),
        ("return", "prefecture", "submitted", "returned", "報酬の単位を確認してください"),
        ("submit", "municipality", "returned", "submitted", ""),
        ("relay", "prefecture", "submitted", "relayed", "確認しました"),
        ("return", "ministry", "relayed", "returned", "応募方法のURLを確認してください"),
        ("submit", "municipality", "returned", "submitted", ""),
        ("relay", "prefecture", "submitted", "relayed", ""),
        ("publish", "ministry", "relayed", "published", ""),
    ]
    events = review.timeline(posting.id)
    assert [e.actor_id for e in events] == [a.id, p.id, a.id, p.id, mic.id, a.id, p.id, mic.id]
    assert all(e.at is not None and e.revision_id == posting.current_revision_id for e in events)
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    rev = posting.current_revision
    assert posting.published_revision_id == rev.id and rev.state == "published"
    assert rev.compensation_unit == "day"
    assert rev.submitted_at and rev.relayed_at and rev.published_at
    assert posting.first_published_at == rev.published_at
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "posting",
                                        AuditEvent.object_id == str(posting.id))
        .order_by(AuditEvent.id)
    ).all()
    assert [x for x in actions if x not in ("posting.create", "posting.edit")] == [
        f"posting.{e[0]}" for e in _events(posting.id)
    ]


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_return_without_a_comment_is_refused(ctx, comment):
    a, p = clerk(), coordinator()
    posting = submitted(a)
    with pytest.raises(WorkflowError, match="A comment is required"):
        review.return_posting(p, posting.id, comment)
    assert _state(posting.id) == "submitted"
    assert [e[0] for e in _events(posting.id)] == ["submit"]


def test_wrong_roles_and_wrong_organisations_are_refused(ctx):
    a, b = clerk(), clerk(MUNI_B)
    p, q, mic = coordinator(), coordinator(PREF_Q), ministry()
    posting = submitted(a)
    with pytest.raises(postings.PostingNotFound):
        review.relay(q, posting.id)  # a coordinator of another prefecture
    with pytest.raises(postings.PostingNotFound):
        review.withdraw(b, posting.id)  # another municipality of the same prefecture
    with pytest.raises(WorkflowError, match="Only the prefecture coordinator can relay"):
        review.relay(mic, posting.id)
    with pytest.raises(WorkflowError, match="cannot be published"):
        review.publish(mic, posting.id)
    with pytest.raises(WorkflowError, match="Only the prefecture coordinator"):
        review.relay(a, posting.id)
    review.relay(p, posting.id)
    with pytest.raises(WorkflowError, match="Only MIC can publish"):
        review.publish(p, posting.id)
    with pytest.raises(WorkflowError, match="cannot be relayed"):
        review.relay(p, posting.id)
    assert _state(posting.id) == "relayed"
    assert [e[0] for e in _events(posting.id)] == ["submit", "relay"]
    assert _count(OutboxEvent) == 0


def test_submit_needs_every_required_field_and_saves_nothing_otherwise(ctx):
    a = clerk()
    posting = postings.create_draft(a, {"title": "CIO補佐官"})
    with pytest.raises(postings.InvalidPosting) as info:
        review.submit(a, posting.id)
    fields = {e.field for e in info.value.errors}
    assert {"employment_type", "joint_wish", "duties", "deadline", "contact_email"} <= fields
    assert "title" not in fields
    assert _state(posting.id) == "draft" and _events(posting.id) == []


def test_a_past_deadline_cannot_be_submitted(ctx):
    a = clerk()
    yesterday = (today_jst() - timedelta(days=1)).isoformat()
    posting = postings.create_draft(a, service_data(deadline=yesterday))
    with pytest.raises(postings.InvalidPosting) as info:
        review.submit(a, posting.id)
    assert [e.field for e in info.value.errors] == ["deadline"]
    assert _state(posting.id) == "draft"


def test_publishing_writes_the_outbox_event(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic)
    rev = db.session.get(Posting, posting.id).current_revision
    events = db.session.scalars(select(OutboxEvent)).all()
    assert [(e.kind, e.payload) for e in events] == [(
        "posting.published",
        {"posting_id": posting.id, "revision_id": rev.id, "revision_number": 1,
         "is_update": False},
    )]


def test_a_failed_publish_leaves_neither_the_change_nor_the_event(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = relayed(a, p)

    def fail(session):
        raise RuntimeError("database went away")

    event.listen(db.session, "before_commit", fail)
    try:
        with pytest.raises(RuntimeError):
            review.publish(mic, posting.id)
    finally:
        event.remove(db.session, "before_commit", fail)
    assert _state(posting.id) == "relayed"
    assert db.session.get(Posting, posting.id).published_revision_id is None
    assert _count(OutboxEvent) == 0
    assert [e[0] for e in _events(posting.id)] == ["submit", "relay"]


def test_a_revision_stays_in_review_while_the_published_one_is_public(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic, title="CIO補佐官")
    first_id = posting.current_revision_id

    new = review.revise(a, posting.id)
    assert (new.number, new.state, new.title) == (2, "draft", "CIO補佐官")
    with pytest.raises(WorkflowError, match="already in progress"):
        review.revise(a, posting.id)
    postings.save_draft(a, posting.id, service_data(title="CIO補佐官（DX推進担当）"))
    review.submit(a, posting.id)
    review.relay(p, posting.id)

    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert posting.published_revision_id == first_id
    assert posting.published_revision.state == "published"
    assert posting.published_revision.title == "CIO補佐官"
    assert posting.current_revision.state == "relayed"

    review.publish(mic, posting.id)
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    old = db.session.get(PostingRevision, first_id)
    assert old.state == "superseded"
    assert posting.published_revision.number == 2
    assert posting.published_revision.title == "CIO補佐官（DX推進担当）"
    assert posting.current_revision_id == posting.published_revision_id
    trail = [(e.action, e.actor_role, e.from_state, e.to_state, e.revision.number)
             for e in review.timeline(posting.id)]
    assert trail[3:] == [
        ("revise", "municipality", "published", "draft", 2),
        ("submit", "municipality", "draft", "submitted", 2),
        ("relay", "prefecture", "submitted", "relayed", 2),
        ("publish", "ministry", "relayed", "published", 2),
        ("supersede", "system", "published", "superseded", 1),
    ]
    payloads = [e.payload for e in db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]
    assert [x["is_update"] for x in payloads] == [False, True]
    assert payloads[1]["revision_number"] == 2


def test_withdrawing_a_revision_keeps_the_published_one(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic)
    first_id = posting.current_revision_id
    review.revise(a, posting.id)
    review.submit(a, posting.id)
    review.withdraw(a, posting.id)
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert posting.status == "open"
    assert posting.current_revision_id == posting.published_revision_id == first_id
    assert [r.state for r in posting.revisions] == ["published", "withdrawn"]


def test_withdrawing_before_publication_ends_the_posting(ctx):
    a = clerk()
    posting = submitted(a)
    review.withdraw(a, posting.id, "予算が確保できなかったため")
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert posting.status == "withdrawn" and posting.current_revision.state == "withdrawn"
    with pytest.raises(WorkflowError):
        review.submit(a, posting.id)


def test_closing_a_published_posting_also_ends_a_revision_in_review(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    posting = published(a, p, mic)
    review.revise(a, posting.id)
    review.submit(a, posting.id)
    with pytest.raises(WorkflowError, match="Say why"):
        review.close(a, posting.id, None)
    review.close(a, posting.id, "filled")
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert (posting.status, posting.close_reason) == ("closed", "filled")
    assert [r.state for r in posting.revisions] == ["closed", "withdrawn"]
    assert posting.current_revision_id == posting.published_revision_id
    close = [e for e in review.timeline(posting.id) if e.action == "close"]
    assert [(e.actor_role, e.close_reason) for e in close] == [("municipality", "filled")]


def test_a_draft_cannot_be_closed_and_a_prefecture_cannot_close(ctx):
    a, p, mic = clerk(), coordinator(), ministry()
    draft = postings.create_draft(a, service_data())
    with pytest.raises(WorkflowError, match="cannot be closed"):
        review.close(a, draft.id, "filled")
    posting = published(a, p, mic)
    with pytest.raises(WorkflowError, match="Only staff of the posting's municipality"):
        review.close(p, posting.id, "filled")
    assert _state(posting.id) == "published"


def test_another_prefecture_and_its_municipalities_see_nothing(ctx):
    a, q_clerk, q = clerk(), clerk(MUNI_Q), coordinator(PREF_Q)
    posting = submitted(a)
    for actor in (q_clerk, q):
        with pytest.raises(postings.PostingNotFound):
            postings.load_posting(posting.id, actor)
