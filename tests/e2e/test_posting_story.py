"""Browser story: a clerk fills the empty template and submits it, the prefecture returns it
with a comment, the clerk revises and resubmits, the prefecture relays and MIC publishes.

Each step is screenshotted into test-artifacts/posting-story/. Staff pass the real second
factor: the code is computed with pyotp from the account's secret, as their phone would.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.postings.models import Posting
from talentmatch.review import services as review
from tests.support.browser import browser_marks, sign_in
from tests.support.postings import clerk, coordinator, ministry

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "posting-story"

pytestmark = browser_marks


class Actor:
    """One person in their own browser context, logged in through the real forms."""

    def __init__(self, browser, base: str, user, problems: list[str]) -> None:
        self.context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = base
        page = self.page
        # Script errors and CSP violations; an HTTP status shown on purpose (the 400 of a
        # return without comment) or a missing favicon is not a problem of the page.
        page.on("console", lambda m: m.type == "error"
                and not m.text.startswith("Failed to load resource") and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        sign_in(page, base, user)

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        return self.page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _posting() -> Posting:
    db.session.expire_all()
    return db.session.scalars(select(Posting)).one()


def _fill_template(page) -> None:
    today = today_jst()
    page.fill("[name=title]", "DX推進アドバイザー")
    page.check("input[name=role_type][value=project_manager]")
    page.check("input[name=employment_type][value=special_part_time]")
    page.check("input[name=joint_wish][value=wished]")
    page.check("input[name=focus_areas][value=dx_strategy]")
    page.check("input[name=focus_areas][value=online_procedures]")
    page.fill("[name=duties]", "DX推進計画に基づく電子申請の拡充と、書かない窓口の導入を伴走支援します。")
    # The wording MIC's advice suggests improving: the live advice should notice it.
    page.fill("[name=required_experience]", "情報システム分野における業務経験")
    page.fill("[name=required_skills]", "プロジェクト管理、業務改革")
    page.fill("[name=days_per_month]", "4")
    page.check("input[name=remote][value=partial]")
    page.check("input[name=side_job_ok][value=yes]")
    page.fill("[name=compensation_amount]", "45,000")
    page.select_option("[name=compensation_unit]", "day")
    page.fill("[name=period_start]", (today + timedelta(days=70)).isoformat())
    page.fill("[name=period_end]", (today + timedelta(days=400)).isoformat())
    page.fill("[name=deadline]", (today + timedelta(days=35)).isoformat())
    page.fill("[name=how_to_apply]", "https://www.city.sapporo.example.lg.jp/recruit/dx")
    page.fill("[name=contact_department]", "デジタル戦略推進局")
    page.fill("[name=contact_email]", "dx@city.sapporo.example.lg.jp")
    page.check("input[name=publication_channels][value=job_sites]")
    page.check("input[name=publication_channels][value=mic_listing]")


def test_posting_story(app, ctx, server, browser):
    problems: list[str] = []
    a, p, mic = clerk(name="札幌市 DX担当 佐藤"), coordinator(name="北海道 調整担当 高橋"), ministry()

    # 1. The clerk opens an empty template.
    staff = Actor(browser, server, a, problems)
    page = staff.go("/my/postings/new")
    assert page.locator("#posting-form").is_visible()
    assert page.locator("#advice-summary").is_hidden()
    shot(page, "01-empty-form")

    # 1b. Submitting it empty lists every problem at once, saves nothing, moves the focus to
    #     the summary, and each item leads to its field.
    page.click("button[name=action][value=submit]")
    summary = page.locator("#error-summary")
    summary.wait_for(state="visible", timeout=5000)
    assert "入力内容を確認してください" in summary.inner_text()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'",
                           timeout=5000)
    assert summary.locator("a").count() >= 16
    assert page.url.endswith("/my/postings/new") and db.session.scalars(select(Posting)).first() is None
    shot(page, "01b-every-error-at-once")
    summary.locator('a[href="#duties"]').click()
    assert page.evaluate("document.activeElement.id") == "duties"

    # 2. Fills it in; the advice appears while typing, without saving.
    _fill_template(page)
    page.locator("#advice-summary").wait_for(state="visible", timeout=5000)
    # The refused submit showed the advice of the empty form; wait for the live update.
    page.locator('[data-advice-for="required_experience"] .advice').wait_for(
        state="attached", timeout=5000)
    assert page.locator('[data-advice-for="required_experience"] .advice').count() == 1
    page.locator("#required_experience").scroll_into_view_if_needed()
    shot(page, "02-filled-with-live-advice")
    assert db.session.scalars(select(Posting)).first() is None

    # 3. Submits it to the prefecture.
    page.click("button[name=action][value=submit]")
    page.wait_for_url("**/my/postings/*")
    assert page.locator(".notice.success").is_visible()
    posting = _posting()
    assert posting.current_revision.state == "submitted"
    shot(page, "03-submitted")

    # 4. The coordinator finds it in the inbox and returns it with a comment.
    pref = Actor(browser, server, p, problems)
    page = pref.go("/review/prefecture")
    assert page.get_by_text("DX推進アドバイザー").is_visible()
    shot(page, "04-prefecture-inbox")
    page.get_by_role("link", name="DX推進アドバイザー").click()
    page.click(f"button[formaction$='/review/postings/{posting.id}/return']")
    assert page.locator("#comment-error").is_visible()  # a comment is required
    page.fill("[name=comment]", "求める経験は「ICTを活用した業務改革を担った経験」のように具体的に書いてください。")
    shot(page, "05-return-with-comment")
    page.click(f"button[formaction$='/review/postings/{posting.id}/return']")
    page.wait_for_url("**/review/prefecture")
    assert _posting().current_revision.state == "returned"

    # 5. The clerk reads the comment, revises and resubmits.
    page = staff.go("/my/postings")
    assert page.get_by_text("具体的に書いてください").is_visible()
    shot(page, "06-my-postings-returned")
    page = staff.go(f"/my/postings/{posting.id}/edit")
    assert page.locator("blockquote.comment").is_visible()
    page.fill("[name=required_experience]", "ICTを活用した業務改革を担った経験")
    page.locator('[data-advice-for="required_experience"] .advice').wait_for(state="detached", timeout=5000)
    page.click("button[name=action][value=submit]")
    page.wait_for_url(f"**/my/postings/{posting.id}")
    assert _posting().current_revision.state == "submitted"
    shot(page, "07-resubmitted")

    # 6. The coordinator relays it to MIC.
    page = pref.go(f"/review/postings/{posting.id}")
    page.fill("[name=comment]", "修正を確認しました。")
    page.click(f"button[formaction$='/review/postings/{posting.id}/relay']")
    page.wait_for_url("**/review/prefecture")
    assert _posting().current_revision.state == "relayed"

    # 7. MIC publishes it.
    ministry_actor = Actor(browser, server, mic, problems)
    page = ministry_actor.go("/review/ministry")
    assert page.get_by_text("DX推進アドバイザー").is_visible()
    shot(page, "08-ministry-inbox")
    page.get_by_role("link", name="DX推進アドバイザー").click()
    shot(page, "09-ministry-reads-posting")
    page.click(f"button[formaction$='/review/postings/{posting.id}/publish']")
    page.wait_for_url("**/review/ministry")
    posting = _posting()
    assert posting.published_revision_id == posting.current_revision_id
    assert posting.current_revision.state == "published"

    # 8. The clerk sees the whole timeline.
    page = staff.go(f"/my/postings/{posting.id}")
    assert page.locator("ol.timeline > li").count() == 5
    shot(page, "10-published-timeline")
    assert [e.action for e in review.timeline(posting.id)] == [
        "submit", "return", "submit", "relay", "publish"]
    assert problems == []
