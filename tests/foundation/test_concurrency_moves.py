"""More of the same request at the same instant, against gunicorn with 4 workers on
PostgreSQL (as test_concurrency): an application withdrawn or moved one stage by several
sessions at once, a joint proposal answered and turned into its posting at once, a pooled
person introduced and answering at once — each recorded once, the others told what a repeat
is told, no answer a 500 — and wrong passwords sent at one instant all counted by the login
limit that every worker shares through Redis.

Skipped without TALENTMATCH_TEST_DATABASE_URL; the login limit probe also needs
TALENTMATCH_TEST_REDIS_URL (production keeps rate limits in Redis, README "Configuration").
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from sqlalchemy import select

from talentmatch.applications import services as app_svc
from talentmatch.applications.models import ApplicationEvent
from talentmatch.audit.models import AuditEvent
from talentmatch.bench.soak_users import csrf_of
from talentmatch.extensions import db
from talentmatch.joint import proposals
from talentmatch.pool import services as pool
from talentmatch.pool.models import Introduction
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.review.models import ReviewEvent
from tests.conftest import PG_URL
from tests.support.factories import PASSWORD, make_user
from tests.support.joint import KIKONAI, PREF_P, SHIRIUCHI, proposal_input
from tests.support.matching import cloud_posting, make_pro
from tests.support.races import (
    Browser,
    browsers,
    burst,
    count,
    no_server_errors,
    staff,
    start_server,
    statuses,
)

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TALENTMATCH_TEST_DATABASE_URL)")

REDIS_URL = os.environ.get("TALENTMATCH_TEST_REDIS_URL", "")
MUNI = "012025"  # 札幌市中央区 (北海道)
AT_ONCE = 8


@pytest.fixture(scope="module")
def live(app, database_uri, tmp_path_factory):
    """gunicorn (4 sync workers); rate limits in Redis when the suite has one, as in
    production, with the per-account login limit left at its production value."""
    env = {"TALENTMATCH_MAIL_DIR": str(tmp_path_factory.mktemp("race-mail")),
           # Everyone logs in from 127.0.0.1 here: only the per-account limit is probed.
           "TALENTMATCH_LOGIN_LIMIT_PER_CLIENT": "100000 per minute"}
    if REDIS_URL:
        env["TALENTMATCH_REDIS_URL"] = REDIS_URL
    server = start_server(database_uri, env)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def _told(sessions: list[Browser], responses, *texts: str) -> int:
    """How many sessions were led by their answer (a redirect) to a page saying one of the
    texts (the flashed message is the session's own)."""
    pages = [b.page(r.headers["Location"]) for b, r in zip(sessions, responses, strict=True)
             if r.status_code == 302]
    return sum(any(t in p for t in texts) for p in pages)


# --------------------------------------------------------------------------- applications


def test_the_same_withdrawal_sent_at_once_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI)
    pro = make_pro("取下げ 一郎")
    application = app_svc.apply(pro.user, [posting.id], "応募します")[0]
    tabs = browsers(live, [pro.user] * AT_ONCE)
    tokens = [csrf_of(t.page("/my/applications")) for t in tabs]
    path = f"/my/applications/{application.id}/withdraw"
    answers_ = burst([lambda t=t, k=k: t.post_form(path,
                                                  {"csrf_token": k, "note": ""})
                      for t, k in zip(tabs, tokens, strict=True)])
    no_server_errors(answers_)
    assert statuses(answers_) == Counter({302: AT_ONCE})
    assert count(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id,
                                                ApplicationEvent.to_status == "withdrawn")) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "application.withdraw")) == 1


def test_the_same_stage_change_sent_at_once_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI)
    pro = make_pro("選考 二郎")
    application = app_svc.apply(pro.user, [posting.id], "応募します")[0]
    people = browsers(live, staff("municipality", AT_ONCE, municipality_code=MUNI))
    path = f"/applications/{application.id}"
    tokens = [csrf_of(b.page(path)) for b in people]
    answers_ = burst([lambda b=b, k=k: b.post_form(path + "/move", {"csrf_token": k,
                                                                     "target": "screening", "note": ""})
                      for b, k in zip(people, tokens, strict=True)])
    no_server_errors(answers_)
    assert statuses(answers_) == Counter({302: AT_ONCE})
    assert count(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id,
                                                ApplicationEvent.to_status == "screening")) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "application.move")) == 1


