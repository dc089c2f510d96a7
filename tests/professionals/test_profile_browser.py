"""Browser story: a professional fills in their profile (typing skills in Japanese and English,
with suggestions), fixes a mistake, turns on "discoverable", a municipality looks at the profile,
and the professional downloads their data and deletes the account.
Screenshots go to test-artifacts/professional-profile/."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from talentmatch.accounts.models import User
from talentmatch.audit.models import AuditEvent
from talentmatch.extensions import db
from tests.support.browser import browser_marks, sign_in
from tests.support.factories import PASSWORD, make_user
from tests.support.professionals import profile_of_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "professional-profile"

pytestmark = browser_marks


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _logged_in_page(browser, base, user, problems):
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and "Failed to load resource" not in m.text
            and problems.append(m.text)
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.url}")
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return sign_in(page, base, user)


def test_professional_profile_story(app, ctx, server, browser, tmp_path):
    problems: list[str] = []
    pro = make_user("professional", name="高橋 由美", email="yumi@example.jp")
    page = _logged_in_page(browser, server, pro, problems)
    assert "0%" in page.locator(".profile-status").inner_text()
    shot(page, "01-my-page-empty")

    page.click(
        "text=プロフィールを編集"
        if page.locator("text=プロフィールを編集").count()
        else "a[href='/profile/edit']"
    )
    page.wait_for_url("**/profile/edit")
    page.fill("#headline", "元CIO補佐官 / 標準化とセキュリティ")
    # Suggestions appear while typing; picking one writes the skill's name into the box.
    page.locator("#skills").press_sequentially("せきゅり", delay=30)
    page.wait_for_selector("#skills-suggest button")
    page.locator("#skills-suggest button", has_text="情報セキュリティ").first.click()
    page.locator("#skills").press_sequentially("security、ＢＰＲ、地域通貨アプリ企画", delay=5)
    shot(page, "02-typing-skills")
    page.check("#focus_areas-0")
    page.check("#focus_areas-5")
    page.check("input[name=preferred_prefectures][value='13']")
    page.check("input[name=preferred_prefectures][value='14']")
    page.fill("#qualifications", "ITストラテジスト、情報処理安全確保支援士")
    page.fill("#available_days_per_month", "2.3")
    page.check("input[name=accepted_employment_types][value='outsourcing']")
    page.check("#discoverable")
    page.click(
        "form button[type=submit]:has-text('保存')"
        if page.locator("form button:has-text('保存')").count()
        else "main form button[type=submit]"
    )
    assert page.locator("#available_days_per_month-error").is_visible()
    assert page.locator("#error-summary").is_visible()
    shot(page, "03-field-error")
    prof = profile_of_user(pro)
    assert prof is None or prof.headline == ""  # nothing saved

    page.fill("#available_days_per_month", "２．５")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/profile")
    db.session.expire_all()
    prof = profile_of_user(pro)
    assert prof.skills == ["information_security", "bpr"] and prof.free_skills == [
        "地域通貨アプリ企画"
    ]
    assert prof.available_days_per_month == 2.5 and prof.discoverable
    text = page.locator("main").inner_text()
    assert (
        "情報セキュリティ" in text
        and "Information security" in text
        and "地域通貨アプリ企画" in text
    )
    shot(page, "04-profile-saved")

    # A municipality finds the profile; the viewing is recorded.
    staff = make_user("municipality", municipality_code="131130", name="中央区 総務課")
    staff_page = _logged_in_page(browser, server, staff, problems)
    staff_page.goto(f"{server}/professionals/{prof.id}")
    assert "高橋 由美" in staff_page.locator("h1").inner_text()
    assert "yumi@example.jp" not in staff_page.content()
    shot(staff_page, "05-staff-view")
    assert (
        db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "profile.viewed", AuditEvent.actor_id == staff.id
            )
        )
        is not None
    )

    # The professional downloads their data, then deletes the account.
    with page.expect_download() as info:
        page.locator("form[action='/profile/export'] button").click()
    path = tmp_path / "data.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (
        data["account"]["email"] == "yumi@example.jp"
        and data["profile"]["skills"][0] == "information_security"
    )
    page.click("a[href='/profile/delete']")
    page.fill("#password", PASSWORD)
    shot(page, "06-delete-confirm")
    page.locator("main form button.danger").click()
    page.wait_for_url("**/login")
    shot(page, "07-deleted")
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "yumi@example.jp")) is None
    assert problems == []
