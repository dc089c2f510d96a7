"""Bundle suggestions (own prefecture only), postings for a professional, the help page,
joint roles, and the index following profile changes."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch import signals
from talentmatch.extensions import db
from talentmatch.matching import pages
from talentmatch.matching import services as matching
from talentmatch.matching.matcher import WEIGHTS, NeedData, combine_needs
from talentmatch.professionals.models import Professional
from tests.support.factories import login, make_user
from tests.support.matching import cloud_posting, make_pro


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _bundle_world():
    # Two remote-friendly part-time roles in Hokkaido sharing BPR; one full-time role that
    # cannot be bundled; one role in Tokyo.
    a = cloud_posting("012025", title="函館 BPR", days_per_month=4, remote="full")
    b = cloud_posting("012033", title="小樽 BPR", days_per_month=6, remote="full")
    c = cloud_posting("016438", title="常勤の任用", employment_type="full_time_staff")
    t = cloud_posting("131130", title="渋谷 BPR", days_per_month=4, remote="full")
    pro = make_pro("束ね 上手", skills=["bpr", "cloud_architecture", "information_security"],
                   focus_areas=["bpr", "security"], available_days_per_month=12,
                   accepted_employment_types=["special_part_time"])
    short = make_pro("日数 不足", skills=["bpr", "cloud_architecture"], available_days_per_month=6)
    return a, b, c, t, pro, short


def test_bundles_for_own_prefecture_with_candidates(ctx, app):
    a, b, c, t, pro, short = _bundle_world()
    coord = make_user("prefecture", prefecture_code="01")
    resp = _client(app, coord).get("/prefectures/01/bundles")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "函館 BPR" in html and "小樽 BPR" in html
    assert "常勤の任用" not in html and "渋谷 BPR" not in html
    # The combined role needs 10 days: 日数 不足 (6 days) is not proposed for it.
    assert "束ね 上手" in html and "日数 不足" not in html
    rows = pages.bundle_suggestions("01")
    assert rows and set(rows[0].bundle.posting_ids) == {a.id, b.id}
    assert rows[0].candidates[0].professional_id == pro.id


def test_bundles_of_another_prefecture_are_refused(ctx, app):
    _bundle_world()
    coord_13 = _client(app, make_user("prefecture", prefecture_code="13"))
    assert coord_13.get("/prefectures/01/bundles").status_code == 403
    assert coord_13.get("/bundles").headers["Location"].endswith("/prefectures/13/bundles")
    staff = _client(app, make_user("municipality", municipality_code="012025"))
    assert staff.get("/prefectures/01/bundles").status_code == 403


def test_joint_role_is_ranked_against_the_union_and_the_sum_of_days(ctx):
    pro_small = make_pro("小さい 空き", skills=["bpr", "rpa"], available_days_per_month=5)
    pro_big = make_pro("大きい 空き", skills=["bpr", "rpa"], available_days_per_month=10)
    a = NeedData(1, required_skills=["業務改革"], days_per_month=4, employment_type="special_part_time",
                 prefecture_codes=["01"])
    b = NeedData(2, required_skills=["RPA"], days_per_month=4, employment_type="special_part_time",
                 prefecture_codes=["01"])
    ranking = matching.rank_for_need(combine_needs([a, b]), include_excluded=True)
    assert [c.professional_id for c in ranking.candidates] == [pro_big.id]
    assert [e.professional_id for e in ranking.excluded] == [pro_small.id]
    assert ranking.candidates[0].breakdown["skills"]["missing"] == []


def test_joint_posting_uses_registered_participant_needs(ctx, app):
    posting = cloud_posting("012025", joint_wish="joint", days_per_month=4)
    extra = NeedData(posting.id + 1000, required_skills=["データ分析"], days_per_month=4,
                     employment_type="special_part_time", prefecture_codes=["01"])
    pro = make_pro("共同 向き", skills=["bpr", "cloud_architecture", "information_security", "data_analysis"],
                   available_days_per_month=6)

    def provider(p):
        return [matching.rows.need_from_revision(p.id, p.published_revision), extra] if p.id == posting.id else []

    signals.posting_needs.connect(provider)
    try:
        need = matching.need_for_posting(posting)
        assert need.days_per_month == 8 and "データ分析" in need.required_skills
        ranking = matching.rank_posting(posting)
        assert pro.id in [e.professional_id for e in ranking.excluded]  # 6 free < 8 needed
        html = _client(app, make_user("municipality", municipality_code="012025")).get(
            f"/postings/{posting.id}/candidates").get_data(as_text=True)
        assert "joint" in html.lower() or "共同" in html
    finally:
        signals.posting_needs.disconnect(provider)


def test_postings_for_you_on_home_and_page(ctx, app):
    good = cloud_posting("012025", title="ぴったりの任用")
    other = cloud_posting("131130", title="遠い任用", required_skills=["UIデザイン"], preferred_skills=[],
                          focus_areas=["digital_divide"], remote="none")
    closed = cloud_posting("012033", title="終わった任用")
    closed.status = "closed"
    db.session.commit()
    pro = make_pro("推薦 花子", skills=["cloud_architecture", "bpr", "information_security"],
                   focus_areas=["bpr"], preferred_prefectures=["01"])
    c = _client(app, pro.user)
    home = c.get("/home").get_data(as_text=True)
    assert "ぴったりの任用" in home and "終わった任用" not in home
    assert home.index("ぴったりの任用") < home.index("遠い任用")
    page = c.get("/my/postings-for-you").get_data(as_text=True)
    assert "ぴったりの任用" in page and 'name="postings"' in page
    # Apply to both from the list.
    c.post("/my/applications/apply", data={"postings": [good.id, other.id], "message": "まとめて応募"})
    page = c.get("/my/postings-for-you").get_data(as_text=True)
    assert f'value="{good.id}"' not in page  # already applied: no checkbox


def test_profile_edits_reach_the_ranking(ctx, app):
    posting = cloud_posting("012025")
    pro = make_pro("変更 前", skills=["web_design"])
    assert matching.rank_posting(posting).candidates[0].breakdown["skills"]["matched"] == []
    row = db.session.get(Professional, pro.id)
    row.skills = ["cloud_architecture", "bpr", "information_security"]
    db.session.commit()
    matching.profile_changed(pro.id)
    assert set(matching.rank_posting(posting).candidates[0].breakdown["skills"]["matched"]) >= {
        "cloud_architecture", "bpr", "information_security"}
    row.discoverable = False
    db.session.commit()
    # No hook call this time: the signature check notices on its own.
    assert matching.rank_posting(posting).candidates == []
    db.session.delete(db.session.scalar(select(Professional).where(Professional.id == pro.id)))
    db.session.commit()
    assert matching.rank_posting(posting, include_excluded=True).excluded == []


def test_help_page_renders_the_weights(client):
    html = client.get("/help/matching").get_data(as_text=True)
    for comp in WEIGHTS.values():
        assert f"<td class=\"num\">{comp.points:g}</td>" in html
    assert ">100<" in html


def test_the_candidates_filter_matches_words_like_the_listing(ctx, app):
    posting = cloud_posting("012025")
    make_pro("安全 一郎", skills=["information_security"])
    make_pro("改革 花子", skills=["bpr"])
    make_pro("教育 三郎", free_skills=["セキュリティ教育"], experience="職員研修の講師")
    clerk = make_user("municipality", municipality_code="012025")
    c = _client(app, clerk)

    def shown(q: str) -> set[str]:
        html = c.get(f"/postings/{posting.id}/candidates", query_string={"q": q}).get_data(
            as_text=True)
        return {n for n in ("安全 一郎", "改革 花子", "教育 三郎") if n in html}

    assert shown("") == {"安全 一郎", "改革 花子", "教育 三郎"}
    assert shown("セキュリティ") == {"安全 一郎", "教育 三郎"}  # synonym and partial word
    assert shown("ｾｷｭﾘﾃｨ") == shown("security") == shown("セキュリテイ") == shown("セキュリティ")
    assert shown("BPR") == shown("業務改革") == {"改革 花子"}
    assert shown("研修") == {"教育 三郎"}
    assert 'id="q"' in c.get(f"/postings/{posting.id}/candidates").get_data(as_text=True)
