"""Drafts through the services: partial drafts save, invalid input saves nothing and names the
field, only template fields are written, and the derived search fields follow the content."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentmatch.audit.models import AuditEvent
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.workflow import WorkflowError
from talentmatch.review import services as review
from talentmatch.text import normalize
from tests.support.postings import MUNI_A, MUNI_B, clerk, coordinator, service_data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_draft_may_be_partial(ctx):
    user = clerk()
    posting = postings.create_draft(user, {"title": "DX推進アドバイザー"})
    rev = posting.current_revision
    assert (posting.municipality_code, posting.prefecture_code) == (MUNI_A, "01")
    assert (rev.number, rev.state, rev.title) == (1, "draft", "DX推進アドバイザー")
    assert rev.employment_type is None and rev.joint_wish is None and rev.focus_areas == []
    assert posting.created_by_id == user.id
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "posting.create")).all()
    assert [a.object_id for a in audit] == [str(posting.id)]


def test_an_invalid_draft_names_the_field_and_saves_nothing(ctx):
    user = clerk()
    with pytest.raises(postings.InvalidPosting) as info:
        postings.create_draft(user, {"title": "CIO補佐官", "contact_email": "not-an-email",
                                     "compensation_amount": "-5"})
    assert {e.field for e in info.value.errors} == {"contact_email", "compensation_amount"}
    assert _count(Posting) == 0 and _count(PostingRevision) == 0


def test_saving_an_invalid_value_keeps_the_previous_content(ctx):
    user = clerk()
    posting = postings.create_draft(user, {"title": "CIO補佐官", "days_per_month": "4"})
    with pytest.raises(postings.InvalidPosting) as info:
        postings.save_draft(user, posting.id, {"title": "新しい役職名", "days_per_month": "40"})
    assert [e.field for e in info.value.errors] == ["days_per_month"]
    db.session.expire_all()
    rev = db.session.get(Posting, posting.id).current_revision
    assert (rev.title, rev.days_per_month) == ("CIO補佐官", 4)


def test_state_and_municipality_in_the_data_change_nothing(ctx):
    user = clerk()
    data = service_data(state="published", municipality_code=MUNI_B, prefecture_code="13",
                        number=7, posting_id=99, created_by_id=12345, search_text="x")
    posting = postings.create_draft(user, data)
    rev = posting.current_revision
    assert (posting.municipality_code, rev.municipality_code, rev.prefecture_code) == (
        MUNI_A, MUNI_A, "01")
    assert (rev.state, rev.number, rev.created_by_id) == ("draft", 1, user.id)
    assert posting.published_revision_id is None
    postings.save_draft(user, posting.id, {**data, "title": "変更後"})
    db.session.expire_all()
    rev = db.session.get(Posting, posting.id).current_revision
    assert (rev.title, rev.state, rev.municipality_code) == ("変更後", "draft", MUNI_A)


def test_search_text_focus_key_and_advice_follow_the_content(ctx):
    user = clerk()
    posting = postings.create_draft(
        user,
        service_data(title="ＤＸ推進アドバイザー", focus_areas=["security", "ai_rpa"],
                     required_skills="ＲＰＡ", pr_text="雪まつりの街です",
                     required_experience="情報システム分野における業務経験"),
    )
    rev = posting.current_revision
    assert rev.focus_key == "|ai_rpa|security|"
    for needle in ("dx推進アドバイザー", "rpa", "札幌市", "サッポロシ", "北海道", "雪まつり"):
        assert normalize(needle) in rev.search_text
    assert "experience_wording" in rev.advice_codes
    postings.save_draft(user, posting.id, service_data(
        title="CIO補佐官", focus_areas=[],
        required_experience="ICTを活用した業務改革を担った経験",
        deadline=(today_jst() + timedelta(days=5)).isoformat()))
    db.session.expire_all()
    rev = db.session.get(Posting, posting.id).current_revision
    assert rev.focus_key == "|"
    assert "cio補佐官" in rev.search_text and "dx推進アドバイザー" not in rev.search_text
    assert "experience_wording" not in rev.advice_codes
    assert "deadline_soon" in rev.advice_codes


def test_only_the_own_municipality_may_edit(ctx):
    owner, neighbour = clerk(MUNI_A), clerk(MUNI_B)
    posting = postings.create_draft(owner, {"title": "CIO補佐官"})
    with pytest.raises(postings.PostingNotFound):
        postings.save_draft(neighbour, posting.id, {"title": "乗っ取り"})
    with pytest.raises(WorkflowError, match="Only staff of the posting's municipality"):
        postings.save_draft(coordinator(), posting.id, {"title": "県が書き換え"})
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).current_revision.title == "CIO補佐官"


def test_staff_of_other_roles_cannot_create(ctx):
    with pytest.raises(postings.PostingNotFound):
        postings.create_draft(coordinator(), {"title": "CIO補佐官"})
    assert _count(Posting) == 0


def test_a_submitted_revision_cannot_be_edited(ctx):
    user = clerk()
    posting = postings.create_draft(user, service_data())
    review.submit(user, posting.id)
    with pytest.raises(WorkflowError) as info:
        postings.save_draft(user, posting.id, service_data(title="提出後の変更"))
    assert "cannot be edited" in str(info.value)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).current_revision.title == "CIO補佐官"
