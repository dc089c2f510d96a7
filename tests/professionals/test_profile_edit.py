"""A professional keeps their profile: synonyms resolve to one skill, bad input names the field
and saves nothing, and X cannot see or change Y's profile."""

from __future__ import annotations

from sqlalchemy import func, select

from talentmatch.accounts.models import User
from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from talentmatch.professionals.models import Professional
from tests.support.factories import make_user
from tests.support.professionals import form_data, make_professional, profile_of_user


def _edit(client, **overrides):
    return client.post("/profile/edit", data=form_data(**overrides))


def test_japanese_english_width_and_kana_variants_become_one_skill(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    r = _edit(
        client,
        skills="セキュリティ, security、情報セキュリティ;ｾｷｭﾘﾃｨ\nせきゅりてぃ；ＳＥＣＵＲＩＴＹ",
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    prof = profile_of_user(user)
    assert prof.skills == ["information_security"]
    assert prof.free_skills == []
    # The saved skill is shown back with its Japanese and English names.
    page = client.get("/profile/edit").get_data(as_text=True)
    assert "情報セキュリティ" in page and "Information security" in page


def test_unknown_entries_are_kept_normalised_and_deduplicated(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    r = _edit(
        client,
        skills="ＢＰＲ、  Ｋｉｎｔｏｎｅ   アプリ開発 , kintone アプリ開発, 業務改革",
        qualifications="ITストラテジスト試験、応用情報、ふるさと検定２級",
    )
    assert r.status_code == 302
    prof = profile_of_user(user)
    assert prof.skills == ["bpr"]  # ＢＰＲ and 業務改革 are one skill
    assert prof.free_skills == ["Kintone アプリ開発"]  # width and spaces normalised, one entry
    assert prof.qualifications[:2] == ["ipa_st", "ipa_ap"]
    assert prof.qualifications[2] == "ふるさと検定2級"  # width normalised, kept as written
    page = client.get("/profile").get_data(as_text=True)
    assert "ITストラテジスト試験" in page and "ふるさと検定2級" in page


def test_every_field_is_saved(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    r = _edit(
        client,
        kind="company",
        headline="株式会社テスト 自治体DX支援",
        experience="基幹業務システム標準化のPMO\n3団体",
        public_sector_experience="y",
        focus_areas=["standardization", "bpr"],
        preferred_prefectures=["01", "13", "47"],
        remote_preference="remote_only",
        available_days_per_month="２.５",
        accepted_employment_types=["special_part_time", "outsourcing"],
        discoverable="y",
    )
    assert r.status_code == 302
    prof = profile_of_user(user)
    assert (prof.kind, prof.remote_preference, prof.available_days_per_month) == (
        "company",
        "remote_only",
        2.5,
    )
    assert prof.focus_areas == ["standardization", "bpr"]
    assert prof.preferred_prefectures == ["01", "13", "47"]
    assert prof.accepted_employment_types == ["special_part_time", "outsourcing"]
    assert prof.public_sector_experience is True and prof.discoverable is True
    assert prof.experience == "基幹業務システム標準化のPMO\n3団体"
    # Switching "discoverable" off is as easy as switching it on.
    _edit(client)
    db.session.refresh(prof)
    assert prof.discoverable is False
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "profile.updated")
        )
        == 2
    )


def test_discoverable_is_off_by_default_and_explained(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    page = client.get("/profile/edit").get_data(as_text=True)
    assert (
        'name="discoverable"' in page
        and 'name="discoverable" type="checkbox" value="y" checked' not in page
    )
    assert "without your email address" in page or "メールアドレスを除く" in page


def test_bad_input_names_the_field_and_saves_nothing(client, auth, ctx):
    prof = make_professional(discoverable=False, headline="元のヘッドライン")
    user = db.session.get(User, prof.user_id)
    auth.login(user)
    cases = {
        "available_days_per_month": {"available_days_per_month": "32"},
        "preferred_prefectures": {"preferred_prefectures": ["13", "99"]},
        "focus_areas": {"focus_areas": ["security", "cooking"]},
        "remote_preference": {"remote_preference": "moon"},
        "headline": {"headline": "x" * 201},
    }
    for field, bad in cases.items():
        r = _edit(client, **{"headline": "新しい", "discoverable": "y", **bad})
        page = r.get_data(as_text=True)
        assert r.status_code == 200, field
        assert f'id="{field}-error"' in page or f'id="{field}" aria-describedby' in page, field
        assert "error-summary" in page
        db.session.refresh(prof)
        assert prof.headline == "元のヘッドライン" and prof.discoverable is False, field
    r = _edit(client, available_days_per_month="2.3")
    assert "steps of 0.5" in r.get_data(as_text=True) or "0.5日単位" in r.get_data(as_text=True)
    r = _edit(client, available_days_per_month="")
    assert 'id="available_days_per_month-error"' in r.get_data(as_text=True)


def test_registration_creates_a_hidden_profile_with_consent_recorded(client, ctx):
    r = client.post(
        "/register",
        data={
            "display_name": "山田 花子",
            "email": "hanako@example.jp",
            "password": "とても長い日本語のパスフレーズ",
            "consent": "y",
        },
    )
    assert r.status_code == 200
    user = db.session.scalar(select(User).where(User.email == "hanako@example.jp"))
    prof = profile_of_user(user)
    assert prof is not None and prof.discoverable is False and prof.source == "self"
    assert user.consent_version and user.consent_at is not None
    # Without consent: neither an account nor a profile.
    client.post(
        "/register",
        data={
            "display_name": "X",
            "email": "x@example.jp",
            "password": "とても長い日本語のパスフレーズ",
        },
    )
    assert db.session.scalar(select(func.count()).select_from(Professional)) == 1


def test_my_page_shows_completeness_and_links(client, auth, ctx):
    user = make_user("professional")
    auth.login(user)
    page = client.get("/home").get_data(as_text=True)
    assert "0%" in page and "/profile/edit" in page
    _edit(client, experience="自治体DX", discoverable="y")
    page = client.get("/home").get_data(as_text=True)
    assert "100%" in page


def test_professional_x_cannot_see_or_change_y(client, auth, ctx):
    x = make_professional(discoverable=True)
    y = make_professional(discoverable=True, headline="Yのヘッドライン")
    auth.login(db.session.get(User, x.user_id))
    assert client.get(f"/professionals/{y.id}").status_code == 404
    assert client.get(f"/professionals/{x.id}").status_code == 302  # their own: the profile page
    # The edit form only ever edits the signed-in person's profile; ids in the form are ignored.
    client.post(
        "/profile/edit", data=form_data(headline="書き換え", user_id=str(y.user_id), id=str(y.id))
    )
    db.session.refresh(y)
    assert y.headline == "Yのヘッドライン"


def test_profile_pages_need_the_professional_role(app, client, auth, ctx):
    assert client.get("/profile").status_code == 302
    assert client.get("/profile/edit").status_code == 302
    staff = make_user("municipality", municipality_code="131130")
    auth.login(staff)
    for path in ("/profile", "/profile/edit", "/profile/delete"):
        assert client.get(path).status_code == 403, path
    assert client.post("/profile/export").status_code == 403


def test_skill_suggestions_match_japanese_and_english(client, auth, ctx):
    auth.login(make_user("professional"))
    keys = {i["key"] for i in client.get("/professionals/skills.json?q=せきゅりてぃ").get_json()}
    assert "information_security" in keys
    keys = {i["key"] for i in client.get("/professionals/skills.json?q=Security").get_json()}
    assert "information_security" in keys
    assert client.get("/professionals/skills.json?q=%25_").get_json() == []
