"""The prefecture's talent pool and its introductions: invite, import, tags and search, who
sees the pool, introducing a person to a posting, and what the municipality and the person see."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.pool import introductions
from talentmatch.pool import services as pool
from talentmatch.pool.models import Introduction, TalentPoolEntry
from talentmatch.professionals.models import Professional
from talentmatch.professionals.services import export_data
from tests.support.factories import login, make_posting, make_user
from tests.support.joint import KIKONAI, NANAE, PREF_P, people
from tests.support.matching import make_pro

CSV_OK = (
    "メールアドレス,氏名・名称,稼働可能日数(月),スキル,検索への公開\n"
    "tanaka@example.jp,田中 一郎,8,情報セキュリティ;BPR,yes\n"
    "sato@example.jp,佐藤 花子,4,データ分析,no\n"
).encode()
CSV_BAD = (
    "メールアドレス,氏名・名称,稼働可能日数(月)\n"
    "ok@example.jp,山田 太郎,8\n"
    "not-an-address,鈴木 次郎,40\n"
).encode()


@pytest.fixture
def world(app):
    with app.app_context():
        yield people()


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _pooled(world, name="田中 一郎", tags=("職員OB・OG",), **fields) -> TalentPoolEntry:
    pro = make_pro(name, discoverable=False, **fields)
    entry = pool.add_to_pool(world["coord"], PREF_P, [pro.id], tags=list(tags),
                             note="元情報政策課長")[0]
    db.session.commit()
    return entry


def test_invite_by_email_adds_an_invited_person(app, world):
    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/pool/invite", data={
        "email": "ob@example.jp", "display_name": "高橋 三郎", "available_days_per_month": "6",
        "skills": "情報セキュリティ、BPR", "tags": "職員OB・OG、地元IT企業",
        "note": "元情報政策課長。町村の事情に詳しい。", "locale": "ja",
        "consent_obtained": "y", "discoverable": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    entry = db.session.scalars(select(TalentPoolEntry)).one()
    prof = entry.professional
    assert entry.tags == ["職員OB・OG", "地元IT企業"] and entry.prefecture_code == PREF_P
    assert prof.imported_prefecture_code == PREF_P and prof.import_consent_obtained
    assert "information_security" in prof.skills and prof.discoverable
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_email == "ob@example.jp", OutboxMessage.kind == "professional_import")) == 1


def test_invite_errors_name_the_field_and_save_nothing(app, world):
    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/pool/invite", data={
        "email": "not an address", "display_name": "", "available_days_per_month": "99",
        "locale": "ja"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for field in ("email", "display_name", "available_days_per_month"):
        assert f'id="{field}-error"' in html, field
    assert db.session.scalar(select(func.count(Professional.id))) == 0
    assert db.session.scalar(select(func.count(TalentPoolEntry.id))) == 0
    # An address with an account already is refused too (the person is never touched).
    existing = make_user("professional", email="taken@example.jp")
    resp = c.post(f"/prefectures/{PREF_P}/pool/invite", data={
        "email": existing.email, "display_name": "X", "available_days_per_month": "4",
        "locale": "ja", "tags": "x" * 40})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="tags-error"' in html
    assert db.session.scalar(select(func.count(TalentPoolEntry.id))) == 0


def test_import_a_talent_list_all_or_nothing(app, world):
    import io

    c = _client(app, world["coord"])
    resp = c.post(f"/prefectures/{PREF_P}/pool/import", data={
        "file": (io.BytesIO(CSV_BAD), "list.csv"), "consent_obtained": "y"},
        content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "3" in resp.get_data(as_text=True)  # the bad row is named
    assert db.session.scalar(select(func.count(TalentPoolEntry.id))) == 0
    resp = c.post(f"/prefectures/{PREF_P}/pool/import", data={
        "file": (io.BytesIO(CSV_OK), "list.csv"), "consent_obtained": "y", "tags": "地元IT企業"},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    entries = db.session.scalars(select(TalentPoolEntry)).all()
    assert len(entries) == 2 and all(e.tags == ["地元IT企業"] for e in entries)


def test_search_by_tag_and_skill(app, world):
    ob = _pooled(world, "田中 一郎", tags=("職員OB・OG",), skills=["information_security"])
    it = _pooled(world, "佐藤 花子", tags=("地元IT企業",), skills=["bpr"])
    _pooled(world, "鈴木 次郎", tags=("大学",), skills=["bpr"], experience="セキュリティ監査の研究")

    def names(**args):
        page = pool.search_pool(world["coord"], PREF_P, **args)
        return {e.professional.user.display_name for e in page.entries}

    assert names() == {"田中 一郎", "佐藤 花子", "鈴木 次郎"}
    assert names(tag="職員OB・OG") == {"田中 一郎"}
    assert names(tag="職員ＯＢ・ＯＧ") == {"田中 一郎"}  # full-width typed
    # The vocabulary's synonym (情報セキュリティ) and a partial word in the experience.
    assert names(skill="セキュリティ") == {"田中 一郎", "鈴木 次郎"}
    assert names(skill="BPR", tag="地元IT企業") == {"佐藤 花子"}
    html = _client(app, world["coord"]).get(f"/prefectures/{PREF_P}/pool?tag=大学").get_data(
        as_text=True)
    assert "鈴木 次郎" in html and "田中 一郎" not in html
    assert ob.id and it.id


def test_the_pool_is_only_for_its_prefectures_coordinators(app, world):
    entry = _pooled(world)
    outsider = _client(app, world["coord_r"])
    assert outsider.get(f"/prefectures/{PREF_P}/pool").status_code == 403
    assert outsider.get(f"/pool/entries/{entry.id}").status_code == 404
    assert outsider.post(f"/pool/entries/{entry.id}/remove").status_code == 404
    for who in ("kikonai", "mic"):
        c = _client(app, world[who])
        assert c.get(f"/prefectures/{PREF_P}/pool").status_code == 403
        assert c.get(f"/pool/entries/{entry.id}").status_code == 403
    pro_client = app.test_client()
    login(pro_client, entry.professional.user)
    assert pro_client.get(f"/pool/entries/{entry.id}").status_code == 403
    # The pool's coordinator sees the person's (hidden) profile; others do not.
    assert _client(app, world["coord"]).get(
        f"/professionals/{entry.professional_id}").status_code == 200
    assert outsider.get(f"/professionals/{entry.professional_id}").status_code == 404


def test_tags_and_notes_are_kept(app, world):
    entry = _pooled(world)
    c = _client(app, world["coord"])
    resp = c.post(f"/pool/entries/{entry.id}", data={
        "entry-tags": "職員OB・OG, 大学", "entry-note": "木古内町の案件に合いそう"})
    assert resp.status_code == 302
    db.session.expire_all()
    entry = db.session.get(TalentPoolEntry, entry.id)
    assert entry.tags == ["職員OB・OG", "大学"] and entry.note == "木古内町の案件に合いそう"


def test_introduction_reaches_the_person_and_the_municipality(app, world):
    entry = _pooled(world)
    posting = make_posting(KIKONAI, title="DX推進アドバイザー")
    other_posting = make_posting(NANAE, title="七飯町の募集")
    c = _client(app, world["coord"])
    resp = c.post(f"/pool/entries/{entry.id}/introduce", data={
        "intro-posting_id": str(posting.id), "intro-note": "町村の業務に詳しい方です"})
    assert resp.status_code == 302
    intro = db.session.scalars(select(Introduction)).one()
    assert (intro.status, intro.posting_id, intro.note) == ("pending", posting.id,
                                                             "町村の業務に詳しい方です")
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "joint_introduction")).one()
    assert mail.to_email == entry.professional.user.email and "DX推進アドバイザー" in mail.subject

    # The municipality sees it beside its candidates and may open the (hidden) profile.
    town = _client(app, world["kikonai"])
    page = town.get(f"/postings/{posting.id}/candidates").get_data(as_text=True)
    assert "introductions-h" in page and "田中 一郎" in page and "町村の業務に詳しい方です" in page
    assert town.get(f"/professionals/{entry.professional_id}").status_code == 200
    assert "introductions-h" in town.get(
        f"/postings/{posting.id}/applications").get_data(as_text=True)
    # Another municipality sees none of it.
    nanae = _client(app, world["nanae"])
    assert introductions.introductions_for_posting(world["nanae"], posting.id) == []
    assert "introductions-h" not in nanae.get(
        f"/postings/{other_posting.id}/candidates").get_data(as_text=True)
    assert nanae.get(f"/professionals/{entry.professional_id}").status_code == 404

    # Twice the same, or a posting outside the prefecture or unpublished: refused by field.
    again = c.post(f"/pool/entries/{entry.id}/introduce",
                   data={"intro-posting_id": str(posting.id)})
    assert again.status_code == 400 and 'id="intro-posting_id-error"' in again.get_data(as_text=True)
    # A value no posting can have (40 digits, an exponent, a sign) is "choose one", not a 500.
    for value in ("9" * 40, "1e3", "-1", "１２３４５６７８９０１２３"):
        bad = c.post(f"/pool/entries/{entry.id}/introduce", data={"intro-posting_id": value})
        assert bad.status_code == 400, value
        assert 'id="intro-posting_id-error"' in bad.get_data(as_text=True), value
    draft = make_posting(KIKONAI, state="draft")
    elsewhere = make_posting("022012")
    for target in (draft, elsewhere):
        with pytest.raises(pool.PoolError):
            introductions.introduce(world["coord"], entry.id, target.id)
    with pytest.raises(pool.NotFound):
        introductions.introduce(world["coord_r"], entry.id, posting.id)
    assert db.session.scalar(select(func.count(Introduction.id))) == 1


def test_the_person_answers_their_own_introductions_only(app, world):
    entry = _pooled(world)
    other = make_pro("別の人")
    posting = make_posting(KIKONAI, title="DX推進アドバイザー")
    intro = introductions.introduce(world["coord"], entry.id, posting.id, "ぜひ")
    person = app.test_client()
    login(person, entry.professional.user)
    page = person.get("/my/introductions").get_data(as_text=True)
    assert "DX推進アドバイザー" in page and "ぜひ" in page
    stranger = app.test_client()
    login(stranger, other.user)
    assert "DX推進アドバイザー" not in stranger.get("/my/introductions").get_data(as_text=True)
    assert stranger.post(f"/my/introductions/{intro.id}/respond",
                         data={"decision": "accept"}).status_code == 404
    assert _client(app, world["kikonai"]).get("/my/introductions").status_code == 403

    person.post(f"/my/introductions/{intro.id}/respond", data={"decision": "accept"})
    db.session.expire_all()
    assert db.session.get(Introduction, intro.id).status == "accepted"
    with pytest.raises(pool.PoolError):
        introductions.respond(entry.professional.user, intro.id, accept=False)
    # The person's data export lists the pool entry and the introduction.
    data = export_data(entry.professional.user)
    section = data["talent_pools_and_introductions"]
    assert section["pools"][0]["tags"] == ["職員OB・OG"]
    assert section["introductions"][0]["status"] == "accepted"


def test_the_pool_search_finds_its_own_placeholder_examples_the_japanese_way(app, world):
    _pooled(world, "田中 一郎", skills=["information_security"], experience="")
    _pooled(world, "佐藤 花子", skills=["bpr"], experience="")
    _pooled(world, "山本 三郎", skills=[], free_skills=["セキュリティ教育"], experience="")
    _pooled(world, "伊藤 四郎", skills=[], experience="窓口業務の改革を担当", tags=("自治体OB",))

    def names(q):
        return {e.professional.user.display_name
                for e in pool.search_pool(world["coord"], PREF_P, skill=q).entries}

    # The placeholder of the search box: e.g. セキュリティ, BPR, 自治体
    assert names("セキュリティ") == {"田中 一郎", "山本 三郎"}
    assert names("BPR") == {"佐藤 花子"}
    assert names("自治体") == {"伊藤 四郎"}  # a tag
    assert names("せきゅりてぃ") == names("ｾｷｭﾘﾃｨ") == names("security") == names("セキュリティ")
    assert names("業務改革") == {"佐藤 花子"}  # BPR's Japanese name
    assert names("セキュリテイ") == names("セキュリティ")  # one slip
    assert names("元情報政策課長") == {"田中 一郎", "佐藤 花子", "山本 三郎", "伊藤 四郎"}  # note
    assert names("ブロックチェーン") == set()
    html = _client(app, world["coord"]).get(f"/prefectures/{PREF_P}/pool?q=BPR").get_data(
        as_text=True)
    assert "佐藤 花子" in html and "田中 一郎" not in html
