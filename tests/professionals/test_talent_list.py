"""MIC's 外部人材リスト: a professional asks to be listed; ministry staff review and list them
for a fiscal year (or refuse with a reason); a listed person carries a badge on the profile and
on the candidates page, can be filtered for, and gets a small bonus named in the score's
breakdown. Every decision is audited; bad input names its field and changes nothing."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from talentmatch.professionals import talent_list
from talentmatch.professionals.models import TalentListEntry
from tests.support.factories import login, make_user
from tests.support.matching import cloud_posting, make_pro

MUNI = "012025"  # 函館市


@pytest.fixture
def world(ctx, app):
    posting = cloud_posting(MUNI)
    # Two people with the same fit; only one will be listed.
    twin = dict(skills=["cloud_architecture", "bpr"], focus_areas=["bpr"],
                available_days_per_month=10, experience="業務改革の経験")
    listed = make_pro("名簿 花子", **twin)
    plain = make_pro("名簿外 太郎", **twin)
    mic = make_user("ministry", name="総務省 担当")
    clerk = make_user("municipality", municipality_code=MUNI)
    return posting, listed, plain, mic, clerk


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _ranked(html: str) -> list[int]:
    section = html.split('id="ranked-h"', 1)[1].split('id="excluded-h"', 1)[0]
    return [int(x) for x in re.findall(r'id="candidate-(\d+)"', section)]


def _entries() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(TalentListEntry.id)))


def test_request_review_badge_filter_and_bonus(world, app, runner):
    posting, listed, plain, mic, clerk = world
    staff = _client(app, clerk)
    before = staff.get(f"/postings/{posting.id}/candidates").get_data(as_text=True)
    assert set(_ranked(before)) == {listed.id, plain.id}
    assert "talent-list-badge" not in before

    # The person asks.
    person = _client(app, listed.user)
    assert "talent-list-h" in person.get("/profile").get_data(as_text=True)
    resp = person.post("/profile/talent-list", data={"message": "自治体のBPRを5年支援しました。"})
    assert resp.status_code == 302
    entry = db.session.scalars(select(TalentListEntry)).one()
    assert (entry.status, entry.fiscal_year) == ("requested", talent_list.current_fiscal_year())
    # Asking twice for the same year is refused on the field, nothing added.
    again = person.post("/profile/talent-list", data={"message": ""})
    assert again.status_code == 400 and 'id="message-error"' in again.get_data(as_text=True)
    assert _entries() == 1

    # MIC reviews: sees the request and may read the profile (it is not discoverable-only).
    reviewer = _client(app, mic)
    page = reviewer.get("/talent-list").get_data(as_text=True)
    assert "名簿 花子" in page and "自治体のBPRを5年支援しました。" in page
    assert reviewer.get(f"/professionals/{listed.id}").status_code == 200
    resp = reviewer.post(f"/talent-list/{entry.id}/decide",
                         data={"decision": "listed", "fiscal_year": str(entry.fiscal_year)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(TalentListEntry, entry.id).status == "listed"
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "talent_list.list")).one()
    assert audit.actor_id == mic.id

    # The badge on the profile, for the person and for staff.
    assert "talent-list-badge" in person.get("/profile").get_data(as_text=True)
    assert "talent-list-badge" in staff.get(f"/professionals/{listed.id}").get_data(as_text=True)

    # On the candidates page: the badge, first place thanks to the bonus, and the filter.
    html = staff.get(f"/postings/{posting.id}/candidates").get_data(as_text=True)
    assert _ranked(html) == [listed.id, plain.id]
    card = html.split(f'id="candidate-{listed.id}"', 1)[1].split("</li>", 1)[0]
    assert "talent-list-badge" in card
    other = html.split(f'id="candidate-{plain.id}"', 1)[1].split("</li>", 1)[0]
    assert "talent-list-badge" not in other
    only = staff.get(f"/postings/{posting.id}/candidates?talent_list=1").get_data(as_text=True)
    assert _ranked(only) == [listed.id]

    # The breakdown names the bonus (CLI JSON, in English).
    result = runner.invoke(args=["match", "rank", str(posting.id), "--json", "--lang", "en"])
    body = json.loads(result.output.strip().splitlines()[-1])
    scores = {c["professional_id"]: c for c in body["candidates"]}
    bonus = scores[listed.id]["breakdown"]["bonuses"]["talent_list"]
    assert bonus["value"] is True and bonus["points"] == bonus["max"] > 0
    assert scores[plain.id]["breakdown"]["bonuses"]["talent_list"]["points"] == 0
    assert scores[listed.id]["score"] > scores[plain.id]["score"]
    # …and the help page documents it.
    assert 'id="talent-list-bonus"' in staff.get("/help/matching").get_data(as_text=True)


def test_refusal_needs_a_reason_and_only_mic_decides(world, app):
    posting, listed, plain, mic, clerk = world
    person = _client(app, plain.user)
    person.post("/profile/talent-list", data={"message": ""})
    entry = db.session.scalars(select(TalentListEntry)).one()

    # Others may neither see the queue nor decide.
    for user in (clerk, make_user("prefecture", prefecture_code="01"), plain.user):
        c = _client(app, user)
        assert c.get("/talent-list").status_code == 403
        assert c.post(f"/talent-list/{entry.id}/decide",
                      data={"decision": "listed"}).status_code == 403

    reviewer = _client(app, mic)
    # Every bad field at once, nothing changed.
    resp = reviewer.post(f"/talent-list/{entry.id}/decide",
                         data={"decision": "refused", "fiscal_year": "１９９９", "reason": ""})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'id="fiscal_year-{entry.id}-error"' in html and f'id="reason-{entry.id}-error"' in html
    resp = reviewer.post(f"/talent-list/{entry.id}/decide", data={"decision": "maybe"})
    assert resp.status_code == 400 and f'id="decision-{entry.id}-error"' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TalentListEntry, entry.id).status == "requested"

    # A refusal with its reason; the person reads it, and there is no badge or bonus.
    resp = reviewer.post(f"/talent-list/{entry.id}/decide", data={
        "decision": "refused", "fiscal_year": str(entry.fiscal_year),
        "reason": "自治体での実績を確認できませんでした。"})
    assert resp.status_code == 302
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "talent_list.refuse"))
    page = person.get("/profile").get_data(as_text=True)
    assert "自治体での実績を確認できませんでした。" in page and "talent-list-badge" not in page
    assert not talent_list.is_listed(plain.id)
    # Deciding twice is refused.
    again = reviewer.post(f"/talent-list/{entry.id}/decide", data={
        "decision": "listed", "fiscal_year": str(entry.fiscal_year)})
    assert again.status_code == 400


def test_a_listing_for_another_fiscal_year_gives_no_badge_now(world, app):
    posting, listed, plain, mic, clerk = world
    _client(app, listed.user).post("/profile/talent-list", data={})
    entry = db.session.scalars(select(TalentListEntry)).one()
    next_year = entry.fiscal_year + 1
    resp = _client(app, mic).post(f"/talent-list/{entry.id}/decide",
                                  data={"decision": "listed", "fiscal_year": str(next_year)})
    assert resp.status_code == 302
    assert not talent_list.is_listed(listed.id)
    html = _client(app, clerk).get(f"/postings/{posting.id}/candidates?talent_list=1")
    assert _ranked(html.get_data(as_text=True)) == []
