"""Joint appointments: proposing, shares, answers, cross-border agreement, who sees what, and
the accepted proposal becoming one joint posting that the public sees with every participant."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.joint import access, answers, proposals
from talentmatch.joint import posting as joint_posting
from talentmatch.joint.models import JointAgreement, JointProposal
from talentmatch.notifications.models import OutboxMessage
from talentmatch.postings.models import Posting
from talentmatch.review import services as review
from talentmatch.subsidies import joint_split
from tests.support.factories import login, make_posting
from tests.support.joint import (
    AOMORI,
    KIKONAI,
    NANAE,
    PREF_P,
    SHIRIUCHI,
    form_post,
    people,
    proposal_input,
)
from tests.support.postings import form_data


@pytest.fixture
def world(app):
    with app.app_context():
        yield people()


def _proposal(world, **kw) -> int:
    return proposals.propose(world["coord"], proposal_input(**kw)).id


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


# --------------------------------------------------------------------------- proposing


def test_the_proposal_form_sent_twice_proposes_once(app, world):
    """A double click, a retry or the back button: the form's one-time key proposes once,
    and the repeat is led to the proposal that was made."""
    c = _client(app, world["coord"])
    page = c.get(f"/prefectures/{PREF_P}/joint/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = dict(form_post(proposal_input()), submission_key=key)
    first = c.post(f"/prefectures/{PREF_P}/joint/new", data=data)
    assert first.status_code == 302
    again = c.post(f"/prefectures/{PREF_P}/joint/new", data=data)
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert "一度だけ" in c.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(JointProposal)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "joint_proposal")) == 2  # each town told once


def test_coordinator_proposes_and_only_participants_see_it(app, world):
    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/joint/new", data=form_post(proposal_input()))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    proposal = db.session.scalars(select(JointProposal)).one()
    assert proposal.state == "proposed" and proposal.lead_municipality_code == KIKONAI
    assert [(p.municipality_code, p.share_days, p.share_cost) for p in proposal.participants] == [
        (KIKONAI, 4.0, Fraction(1, 2)), (SHIRIUCHI, 4.0, Fraction(1, 2))]
    assert proposal.agreements == []
    # Both towns' staff are told by mail, nobody else.
    to = set(db.session.scalars(select(OutboxMessage.to_email).where(
        OutboxMessage.kind == "joint_proposal")))
    assert to == {world["kikonai"].email, world["shiriuchi"].email}

    page = c.get(f"/joint/proposals/{proposal.id}").get_data(as_text=True)
    assert "知内町" in page and "50%" in page

    for who in ("kikonai", "shiriuchi"):
        town = _client(app, world[who])
        assert town.get(f"/joint/proposals/{proposal.id}").status_code == 200
        assert "CIO補佐官（木古内町・知内町 共同任用）" in town.get("/my/joint").get_data(as_text=True)
    for who in ("nanae", "aomori", "coord_r"):
        other = _client(app, world[who])
        assert other.get(f"/joint/proposals/{proposal.id}").status_code == 404
    assert "木古内町・知内町" not in _client(app, world["nanae"]).get("/my/joint").get_data(as_text=True)
    # Another prefecture's coordinator does not see P's overview either.
    assert _client(app, world["coord_r"]).get(f"/prefectures/{PREF_P}/joint").status_code == 403
    # A professional or the ministry is not a party to proposals.
    assert _client(app, world["mic"]).get(f"/joint/proposals/{proposal.id}").status_code == 403


@pytest.mark.parametrize(
    ("parts", "over", "field_id"),
    [
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "40")), {}, "participants-0-share_cost"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "-4", "50")), {}, "participants-1-share_days"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "3", "50")), {}, "days_per_month"),
        (((KIKONAI, "4", "0"), (SHIRIUCHI, "4", "100")), {}, "participants-0-share_cost"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "")), {}, "participants-1-share_cost"),
        (((KIKONAI, "4", "50"), (KIKONAI, "4", "50")), {}, "participants-1-municipality_code"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "50")), {"lead_municipality_code": NANAE},
         "lead_municipality_code"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "50")), {"lead_municipality_code": AOMORI},
         "lead_municipality_code"),
        (((KIKONAI, "4", "50"), (SHIRIUCHI, "4", "50")), {"title": ""}, "title"),
    ],
)
def test_bad_shares_are_refused_naming_the_field(app, world, parts, over, field_id):
    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/joint/new",
                  data=form_post(proposal_input(parts=parts, **over)))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'id="{field_id}-error"' in html, field_id
    assert db.session.scalar(select(func.count(JointProposal.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_single_participant_is_not_a_joint_appointment(app, world):
    with pytest.raises(proposals.InvalidProposal) as exc:
        proposals.propose(world["coord"], proposal_input(parts=((KIKONAI, "8", ""),)))
    assert "participants" in {e.field for e in exc.value.errors}


def test_thirds_and_shares_following_the_days(app, world):
    thirds = proposals.propose(world["coord"], proposal_input(
        parts=((KIKONAI, "4", "1/3"), (SHIRIUCHI, "2", "1/3"), (NANAE, "2", "1/3"))))
    assert sum(p.share_cost for p in thirds.participants) == 1
    by_days = proposals.propose(world["coord"], proposal_input(
        parts=((KIKONAI, "6", ""), (SHIRIUCHI, "2", ""))))
    assert [p.share_cost for p in by_days.participants] == [Fraction(3, 4), Fraction(1, 4)]


def test_only_coordinators_propose(app, world):
    with pytest.raises(PermissionError):
        proposals.propose(world["kikonai"], proposal_input())
    c = _client(app, world["kikonai"])
    assert c.post(f"/prefectures/{PREF_P}/joint/new",
                  data=form_post(proposal_input())).status_code == 403


# --------------------------------------------------------------------------- answers


def test_declining_needs_a_reason_and_ends_the_proposal(app, world):
    pid = _proposal(world)
    c = _client(app, world["shiriuchi"])
    c.post(f"/joint/proposals/{pid}/respond", data={"decision": "decline", "comment": ""})
    assert db.session.get(JointProposal, pid).state == "proposed"
    c.post(f"/joint/proposals/{pid}/respond",
           data={"decision": "decline", "comment": "来年度の予算が確保できません"})
    db.session.expire_all()
    proposal = db.session.get(JointProposal, pid)
    assert proposal.state == "declined"
    assert proposal.participants[1].comment == "来年度の予算が確保できません"
    with pytest.raises(proposals.ProposalRefused):
        answers.respond(world["kikonai"], pid, accept=True)
    # The proposing coordinators hear about it.
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "joint_decided",
        OutboxMessage.to_email == world["coord"].email)) == 1


def test_a_municipality_answers_only_for_itself(app, world):
    pid = _proposal(world)
    with pytest.raises(access.ProposalNotFound):
        answers.respond(world["nanae"], pid, accept=True)
    nanae = _client(app, world["nanae"])
    assert nanae.post(f"/joint/proposals/{pid}/respond",
                      data={"decision": "accept"}).status_code == 404
    # A coordinator is not a participant; the agreement route is for other prefectures only.
    coord = _client(app, world["coord"])
    assert coord.post(f"/joint/proposals/{pid}/agree", data={"decision": "accept"}).status_code == 404
    db.session.expire_all()
    assert all(p.response == "pending" for p in db.session.get(JointProposal, pid).participants)


def test_cross_border_participant_needs_its_prefecture(app, world):
    pid = _proposal(world, parts=((KIKONAI, "4", "50"), (AOMORI, "4", "50")))
    proposal = db.session.get(JointProposal, pid)
    assert [a.prefecture_code for a in proposal.agreements] == ["02"]
    assert proposal.needs_agreement is True
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "joint_agreement",
        OutboxMessage.to_email == world["coord_q"].email)) == 1

    coord_q = _client(app, world["coord_q"])
    assert coord_q.get(f"/joint/proposals/{pid}").status_code == 200
    assert "CIO補佐官" in coord_q.get("/prefectures/02/joint").get_data(as_text=True)
    assert _client(app, world["coord_r"]).get(f"/joint/proposals/{pid}").status_code == 404

    answers.respond(world["kikonai"], pid, accept=True)
    answers.respond(world["aomori"], pid, accept=True)
    assert db.session.get(JointProposal, pid).state == "proposed"  # Q has not agreed yet
    coord_q.post(f"/joint/proposals/{pid}/agree", data={"decision": "accept"})
    db.session.expire_all()
    proposal = db.session.get(JointProposal, pid)
    assert proposal.state == "accepted" and proposal.needs_agreement is False
    agreement = db.session.scalars(select(JointAgreement)).one()
    assert agreement.status == "accepted" and agreement.responded_by_id == world["coord_q"].id
    # Q agreed; it does not own the proposal.
    assert coord_q.post(f"/joint/proposals/{pid}/withdraw").status_code == 404
    assert coord_q.post(f"/joint/proposals/{pid}/posting").status_code == 404


def test_the_other_prefecture_may_decline(app, world):
    pid = _proposal(world, parts=((KIKONAI, "4", "50"), (AOMORI, "4", "50")))
    with pytest.raises(proposals.InvalidProposal):
        answers.agree(world["coord_q"], pid, accept=False)
    answers.agree(world["coord_q"], pid, accept=False, comment="青森市は別の任用を予定しています")
    assert db.session.get(JointProposal, pid).state == "declined"


def test_withdraw_by_the_proposer_only(app, world):
    pid = _proposal(world)
    with pytest.raises(access.ProposalNotFound):
        answers.withdraw(world["kikonai"], pid)
    answers.withdraw(world["coord"], pid)
    assert db.session.get(JointProposal, pid).state == "withdrawn"
    with pytest.raises(proposals.ProposalRefused):
        answers.respond(world["kikonai"], pid, accept=True)


def test_the_same_answer_given_twice_is_recorded_once_and_a_changed_one_again(app, world):
    from talentmatch.audit.models import AuditEvent

    def answered() -> list[str]:
        db.session.expire_all()
        return [d["response"] for d in db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "joint.responded")
            .order_by(AuditEvent.id))]

    pid = _proposal(world)
    c = _client(app, world["kikonai"])
    for _ in range(2):  # a double click, or a colleague answering the same
        resp = c.post(f"/joint/proposals/{pid}/respond", data={"decision": "accept", "comment": ""})
        assert resp.status_code == 302
    assert answered() == ["accepted"]
    # Changing one's answer while the others have not answered is recorded (a decline
    # decides the proposal, so a repeat of it is then told so).
    answers.respond(world["kikonai"], pid, accept=False, comment="議会の承認が得られませんでした")
    with pytest.raises(proposals.ProposalRefused):
        answers.respond(world["kikonai"], pid, accept=False, comment="議会の承認が得られませんでした")
    assert answered() == ["accepted", "declined"]
    assert db.session.get(JointProposal, pid).state == "declined"


# --------------------------------------------------------------------------- to the public


def _accept_all(world, pid):
    answers.respond(world["kikonai"], pid, accept=True)
    answers.respond(world["shiriuchi"], pid, accept=True)


def test_the_joint_posting_waits_for_everyone(app, world):
    pid = _proposal(world)
    answers.respond(world["kikonai"], pid, accept=True)
    coord = _client(app, world["coord"])
    coord.post(f"/joint/proposals/{pid}/posting")
    assert db.session.scalar(select(func.count(Posting.id))) == 0
    answers.respond(world["shiriuchi"], pid, accept=True)
    # Only the proposer or the lead municipality turns it into the posting.
    with pytest.raises(access.ProposalNotFound):
        joint_posting.create_posting(world["shiriuchi"], pid)
    assert db.session.scalar(select(func.count(Posting.id))) == 0


def test_accepted_proposal_becomes_one_public_joint_posting(app, world, client):
    pid = _proposal(world)
    _accept_all(world, pid)
    assert db.session.get(JointProposal, pid).state == "accepted"
    lead = _client(app, world["kikonai"])
    resp = lead.post(f"/joint/proposals/{pid}/posting")
    assert resp.status_code == 302 and "/edit" in resp.headers["Location"]
    proposal = db.session.get(JointProposal, pid)
    posting = db.session.get(Posting, proposal.posting_id)
    rev = posting.current_revision
    assert proposal.state == "posted" and rev.state == "draft"
    assert (posting.municipality_code, rev.joint_wish, rev.title, rev.days_per_month,
            rev.compensation_amount) == (KIKONAI, "joint", proposal.title, 8, 40000)
    assert rev.duties == proposal.summary

    # The usual relay: the lead submits, the prefecture relays, MIC publishes.
    review.submit(world["kikonai"], posting.id, form_data(
        title=rev.title, joint_wish="joint", days_per_month="8", compensation_amount="40000",
        compensation_unit="day", duties=rev.duties))
    review.relay(world["coord"], posting.id)
    review.publish(world["mic"], posting.id)

    page = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "木古内町" in page and "知内町" in page and SHIRIUCHI in page
    assert "joint-participants" in page and "50%" in page

    listing = client.get("/postings?joint=1").get_data(as_text=True)
    assert "知内町" in listing

    body = client.get("/postings.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    col = rows[0].index("共同任用の参加団体")
    row = next(r for r in rows[1:] if r[0] == str(posting.id))
    assert row[col] == "木古内町（013340）50% 4日/月; 知内町（013331）50% 4日/月"

    book = load_workbook(io.BytesIO(client.get("/postings.xlsx").data), read_only=True)
    values = [list(r) for r in book["北海道"].iter_rows(values_only=True)]
    col = values[0].index("共同任用の参加団体")
    assert any(r[col] and "知内町（013331）50%" in r[col] for r in values[1:])

    item = client.get(f"/api/v1/postings/{posting.id}").get_json()
    assert item["participants"] == [
        {"code": KIKONAI, "name": "木古内町", "share": 0.5, "share_days": 4.0},
        {"code": SHIRIUCHI, "name": "知内町", "share": 0.5, "share_days": 4.0},
    ]
    listed = client.get("/api/v1/postings?joint=1").get_json()["items"]
    assert [p["code"] for p in listed[0]["participants"]] == [KIKONAI, SHIRIUCHI]

    # Job sites see both municipalities hiring, each a place of work (JSON-LD, read by pyld).
    from tests.support.jsonld import expanded_job_posting

    posting_ld = expanded_job_posting(page)
    orgs = [o["https://schema.org/name"][0]["@value"]
            for o in posting_ld["https://schema.org/hiringOrganization"]]
    assert orgs == ["北海道 木古内町", "北海道 知内町"]
    towns = [p["https://schema.org/address"][0]["https://schema.org/addressLocality"][0]["@value"]
             for p in posting_ld["https://schema.org/jobLocation"]]
    assert towns == ["木古内町", "知内町"]


def test_ordinary_postings_keep_the_lead_only(app, world, client):
    posting = make_posting(NANAE, title="DX推進員")
    item = client.get(f"/api/v1/postings/{posting.id}").get_json()
    assert item["participants"] == [{"code": NANAE, "name": "七飯町", "share": None}]
    assert "joint-participants" not in client.get(f"/postings/{posting.id}").get_data(as_text=True)


def test_matching_sees_every_participant_of_a_joint_posting(app, world):
    from talentmatch.matching.rows import need_for_posting

    pid = _proposal(world, parts=((KIKONAI, "5", "60"), (AOMORI, "3", "40")))
    answers.respond(world["kikonai"], pid, accept=True)
    answers.respond(world["aomori"], pid, accept=True)
    assert answers.agree(world["coord_q"], pid, accept=True).state == "accepted"
    posting = joint_posting.create_posting(world["coord"], pid)
    need = need_for_posting(posting)
    assert need.days_per_month == 8 and set(need.prefecture_codes) == {"01", "02"}


# --------------------------------------------------------------------------- from wished postings


def test_wished_postings_prefill_a_proposal(app, world):
    a = make_posting(KIKONAI, joint_wish="wished", days_per_month=4, title="DX推進アドバイザー")
    b = make_posting(SHIRIUCHI, joint_wish="wished", days_per_month=6, title="情報化推進員")
    alone = make_posting(NANAE, joint_wish="none", title="単独の募集")
    other = make_posting(AOMORI, joint_wish="wished", title="青森市の募集")
    coord = _client(app, world["coord"])
    overview = coord.get(f"/prefectures/{PREF_P}/joint").get_data(as_text=True)
    assert "DX推進アドバイザー" in overview and "情報化推進員" in overview
    # Only "joint wished" postings of the prefecture are listed as such (the matcher's
    # bundles below may still combine any open postings).
    assert f'data-posting="{a.id}"' in overview and f'data-posting="{b.id}"' in overview
    assert f'data-posting="{alone.id}"' not in overview
    assert f'data-posting="{other.id}"' not in overview and "青森市の募集" not in overview

    html = coord.get(f"/prefectures/{PREF_P}/joint/new?pick={a.id}&pick={b.id}&pick={other.id}"
                     ).get_data(as_text=True)
    assert 'value="10"' in html  # 4 + 6 days
    assert f'value="{a.id},{b.id}"' in html  # the other prefecture's posting is left out

    data = proposal_input(parts=((KIKONAI, "4", ""), (SHIRIUCHI, "6", "")), days_per_month="10",
                          source_posting_ids=[a.id, b.id])
    resp = coord.post(f"/prefectures/{PREF_P}/joint/new", data=form_post(data))
    assert resp.status_code == 302
    proposal = db.session.scalars(select(JointProposal)).one()
    assert proposal.source_posting_ids == [a.id, b.id]
    with pytest.raises(proposals.InvalidProposal):
        proposals.propose(world["coord"], proposal_input(source_posting_ids=[other.id]))


def test_subsidy_split_by_the_shares(app, world):
    # FY2025 (令和7年度), the measure's last year: the grant is not zero.
    pid = _proposal(world, parts=((KIKONAI, "6", "75"), (SHIRIUCHI, "2", "25")),
                    period_start="2025-04-01", period_end="2026-03-31")
    split = joint_split.subsidy_split(db.session.get(JointProposal, pid), "ja")
    total = sum(int(line["amount"]) for line in split.total_lines)
    assert split.basis == "proposal" and total > 0
    parts = {p.code: p for p in split.parts}
    assert parts[KIKONAI].result.total_amount + parts[SHIRIUCHI].result.total_amount == total
    assert parts[KIKONAI].result.total_amount == pytest.approx(total * 0.75, abs=2)
    assert parts[SHIRIUCHI].result.total_grant == parts[SHIRIUCHI].result.total_amount // 2
    html = _client(app, world["shiriuchi"]).get(f"/joint/proposals/{pid}").get_data(as_text=True)
    assert "joint-split" in html and f"{parts[SHIRIUCHI].result.total_grant:,}" in html