def test_the_same_candidate_invited_by_several_clerks_at_once_is_invited_once(ctx, live):
    from talentmatch.applications.models import ApplyInvitation
    from talentmatch.notifications.models import OutboxMessage

    posting = cloud_posting(MUNI)
    pro = make_pro("招待 五郎", discoverable=True)
    people = browsers(live, staff("municipality", AT_ONCE, municipality_code=MUNI))
    tokens = [csrf_of(b.page("/my/postings")) for b in people]
    path, data = f"/postings/{posting.id}/invitations", {"professional_id": str(pro.id),
                                                          "message": "ご応募ください"}
    sent = burst([lambda b=b, k=k: b.post_form(path, {"csrf_token": k, **data})
                  for b, k in zip(people, tokens, strict=True)])
    no_server_errors(sent)
    assert statuses(sent) == Counter({302: AT_ONCE})
    assert count(select(ApplyInvitation).where(ApplyInvitation.professional_id == pro.id)) == 1
    assert count(select(OutboxMessage).where(OutboxMessage.kind == "application_invitation")) == 1


# --------------------------------------------------------------------------- workflow


def test_a_published_posting_revised_or_closed_at_once_moves_once(ctx, live):
    people = browsers(live, staff("municipality", AT_ONCE, municipality_code=MUNI))
    for action, expected_revisions in (("revise", 2), ("close", 1)):
        posting = cloud_posting(MUNI)
        path = f"/my/postings/{posting.id}"
        tokens = [csrf_of(b.page(path)) for b in people]
        data = {"revise": {}, "close": {"reason": "filled", "comment": ""}}[action]
        url = f"{path}/{action}"
        moved = burst([lambda b=b, k=k, u=url, d=data: b.post_form(u, {"csrf_token": k, **d})
                       for b, k in zip(people, tokens, strict=True)])
        no_server_errors(moved)
        assert statuses(moved) == Counter({302: AT_ONCE}), action
        assert count(select(ReviewEvent).where(ReviewEvent.posting_id == posting.id,
                                               ReviewEvent.action == action)) == 1, action
        assert count(select(PostingRevision).where(
            PostingRevision.posting_id == posting.id)) == expected_revisions, action
        assert count(select(AuditEvent).where(AuditEvent.action == f"posting.{action}",
                                              AuditEvent.object_id == str(posting.id))) == 1


# --------------------------------------------------------------------------- joint and pool


def test_a_joint_proposal_answered_and_posted_at_once_is_decided_and_posted_once(ctx, live):
    coord = make_user("prefecture", prefecture_code=PREF_P)
    proposal = proposals.propose(coord, proposal_input())
    path = f"/joint/proposals/{proposal.id}"

    def accept_at_once(code: str) -> tuple[list, list]:
        people = browsers(live, staff("municipality", 4, municipality_code=code))
        tokens = [csrf_of(b.page(path)) for b in people]
        replies = burst([lambda b=b, k=k: b.post_form(path + "/respond", {
            "csrf_token": k, "comment": "", "decision": "accept"})
            for b, k in zip(people, tokens, strict=True)])
        no_server_errors(replies)
        assert statuses(replies) == Counter({302: 4})
        return people, replies

    # One town's staff all accept at the same instant: its answer is recorded once.
    accept_at_once(SHIRIUCHI)
    assert count(select(AuditEvent).where(AuditEvent.action == "joint.responded")) == 1
    # The last town's staff too: one answer, one decision; the others are told it is decided.
    people, replies = accept_at_once(KIKONAI)
    assert count(select(AuditEvent).where(AuditEvent.action == "joint.responded")) == 2
    assert count(select(AuditEvent).where(AuditEvent.action == "joint.accepted")) == 1
    assert _told(people, replies, "この操作はできません", "can no longer be changed") == 3

    # The lead's staff all create the joint posting at once: one posting.
    people = browsers(live, staff("municipality", 4, municipality_code=KIKONAI))
    tokens = [csrf_of(b.page(path)) for b in people]
    made = burst([lambda b=b, k=k: b.post_form(path + "/posting", {"csrf_token": k})
                  for b, k in zip(people, tokens, strict=True)])
    no_server_errors(made)
    assert count(select(Posting).where(Posting.municipality_code == KIKONAI)) == 1
    assert count(select(AuditEvent).where(AuditEvent.action == "joint.posted")) == 1


