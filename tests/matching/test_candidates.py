"""The candidates page and `flask match rank` show the matcher's ranking: exact fit first,
excluded people with the reason, capacity from current appointments, filters, and who may
see the page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext

from talentmatch.extensions import db
from talentmatch.matching.matcher import MatchIndex, NeedData
from tests.support.factories import login, make_user
from tests.support.matching import appointment, as_profile, cloud_posting, make_pro

MUNI = "012025"  # 北海道 函館市
OTHER_MUNI = "012033"  # 北海道 小樽市 (same prefecture)
FOREIGN_MUNI = "131130"  # 東京都 渋谷区


def _need(posting) -> NeedData:
    rev = posting.published_revision
    return NeedData(
        id=posting.id, required_skills=rev.required_skills, preferred_skills=rev.preferred_skills,
        focus_areas=rev.focus_areas, required_experience=rev.required_experience, duties=rev.duties,
        employment_type=rev.employment_type, days_per_month=rev.days_per_month, remote=rev.remote,
        prefecture_codes=[rev.prefecture_code], preferred_qualifications=rev.preferred_qualifications,
        title=rev.title,
    )


@pytest.fixture
def world(ctx):
    posting = cloud_posting(MUNI)
    exact = make_pro(
        "完全一致 花子", skills=["cloud_architecture", "bpr", "information_security", "rpa"],
        focus_areas=["bpr", "security"], experience="市役所で業務改革とクラウド設計、情報セキュリティを担当。RPAも導入。",
        preferred_prefectures=["01"], remote_preference="hybrid", available_days_per_month=10,
        public_sector_experience=True)
    partial = make_pro("一部一致 太郎", skills=["bpr"], focus_areas=["bpr"],
                       experience="業務改革の経験", preferred_prefectures=["13"],
                       available_days_per_month=8)
    weak = make_pro("無関係 次郎", skills=["web_design"], available_days_per_month=20,
                    remote_preference="remote_only")
    hidden = make_pro("非公開 三郎", skills=["bpr", "cloud_architecture"], discoverable=False)
    wrong_type = make_pro("委託のみ 四郎", skills=["bpr"], accepted_employment_types=["outsourcing"])
    busy = make_pro("多忙 五郎", skills=["bpr", "cloud_architecture"], available_days_per_month=5)
    other = cloud_posting(OTHER_MUNI, title="別の任用")
    appointment(busy, other, 3)  # 5 - 3 = 2 free days < 4 needed
    people = dict(exact=exact, partial=partial, weak=weak, hidden=hidden, wrong_type=wrong_type,
                  busy=busy)
    used = {busy.id: 3.0}
    index = MatchIndex([as_profile(p, used.get(p.id, 0.0)) for p in people.values()])
    expected = index.rank(_need(posting), limit=50, include_excluded=True)
    return posting, people, expected


def _staff(client, code=MUNI, role="municipality"):
    kw = {"municipality_code": code} if role == "municipality" else {"prefecture_code": code}
    user = make_user(role, **kw) if role != "ministry" else make_user("ministry")
    login(client, user)
    return user


def _ranked_ids(html: str) -> list[int]:
    section = html.split('id="ranked-h"', 1)[1].split('id="excluded-h"', 1)[0]
    return [int(x) for x in re.findall(r'id="candidate-(\d+)"', section)]


def test_page_shows_the_matchers_ranking_exact_fit_first(world, client):
    posting, people, expected = world
    _staff(client)
    resp = client.get(f"/postings/{posting.id}/candidates?excluded=1")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert _ranked_ids(html) == [c.professional_id for c in expected.candidates]
    assert expected.candidates[0].professional_id == people["exact"].id
    assert [c.professional_id for c in expected.candidates] == [
        people["exact"].id, people["partial"].id, people["weak"].id]
    for c in expected.candidates:
        assert f'<strong>{c.score}</strong>' in html
    # Breakdown in words a clerk reads.
    with force_locale("ja"):
        assert gettext("Has public-sector experience") in html
    # Excluded with their reasons, and the person who did not opt in is not named.
    assert "委託のみ 四郎" in html and "多忙 五郎" in html
    assert "非公開 三郎" not in html
    with force_locale("ja"):
        busy_reason = gettext("Has %(free)s free days per month; the role needs %(needed)s") % {
            "free": "2", "needed": "4"}
        assert busy_reason in html
        assert gettext("Required skills: %(matched)s of %(total)s match") % {
            "matched": 3, "total": 3} in html


def test_cli_json_has_exactly_the_agreed_shape_and_the_same_ranking(world, runner):
    posting, people, expected = world
    result = runner.invoke(args=["match", "rank", str(posting.id), "--json", "--limit", "10"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output.strip().splitlines()[-1])
    assert set(body) == {"posting", "candidates", "excluded"}
    assert body["posting"] == posting.id
    for c in body["candidates"]:
        assert set(c) == {"professional_id", "display_name", "score", "breakdown"}
    for e in body["excluded"]:
        assert set(e) == {"professional_id", "display_name", "reason"}
    assert [(c["professional_id"], c["score"]) for c in body["candidates"]] == [
        (c.professional_id, c.score) for c in expected.candidates]
    assert body["candidates"][0]["display_name"] == "完全一致 花子"
    reasons = {e["professional_id"]: e["reason"] for e in body["excluded"]}
    assert set(reasons) == {people["hidden"].id, people["wrong_type"].id, people["busy"].id}
    # In the Japanese catalogue by default, naming the numbers for capacity.
    with force_locale("ja"):
        ja = gettext("Has %(free)s free days per month; the role needs %(needed)s") % {
            "free": "2", "needed": "4"}
    assert reasons[people["busy"].id] == ja
    english = runner.invoke(args=["match", "rank", str(posting.id), "--json", "--lang", "en"])
    body_en = json.loads(english.output.strip().splitlines()[-1])
    busy_en = {e["professional_id"]: e["reason"] for e in body_en["excluded"]}[people["busy"].id]
    assert busy_en == "Has 2 free days per month; the role needs 4"


def test_cli_text_and_unknown_posting(world, runner):
    posting, people, expected = world
    result = runner.invoke(args=["match", "rank", str(posting.id), "--limit", "2"])
    assert result.exit_code == 0
    assert "完全一致 花子" in result.output and "無関係 次郎" not in result.output
    missing = runner.invoke(args=["match", "rank", "999999"])
    assert missing.exit_code == 1


def test_capacity_from_appointments_changes_the_ranking(world, client):
    posting, people, _ = world
    _staff(client)
    before = _ranked_ids(client.get(f"/postings/{posting.id}/candidates").get_data(as_text=True))
    assert people["exact"].id in before
    # 花子 takes a 7-day post elsewhere: 10 - 7 = 3 free days, the role needs 4.
    appointment(people["exact"], cloud_posting(OTHER_MUNI, title="他の任用"), 7)
    html = client.get(f"/postings/{posting.id}/candidates?excluded=1").get_data(as_text=True)
    assert people["exact"].id not in _ranked_ids(html)
    assert "完全一致 花子" in html.split('id="excluded-h"', 1)[1]
    # The post ends: the days are free again.
    from talentmatch.applications.models import Appointment

    for appt in db.session.query(Appointment).filter_by(professional_id=people["exact"].id):
        appt.status = "ended"
    db.session.commit()
    assert _ranked_ids(client.get(f"/postings/{posting.id}/candidates").get_data(as_text=True))[0] == people["exact"].id


def test_a_past_appointment_uses_no_capacity(world, client):
    posting, people, _ = world
    today = date.today()
    appointment(people["exact"], cloud_posting(OTHER_MUNI, title="昔の任用"), 9,
                start=today - timedelta(days=400), end=today - timedelta(days=1))
    _staff(client)
    assert _ranked_ids(client.get(f"/postings/{posting.id}/candidates").get_data(as_text=True))[0] == people["exact"].id


def test_filters(world, client):
    posting, people, expected = world
    _staff(client)
    url = f"/postings/{posting.id}/candidates"
    top = expected.candidates[0].score
    assert _ranked_ids(client.get(f"{url}?min_score={top}").get_data(as_text=True)) == [people["exact"].id]
    assert _ranked_ids(client.get(f"{url}?public_sector=1").get_data(as_text=True)) == [people["exact"].id]
    assert _ranked_ids(client.get(f"{url}?remote=remote_only").get_data(as_text=True)) == [people["weak"].id]
    html = client.get(f"{url}?only_applicants=1").get_data(as_text=True)
    assert 'id="ranked-h"' not in html


def test_who_may_see_the_candidates(world, client, app):
    posting, _, _ = world
    url = f"/postings/{posting.id}/candidates"
    cases = [("municipality", MUNI, 200), ("municipality", OTHER_MUNI, 404),
             ("municipality", FOREIGN_MUNI, 404), ("prefecture", "01", 200),
             ("prefecture", "13", 404), ("ministry", None, 200)]
    for role, code, status in cases:
        c = app.test_client()
        _staff(c, code, role)
        assert c.get(url).status_code == status, (role, code)
    pro_client = app.test_client()
    login(pro_client, world[1]["exact"].user)
    assert pro_client.get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302  # anonymous: to the login page