def test_a_pooled_person_introduced_and_answering_at_once_is_recorded_once(ctx, live):
    posting = cloud_posting(MUNI)
    pro = make_pro("プール 三郎")
    coords = staff("prefecture", AT_ONCE, prefecture_code="01")
    entry = pool.add_to_pool(coords[0], "01", [pro.id])[0]
    db.session.commit()
    people = browsers(live, coords)
    path = f"/pool/entries/{entry.id}"
    tokens = [csrf_of(b.page(path)) for b in people]
    posting_id = str(posting.id)
    sent = burst([lambda b=b, k=k: b.post_form(path + "/introduce", {
        "intro-csrf_token": k, "csrf_token": k, "intro-posting_id": posting_id,
        "intro-note": "経験が合います"}) for b, k in zip(people, tokens, strict=True)])
    no_server_errors(sent)
    assert statuses(sent) == Counter({302: 1, 400: AT_ONCE - 1})
    assert sum("すでにこの募集に紹介済み" in r.text or "already been introduced" in r.text
               for r in sent) == AT_ONCE - 1
    assert count(select(Introduction).where(Introduction.professional_id == pro.id)) == 1

    intro = db.session.scalar(select(Introduction).where(Introduction.professional_id == pro.id))
    tabs = browsers(live, [pro.user] * 4)
    tokens = [csrf_of(t.page("/my/introductions")) for t in tabs]
    path = f"/my/introductions/{intro.id}/respond"
    replies = burst([lambda t=t, k=k: t.post_form(path,
                                                 {"csrf_token": k, "decision": "accept"})
                     for t, k in zip(tabs, tokens, strict=True)])
    no_server_errors(replies)
    assert statuses(replies) == Counter({302: 4})
    assert count(select(AuditEvent).where(AuditEvent.action == "introduction.answered")) == 1
    assert _told(tabs, replies, "すでに回答済み", "already been answered") == 3


# --------------------------------------------------------------------------- cost lines


def test_a_cost_line_deleted_by_several_clerks_at_once_is_deleted_once(ctx, live):
    from talentmatch.subsidies import services as subsidies
    from talentmatch.subsidies.models import CostLine

    clerks = staff("municipality", AT_ONCE, municipality_code=MUNI)
    line = subsidies.add_line(clerks[0], MUNI, {"date": "", "fiscal_year": "2026",
                                                "category": "recruitment", "amount": "50000",
                                                "note": "二重削除"})
    people = browsers(live, clerks)
    path = f"/subsidies/lines/{line.id}/delete"
    tokens = [csrf_of(b.page("/subsidies")) for b in people]
    gone = burst([lambda b=b, k=k: b.post_form(path, {"csrf_token": k, "version": "1"})
                  for b, k in zip(people, tokens, strict=True)])
    no_server_errors(gone)
    # The first deletes it; the others are told what a repeat is told (not found).
    assert statuses(gone) == Counter({302: 1, 404: AT_ONCE - 1})
    assert count(select(CostLine).where(CostLine.municipality_code == MUNI)) == 0
    assert count(select(AuditEvent).where(AuditEvent.action == "subsidy.line_deleted")) == 1


# --------------------------------------------------------------------------- login limit


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis (TALENTMATCH_TEST_REDIS_URL)")
def test_wrong_passwords_sent_at_once_to_every_worker_are_all_counted(ctx, live):
    user = make_user("professional")
    tabs = [Browser(live) for _ in range(AT_ONCE)]
    tokens = [csrf_of(t.page("/login")) for t in tabs]
    email = user.email
    tried = burst([lambda t=t, k=k: t.post_form("/login", {"csrf_token": k, "email": email,
                                                           "password": "wrong " + PASSWORD})
                   for t, k in zip(tabs, tokens, strict=True)])
    # The per-account limit is 5 per 10 minutes in production: 5 checked, 3 refused at once,
    # though the 8 attempts were spread over 4 processes.
    assert statuses(tried) == Counter({200: 5, 429: AT_ONCE - 5})
    # The right password is refused too now: the account's attempts are used up.
    last = Browser(live)
    resp = last.post_form("/login", {"csrf_token": csrf_of(last.page("/login")), "email": user.email,
                                     "password": PASSWORD})
    assert resp.status_code == 429
